/** The Slack message for one database whose backup FAILED or TIMED_OUT. */

import { formatDuration, formatUtcWithRelative, type TimeInput, toEpochMillis } from '#domain/time-format.ts';
import { executionConsoleUrl } from './execution-link.ts';
import { hintForFailure } from './failure-hints.ts';
import {
  codeBlock,
  context,
  escapeMrkdwn,
  fallbackText,
  fieldsSection,
  header,
  inlineCode,
  linkButton,
  type SlackBlock,
  type SlackMessage,
  section,
  truncateText,
} from './slack-message.ts';

/** StarRocks' status text is shown up to this many characters. */
export const STATUS_TEXT_LIMIT = 500;

/** Everything an alert about one database can show. Only the first five fields are required. */
export interface BackupFailureDetails {
  cluster: string;
  database: string;
  /** The snapshot label. */
  label: string;
  state: 'FAILED' | 'TIMED_OUT';
  /** StarRocks' status text (e.g. `[TIMEOUT, msg: ]`), our classified error message, or `deadline`. */
  reason: string;
  /** The typed error's name when the failure came from one (chooses the hint). */
  errorName?: string | undefined;
  schedule?: string | undefined;
  repository?: string | undefined;
  /** The StarRocks user (named in GRANT hints). */
  user?: string | undefined;
  /** When we submitted the backup: epoch ms or ISO-8601. */
  startedAt?: TimeInput | undefined;
  /** When the failure was recorded: epoch ms or ISO-8601. */
  finishedAt?: TimeInput | undefined;
  /** Used when `startedAt`/`finishedAt` cannot give the duration. */
  durationSeconds?: number | undefined;
  /** Our deadline for one database. */
  timeoutSeconds?: number | undefined;
  /** The BackupDatabase execution; the message links to it in the console when this is a real ARN. */
  executionArn?: string | undefined;
  /** What else the alert must say (a snapshot that vanished, objects the backup left out). */
  notes?: readonly string[] | undefined;
}

/** Options of the builders. */
export interface MessageBuildOptions {
  /** "Now" in epoch ms, for "3 h ago"; without it only UTC times are shown. */
  now?: number | undefined;
}

const STATE_TITLE: Record<BackupFailureDetails['state'], string> = {
  FAILED: 'Backup FAILED',
  TIMED_OUT: 'Backup TIMED OUT',
};

/** The duration in seconds, from start/finish (or start/now), else the given duration. */
function durationOf(details: BackupFailureDetails, now: number | undefined): number | undefined {
  const started = toEpochMillis(details.startedAt);
  const finished = toEpochMillis(details.finishedAt) ?? now;
  if (started !== undefined && finished !== undefined && finished >= started) {
    return (finished - started) / 1000;
  }
  return details.durationSeconds;
}

/** Builds the alert for one failed database: what failed, StarRocks' words, how long, and what to do. */
export function buildBackupFailureMessage(
  details: BackupFailureDetails,
  options: MessageBuildOptions = {},
): SlackMessage {
  const hint = hintForFailure(details);
  const duration = durationOf(details, options.now);
  const started = toEpochMillis(details.startedAt);
  const link = executionConsoleUrl(details.executionArn);

  const fields: Array<[string, string]> = [
    ['Cluster', inlineCode(details.cluster)],
    ['Database', inlineCode(details.database)],
    ['Snapshot label', inlineCode(details.label)],
    ['State', `*${details.state}*`],
  ];
  if (duration !== undefined) fields.push(['Duration', formatDuration(duration)]);
  if (started !== undefined) fields.push(['Started', formatUtcWithRelative(started, options.now)]);
  if (details.schedule !== undefined) fields.push(['Schedule', inlineCode(details.schedule)]);
  if (details.repository !== undefined) fields.push(['Repository', inlineCode(details.repository)]);

  const statusTitle =
    details.errorName === undefined ? 'Status' : `Status (${escapeMrkdwn(details.errorName)})`;
  const blocks: SlackBlock[] = [
    header(`🚨 ${STATE_TITLE[details.state]}: ${details.cluster} / ${details.database}`),
    fieldsSection(fields),
    section(`*${statusTitle}*\n${codeBlock(details.reason, STATUS_TEXT_LIMIT)}`),
    ...(details.notes ?? []).map((note) => section(`*Also:* ${escapeMrkdwn(truncateText(note, 1500))}`)),
    section(`*What to do:* ${escapeMrkdwn(hint)}`),
  ];
  const button = link === undefined ? undefined : linkButton('Open execution', link, 'open_execution');
  if (button) blocks.push(button);
  if (details.executionArn !== undefined) {
    blocks.push(context(`Execution ${inlineCode(details.executionArn, 400)}`));
  }

  const fallback =
    `${STATE_TITLE[details.state]}: ${details.cluster}/${details.database} (${details.label}): ` +
    `${truncateText(details.reason.trim().replaceAll(/\s+/g, ' '), 200)}. ${hint}`;
  return { text: fallbackText(fallback), blocks };
}
