/**
 * The EMF documents the deployed functions write, produced by the same code: a function's Metrics instance from
 * the AWS runtime (its service read from the environment, as deployed), the figures added as the cores add them,
 * and one flush, as the middy pipeline flushes after an invocation.
 */
import type { BackupOutcomeFigures, DrillFigures, FreshnessMetrics } from '#domain/metrics.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsMetrics } from '#runtime/aws/metrics.ts';
import { addBackupOutcome, addDrillFigures, addFreshnessFigures } from '#runtime/metrics.ts';

/** Writes RecordResult's metrics for one recorded attempt to stdout. */
export function emitBackupOutcome(outcome: BackupOutcomeFigures): void {
  const metrics = awsMetrics(awsLogger('record-result'));
  addBackupOutcome(metrics, outcome);
  metrics.publishStoredMetrics();
}

/** Writes CheckFreshness' metrics for one cluster's check to stdout. */
export function emitFreshnessMetrics(figures: FreshnessMetrics): void {
  const metrics = awsMetrics(awsLogger('check-freshness'));
  addFreshnessFigures(metrics, figures);
  metrics.publishStoredMetrics();
}

/** Writes RecordDrill's metrics for one recorded drill to stdout. */
export function emitDrillFigures(drill: DrillFigures): void {
  const metrics = awsMetrics(awsLogger('drill-record'));
  addDrillFigures(metrics, drill);
  metrics.publishStoredMetrics();
}
