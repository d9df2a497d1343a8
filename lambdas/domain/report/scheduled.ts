/**
 * The deployed weekly report's request (issue 19): what the CDK stack writes to a JSON asset from the configuration
 * (the clusters' report fields, the zone, the bucket and prefix), and what EventBridge Scheduler hands the
 * WriteReport function at each firing (where that asset is). The clusters travel in the asset, not in the schedule's
 * input, so the schedule stays small whatever the number of clusters. Pure.
 */
import type { BackupConfig } from '#domain/config/index.ts';
import { reportClusterSchema } from '#domain/config/index.ts';
import { z } from '#domain/zod.ts';
import type { ReportClusterConfig } from './collect.ts';

/** The version of the request asset's shape. */
export const SCHEDULED_REPORT_FORMAT = 1;

/** The request asset: every cluster's report fields, the zone days are cut in, and where the report goes. */
export const scheduledReportSchema = z.strictObject({
  format: z.literal(SCHEDULED_REPORT_FORMAT),
  clusters: z.array(reportClusterSchema).min(1),
  timeZone: z.string().min(1),
  bucket: z.string().min(3),
  prefix: z.string(),
});

/** The parsed request asset. */
export type ScheduledReport = z.output<typeof scheduledReportSchema>;

/** The event EventBridge Scheduler sends WriteReport. */
export const writeReportInputSchema = z.strictObject({
  /** The request asset (a CDK asset object: its key is its content hash). */
  request: z.strictObject({ bucket: z.string().min(1), key: z.string().min(1) }),
  /** The stack's Region: where the report bucket is, for the console link. */
  region: z.string().min(1),
  /** The firing's scheduled time (Scheduler's `<aws.scheduler.scheduled-time>`): the report ends there. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});

/** The parsed WriteReport event. */
export type WriteReportInput = z.output<typeof writeReportInputSchema>;

/** The fields of a cluster the report reads, and nothing else (no host, secret ARN or TLS material). */
function reportFields(cluster: ReportClusterConfig): ReportClusterConfig {
  return {
    name: cluster.name,
    user: cluster.user,
    include: cluster.include,
    exclude: cluster.exclude,
    maxConcurrentBackups: cluster.maxConcurrentBackups,
    timeoutSeconds: cluster.timeoutSeconds,
    freshness: cluster.freshness,
    sizeAnomaly: cluster.sizeAnomaly,
    ...(cluster.retention === undefined ? {} : { retention: cluster.retention }),
    schedules: cluster.schedules,
  };
}

/** The request asset of a configuration with `report`, or undefined without it (the report is opt-in). */
export function scheduledReport(config: BackupConfig): ScheduledReport | undefined {
  const { report } = config;
  if (report === undefined) return undefined;
  return {
    format: SCHEDULED_REPORT_FORMAT,
    clusters: config.clusters.map(reportFields),
    timeZone: report.schedule.timezone,
    bucket: report.bucket,
    prefix: report.prefix,
  };
}
