/**
 * The Slack digest of a deployed report (issue 19): the headline numbers of the period and where the report is.
 * It links the S3 object's console page, which asks the reader to sign in: never a presigned (bearer) URL, which
 * would let anyone who sees the message read the report until it expires. Pure.
 */
import {
  context,
  escapeMrkdwn,
  fallbackText,
  fieldsSection,
  header,
  inlineCode,
  type SlackBlock,
  type SlackMessage,
} from '#domain/notify/slack-message.ts';
import { formatSeconds } from './format.ts';
import type { ReportData } from './model.ts';
import type { ReportSummary } from './summary.ts';

/** Where the report was written. */
export interface ReportLocation {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

/** The console host of each partition (as the execution links use). */
function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}

/** The S3 console page of the report object: it needs a signed-in console session, unlike a presigned URL. */
export function reportConsoleUrl(location: ReportLocation): string {
  const query = new URLSearchParams({ region: location.region, prefix: location.key });
  return `https://${consoleHost(location.region)}/s3/object/${encodeURIComponent(location.bucket)}?${query}`;
}

/** The database whose newest verified snapshot got oldest in the period, or null when none has one. */
export function worstFreshness(
  data: ReportData,
): { database: string; cluster: string; ageSeconds: number } | null {
  let worst: { database: string; cluster: string; ageSeconds: number } | null = null;
  for (const db of data.databases) {
    const age = db.freshness.worstAgeSeconds;
    if (age !== null && (worst === null || age > worst.ageSeconds)) {
      worst = { database: db.name, cluster: data.clusters[db.cluster]?.name ?? '?', ageSeconds: age };
    }
  }
  return worst;
}

/**
 * The slowest drill that restored one full snapshot (the recovery time one could promise), or null without one.
 * Chain drills (a full, then a differential) are a different recovery path and are left out.
 */
export function slowestDrill(
  data: ReportData,
): { database: string; cluster: string; seconds: number } | null {
  let slowest: { database: string; cluster: string; seconds: number } | null = null;
  for (const drill of data.drills) {
    if (drill.state !== 'FINISHED' || drill.durationSeconds === null || drill.pointKind === 'chain') continue;
    if (slowest === null || drill.durationSeconds > slowest.seconds) {
      slowest = {
        database: drill.database,
        cluster: data.clusters[drill.cluster]?.name ?? '?',
        seconds: drill.durationSeconds,
      };
    }
  }
  return slowest;
}

/** Builds the digest: backups done and failed, worst freshness, slowest drill, and the report's S3 location. */
export function buildReportDigest(
  data: ReportData,
  summary: ReportSummary,
  location: ReportLocation,
): SlackMessage {
  const done = summary.slots.F + summary.slots.U;
  const failed = summary.slots.X + summary.slots.T;
  const worst = worstFreshness(data);
  const drill = slowestDrill(data);
  const period = `${data.period.firstDay}, ${data.period.days} days (${data.timeZone})`;
  const title = `Backup report: ${done} done, ${failed} failed`;
  const fields: Array<[string, string]> = [
    ['Period', escapeMrkdwn(period)],
    [
      'Backups',
      `${done} done · ${failed} failed or timed out · ${summary.slots.M} missed · ${summary.slots.L} lost`,
    ],
    [
      'Worst freshness',
      worst === null
        ? 'no verified snapshot'
        : `${formatSeconds(worst.ageSeconds)}: ${inlineCode(worst.database)} (${escapeMrkdwn(worst.cluster)}); ${summary.databasesOverObjective} of ${summary.databases} databases past their objective`,
    ],
    [
      'Slowest restore drill',
      drill === null
        ? 'no drill restored'
        : `${formatSeconds(drill.seconds)}: ${inlineCode(drill.database)} (${escapeMrkdwn(drill.cluster)}); ${summary.drills.passed}/${summary.drills.total} drills passed`,
    ],
    ['Report', `<${reportConsoleUrl(location)}|s3://${escapeMrkdwn(`${location.bucket}/${location.key}`)}>`],
  ];
  const blocks: SlackBlock[] = [
    header(title),
    fieldsSection(fields),
    context(
      'Open it from the S3 console (sign-in required) and download it: one HTML file that needs no network.',
    ),
  ];
  return { text: fallbackText(`${title} (${period})`), blocks };
}
