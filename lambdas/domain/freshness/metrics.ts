import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CLUSTER_DIMENSION, METRICS_NAMESPACE, metricsServiceName } from '#runtime/metrics.ts';

/** Age of the oldest latest-good snapshot among the cluster's selected databases, in seconds. */
export const OLDEST_SNAPSHOT_AGE_METRIC = 'OldestGoodSnapshotAgeSeconds';
/** Databases that count as late (alerted), per cluster. */
export const DATABASES_LATE_METRIC = 'DatabasesLate';
/** Databases no schedule covers and no exclude pattern names (drift), per cluster. */
export const DATABASES_UNCOVERED_METRIC = 'DatabasesUncovered';

/** One check's figures for one cluster. */
export interface FreshnessMetrics {
  readonly cluster: string;
  /** Null when no selected database has a good snapshot (nothing to age). */
  readonly oldestAgeSeconds: number | null;
  readonly late: number;
  readonly uncovered: number;
}

/**
 * Emits one check's figures (one EMF document on stdout; Lambda ships it to CloudWatch), with the same namespace and
 * service as the backup outcome metrics, in two dimension sets: per cluster (`service`, `Cluster`: the dashboard),
 * and `service` alone, so one alarm covers every cluster (its Maximum is the worst cluster's count) and the alarms
 * do not grow with the clusters.
 */
export function emitFreshnessMetrics(figures: FreshnessMetrics): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: metricsServiceName() });
  metrics.addDimension(CLUSTER_DIMENSION, figures.cluster);
  // An empty extra set publishes every metric once more under the service dimension alone.
  metrics.addDimensions({});
  metrics.addMetric(DATABASES_LATE_METRIC, MetricUnit.Count, figures.late);
  metrics.addMetric(DATABASES_UNCOVERED_METRIC, MetricUnit.Count, figures.uncovered);
  if (figures.oldestAgeSeconds !== null) {
    metrics.addMetric(OLDEST_SNAPSHOT_AGE_METRIC, MetricUnit.Seconds, figures.oldestAgeSeconds);
  }
  metrics.publishStoredMetrics();
}
