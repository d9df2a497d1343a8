import { DependencyUnavailableError, InvalidInputError } from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { SlackDeliveryResult } from '#domain/notify/slack-delivery.ts';
import type { SlackMessage } from '#domain/notify/slack-message.ts';
import type { ReportDeps } from '#domain/report/collect.ts';
import { publishReport } from '#domain/report/publish.ts';
import type { ReportAssets } from '#domain/report/render.ts';
import { scheduledReportSchema, type WriteReportInput } from '#domain/report/scheduled.ts';

/** An S3 object's location. */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/** What WriteReport needs: the catalog readers, the report's files, S3 and Slack. */
export interface WriteReportDeps extends ReportDeps {
  readonly assets: ReportAssets;
  /** Reads the request asset's text. */
  readObject(location: ObjectLocation): Promise<string>;
  /** Writes the report (content type text/html). */
  putObject(object: ObjectLocation & { readonly body: string }): Promise<void>;
  /** Posts the digest to the deployment's webhook. */
  postDigest(message: SlackMessage): Promise<SlackDeliveryResult>;
  readonly logger: AppLogger;
}

/** What was written and told. */
export interface WrittenReport {
  readonly bucket: string;
  readonly key: string;
  readonly bytes: number;
  readonly databases: number;
  /** Backups of the period that FINISHED (verified or not), and that FAILED or TIMED_OUT. */
  readonly backups: { readonly done: number; readonly failed: number };
  /** `delivered`, or `no-webhook` when the deployment has no Slack webhook. */
  readonly digest: 'delivered' | 'no-webhook';
}

/**
 * Writes the past week's report to `s3://<bucket>/<prefix><first day>_7d.html` and posts the digest. The period ends
 * at the firing's scheduled time, so a retried firing writes the same object again. A digest Slack refused fails
 * the invocation after the object is written: Lambda retries an asynchronous invocation (what Scheduler makes), and
 * the retry replaces the object with the same period's report and posts again.
 */
export async function writeReport(input: WriteReportInput, deps: WriteReportDeps): Promise<WrittenReport> {
  const parsed = scheduledReportSchema.safeParse(JSON.parse(await deps.readObject(input.request)));
  if (!parsed.success) {
    throw new InvalidInputError(
      `the report request s3://${input.request.bucket}/${input.request.key} does not match this function's version: ${parsed.error.issues.length} problem(s)`,
    );
  }
  const request = parsed.data;
  let delivery: SlackDeliveryResult | undefined;
  const published = await publishReport(
    {
      clusters: request.clusters,
      timeZone: request.timeZone,
      ...(input.scheduledTime === undefined ? {} : { until: new Date(input.scheduledTime) }),
    },
    { bucket: request.bucket, prefix: request.prefix, region: input.region },
    {
      catalog: deps.catalog,
      pauses: deps.pauses,
      incidents: deps.incidents,
      clock: deps.clock,
      assets: deps.assets,
      putObject: (object) => deps.putObject(object),
      postDigest: async (message) => {
        delivery = await deps.postDigest(message);
      },
    },
  );
  const { location, bytes, summary } = published;
  deps.logger.info('report written', {
    bucket: location.bucket,
    key: location.key,
    bytes,
    databases: summary.databases,
  });
  if (delivery !== undefined && !delivery.delivered && !('skipped' in delivery)) {
    throw new DependencyUnavailableError(
      `the report is in s3://${location.bucket}/${location.key}, but Slack did not take its digest: ${delivery.error}`,
    );
  }
  return {
    bucket: location.bucket,
    key: location.key,
    bytes,
    databases: summary.databases,
    backups: { done: summary.slots.F + summary.slots.U, failed: summary.slots.X + summary.slots.T },
    digest: delivery?.delivered ? 'delivered' : 'no-webhook',
  };
}
