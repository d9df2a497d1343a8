/**
 * What the functions emit to CloudWatch (EMF through Powertools Metrics). Each function that emits has one Metrics
 * instance, which the pipeline flushes after every invocation (middleware.ts); the names are the domain's
 * (lambdas/domain/metrics.ts), shared with the alarms that read them.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type BackupOutcomeFigures,
  CLUSTER_DIMENSION,
  DATABASES_LATE_METRIC,
  DATABASES_UNCOVERED_METRIC,
  DRILL_CHAIN_DURATION_METRIC,
  DRILL_DURATION_METRIC,
  type DrillFigures,
  DURATION_METRIC,
  type FreshnessMetrics,
  METRICS_NAMESPACE,
  METRICS_SERVICE_NAME,
  METRICS_SERVICE_VARIABLE,
  OLDEST_SNAPSHOT_AGE_METRIC,
  OUTCOME_METRICS,
  SIZE_METRIC,
} from '#domain/metrics.ts';
import type { EnvironmentVariables } from './env.ts';

/** The `service` dimension this process emits: the deployment's identity, or {@link METRICS_SERVICE_NAME}. */
export function metricsServiceName(env: EnvironmentVariables): string {
  return env[METRICS_SERVICE_VARIABLE] || METRICS_SERVICE_NAME;
}

/** A function's Metrics instance, in the scheduler's namespace, with its warnings in the function's log. */
export function createMetrics(env: EnvironmentVariables, logger?: Logger): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: metricsServiceName(env),
    ...(logger === undefined ? {} : { logger }),
  });
}

/** Adds the outcome of one recorded backup attempt. */
export function addBackupOutcome(metrics: Metrics, outcome: BackupOutcomeFigures): void {
  metrics.addDimension(CLUSTER_DIMENSION, outcome.cluster);
  metrics.addMetric(OUTCOME_METRICS[outcome.state], MetricUnit.Count, 1);
  if (outcome.durationSeconds !== null)
    metrics.addMetric(DURATION_METRIC, MetricUnit.Seconds, outcome.durationSeconds);
  if (outcome.sizeBytes !== null) metrics.addMetric(SIZE_METRIC, MetricUnit.Bytes, outcome.sizeBytes);
}

/** Adds the measured restore time of one recorded drill (nothing when the restore was not measured). */
export function addDrillFigures(metrics: Metrics, drill: DrillFigures): void {
  if (drill.durationSeconds === null) return;
  metrics.addDimension(CLUSTER_DIMENSION, drill.cluster);
  metrics.addMetric(
    drill.pointKind === 'chain' ? DRILL_CHAIN_DURATION_METRIC : DRILL_DURATION_METRIC,
    MetricUnit.Seconds,
    drill.durationSeconds,
  );
}

/**
 * Adds one freshness check's figures in two dimension sets: per cluster (`service`, `Cluster`: the dashboard), and
 * `service` alone, so one alarm covers every cluster (its Maximum is the worst cluster's count) and the alarms do
 * not grow with the clusters.
 */
export function addFreshnessFigures(metrics: Metrics, figures: FreshnessMetrics): void {
  metrics.addDimension(CLUSTER_DIMENSION, figures.cluster);
  // An empty extra set publishes every metric once more under the service dimension alone.
  metrics.addDimensions({});
  metrics.addMetric(DATABASES_LATE_METRIC, MetricUnit.Count, figures.late);
  metrics.addMetric(DATABASES_UNCOVERED_METRIC, MetricUnit.Count, figures.uncovered);
  if (figures.oldestAgeSeconds !== null) {
    metrics.addMetric(OLDEST_SNAPSHOT_AGE_METRIC, MetricUnit.Seconds, figures.oldestAgeSeconds);
  }
}
