/**
 * The deployed report's use case (issue 19, opt-in `report: {schedule, bucket}`): collect the past week, render
 * it, store the file in S3 and post the digest. The S3 write and the Slack post are passed in, so this stays free
 * of SDK clients; the scheduled function supplies them.
 */
import type { SlackMessage } from '#domain/notify/slack-message.ts';
import { collectReportData, type ReportDeps, type ReportRequest } from './collect.ts';
import { decodeAll } from './decode.ts';
import { buildReportDigest, type ReportLocation } from './digest.ts';
import type { ReportData } from './model.ts';
import { type ReportAssets, renderReport } from './render.ts';
import { type ReportSummary, summarize } from './summary.ts';

/** The days a scheduled report covers. */
export const PUBLISHED_REPORT_DAYS = 7;

/** What publishing needs besides the catalog readers. */
export interface PublishReportDeps extends ReportDeps {
  readonly assets: ReportAssets;
  /** Writes the HTML object (content type text/html). */
  putObject(object: { readonly bucket: string; readonly key: string; readonly body: string }): Promise<void>;
  /** Posts the digest; undefined when no Slack destination is configured. */
  readonly postDigest?: ((message: SlackMessage) => Promise<void>) | undefined;
}

/** Where the reports go. */
export interface PublishTarget {
  readonly bucket: string;
  /** Key prefix, e.g. `reports/` (may be empty). */
  readonly prefix: string;
  readonly region: string;
}

/** What was published. */
export interface PublishedReport {
  readonly location: ReportLocation;
  readonly bytes: number;
  readonly summary: ReportSummary;
  readonly posted: boolean;
}

/** The object key of a report: one per period, so a rerun of the same week replaces its file. */
export function reportKey(prefix: string, data: Pick<ReportData, 'period'>): string {
  return `${prefix}${data.period.firstDay}_${data.period.days}d.html`;
}

/** Collects the period, writes the report to S3 and posts the digest (after the write: it links the object). */
export async function publishReport(
  request: Omit<ReportRequest, 'days' | 'since'> & { readonly days?: number },
  target: PublishTarget,
  deps: PublishReportDeps,
): Promise<PublishedReport> {
  const data = await collectReportData({ ...request, days: request.days ?? PUBLISHED_REPORT_DAYS }, deps);
  const html = renderReport(data, deps.assets);
  const location: ReportLocation = {
    bucket: target.bucket,
    key: reportKey(target.prefix, data),
    region: target.region,
  };
  await deps.putObject({ bucket: location.bucket, key: location.key, body: html });
  const summary = summarize(data, decodeAll(data));
  if (deps.postDigest) await deps.postDigest(buildReportDigest(data, summary, location));
  return { location, bytes: Buffer.byteLength(html), summary, posted: deps.postDigest !== undefined };
}
