import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';

/** The CloudWatch namespace of every metric the scheduler's code emits (EMF, through Powertools Metrics). */
export const METRICS_NAMESPACE = 'StarRocksBackupScheduler';

/**
 * The `service` dimension when {@link METRICS_SERVICE_VARIABLE} is unset (local runs). Powertools adds the service
 * as a dimension of every metric, so alarms must name it too.
 */
export const METRICS_SERVICE_NAME = 'starrocks-backup-scheduler';

/**
 * Powertools' own variable for the service name. The CDK construct sets it to the deployment's identity (the
 * stack name by default), so that two deployments in one account and Region never read each other's metrics.
 */
export const METRICS_SERVICE_VARIABLE = 'POWERTOOLS_SERVICE_NAME';

/** The `service` dimension this process emits: the deployment's identity, or {@link METRICS_SERVICE_NAME}. */
export function metricsServiceName(env: NodeJS.ProcessEnv = process.env): string {
  return env[METRICS_SERVICE_VARIABLE] || METRICS_SERVICE_NAME;
}

/** The dimension every backup metric carries. */
export const CLUSTER_DIMENSION = 'Cluster';

/** One count per terminal outcome, so dashboards and alarms can read each state on its own. */
export const OUTCOME_METRICS: Readonly<Record<BackupOutcomeState, string>> = {
  FINISHED: 'BackupsFinished',
  FAILED: 'BackupsFailed',
  TIMED_OUT: 'BackupsTimedOut',
  SKIPPED: 'BackupsSkipped',
};

/** Seconds from submit to verified snapshot of a FINISHED backup we watched. */
export const DURATION_METRIC = 'BackupDurationSeconds';

/** Emits the outcome of one recorded backup attempt (one EMF document on stdout; Lambda ships it). */
export function emitBackupOutcome(outcome: {
  cluster: string;
  state: BackupOutcomeState;
  durationSeconds: number | null;
}): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: metricsServiceName() });
  metrics.addDimension(CLUSTER_DIMENSION, outcome.cluster);
  metrics.addMetric(OUTCOME_METRICS[outcome.state], MetricUnit.Count, 1);
  if (outcome.durationSeconds !== null)
    metrics.addMetric(DURATION_METRIC, MetricUnit.Seconds, outcome.durationSeconds);
  metrics.publishStoredMetrics();
}
