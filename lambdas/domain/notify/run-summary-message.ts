/** The Slack message that sums up one scheduled run of a cluster. */

import { formatUtcWithRelative, type TimeInput, toEpochMillis } from '#domain/time-format.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import type { MessageBuildOptions } from './backup-failure-message.ts';
import { executionConsoleUrl } from './execution-link.ts';
import {
  boundedList,
  codeBlock,
  context,
  escapeMrkdwn,
  fallbackText,
  fieldsSection,
  header,
  inlineCode,
  linkButton,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  section,
  truncateText,
} from './slack-message.ts';

/** One database's outcome in the run (from the catalog). */
export interface RunDatabaseResult {
  database: string;
  state: BackupOutcomeState;
  /** Why it failed or was skipped (StarRocks' status, `deadline`, `lock-held by …`, `empty`). */
  reason?: string | undefined;
  label?: string | undefined;
}

/** A run of one cluster × schedule. */
export interface RunSummary {
  cluster: string;
  schedule: string;
  /** The scheduled time of the run: epoch ms or ISO-8601. */
  scheduledTime: TimeInput;
  /** Every database the run resolved, with its terminal state. */
  results: readonly RunDatabaseResult[];
  /** Set when the run failed as a whole, before any database (FE down at resolve, bad `--database`). */
  runError?: { name: string; message: string } | undefined;
  /** How many per-database alerts were already posted for this run (the rest were held back). */
  alertsPosted?: number | undefined;
  /** The NightlyBackup execution; linked in the console when this is a real ARN. */
  executionArn?: string | undefined;
}

/** Each reason is cut to this length in the lists (a list holds many). */
const LIST_REASON_LIMIT = 200;

const STATE_ORDER: readonly BackupOutcomeState[] = ['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED'];

/** How many databases ended in each state. */
export function countByState(results: readonly RunDatabaseResult[]): Record<BackupOutcomeState, number> {
  const counts: Record<BackupOutcomeState, number> = { FINISHED: 0, FAILED: 0, TIMED_OUT: 0, SKIPPED: 0 };
  for (const result of results) counts[result.state] += 1;
  return counts;
}

function listLine(result: RunDatabaseResult): string {
  const reason = result.reason?.trim().replaceAll(/\s+/g, ' ');
  const suffix = reason ? ` — ${escapeMrkdwn(truncateText(reason, LIST_REASON_LIMIT))}` : '';
  return `• ${inlineCode(result.database)}${suffix}`;
}

/** A titled, bounded list of the databases in one state, or nothing when there are none. */
function stateList(title: string, results: readonly RunDatabaseResult[]): SlackBlock | undefined {
  if (results.length === 0) return undefined;
  const heading = `*${title} (${results.length})*\n`;
  return section(heading + boundedList(results.map(listLine), SLACK_LIMITS.sectionText - heading.length));
}

function headline(summary: RunSummary, counts: Record<BackupOutcomeState, number>): string {
  const run = `${summary.cluster} / ${summary.schedule}`;
  if (summary.runError) return `❌ Backup run ${run} failed before any database`;
  const failed = counts.FAILED + counts.TIMED_OUT;
  const total = summary.results.length;
  if (failed > 0) return `🚨 Backup run ${run}: ${failed} of ${total} databases failed`;
  if (total === 0) return `⚠️ Backup run ${run}: no database to back up`;
  if (counts.SKIPPED > 0) {
    return `⚠️ Backup run ${run}: ${counts.FINISHED} of ${total} databases backed up, ${counts.SKIPPED} skipped`;
  }
  return `✅ Backup run ${run}: all ${total} databases backed up`;
}

/**
 * Builds the run summary: cluster, schedule, scheduled time, counts per state, and every failed,
 * timed-out and skipped database with its reason (each list cut at Slack's 3000 characters with
 * "…and N more"), or the error that stopped the run.
 */
export function buildRunSummaryMessage(summary: RunSummary, options: MessageBuildOptions = {}): SlackMessage {
  const counts = countByState(summary.results);
  const scheduled = toEpochMillis(summary.scheduledTime);
  const title = headline(summary, counts);

  const countText = STATE_ORDER.map((state) => `${state} ${counts[state]}`).join(' · ');
  const fields: Array<[string, string]> = [
    ['Cluster', inlineCode(summary.cluster)],
    ['Schedule', inlineCode(summary.schedule)],
    [
      'Scheduled time',
      scheduled === undefined
        ? escapeMrkdwn(String(summary.scheduledTime))
        : formatUtcWithRelative(scheduled, options.now),
    ],
    ['Databases', summary.runError ? '—' : `${summary.results.length}: ${countText}`],
  ];
  if (summary.alertsPosted !== undefined) {
    const failures = counts.FAILED + counts.TIMED_OUT;
    const heldBack = Math.max(0, failures - summary.alertsPosted);
    fields.push(['Alerts', `${summary.alertsPosted} posted, ${heldBack} held back (listed here)`]);
  }

  const blocks: SlackBlock[] = [header(title), fieldsSection(fields)];
  if (summary.runError) {
    blocks.push(
      section(
        `*Error (${escapeMrkdwn(summary.runError.name)})*\n${codeBlock(summary.runError.message, 500)}\n` +
          'No database was backed up in this run. Fix the cause and start the run again.',
      ),
    );
  }
  const lists = [
    stateList(
      'Failed',
      summary.results.filter((result) => result.state === 'FAILED'),
    ),
    stateList(
      'Timed out',
      summary.results.filter((result) => result.state === 'TIMED_OUT'),
    ),
    stateList(
      'Skipped',
      summary.results.filter((result) => result.state === 'SKIPPED'),
    ),
  ];
  for (const list of lists) if (list) blocks.push(list);

  const link = executionConsoleUrl(summary.executionArn);
  const button = link === undefined ? undefined : linkButton('Open run', link, 'open_run');
  if (button) blocks.push(button);
  if (summary.executionArn !== undefined) {
    blocks.push(context(`Execution ${inlineCode(summary.executionArn, 400)}`));
  }

  const fallback = summary.runError
    ? `${title}: ${summary.runError.name}: ${truncateText(summary.runError.message, 300)}`
    : `${title} (${countText})`;
  return {
    text: fallbackText(fallback),
    blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage),
  };
}
