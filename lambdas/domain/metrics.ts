/**
 * The names of every metric the scheduler emits, shared by the code that emits them (lambdas/runtime/metrics.ts)
 * and the alarms and dashboard that read them (cdk/). Names only: emitting is the runtime's job.
 */
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

/** Bytes of a verified FINISHED backup (SHOW DATA at backup time), one value per backup. */
export const SIZE_METRIC = 'BackupSizeBytes';

/** Seconds a restore drill's RESTORE of a full took (submit to FINISHED), one value per drill that restored. */
export const DRILL_DURATION_METRIC = 'DrillRestoreSeconds';

/**
 * Seconds a drill's chain restore took (a full, the drops, a differential: first submit to the last FINISHED). Apart
 * from DrillRestoreSeconds: a chain reads more than its full, so the two times promise different things.
 */
export const DRILL_CHAIN_DURATION_METRIC = 'DrillChainRestoreSeconds';

/** Age of the oldest latest-good snapshot among the cluster's selected databases, in seconds. */
export const OLDEST_SNAPSHOT_AGE_METRIC = 'OldestGoodSnapshotAgeSeconds';
/** Databases that count as late (alerted), per cluster. */
export const DATABASES_LATE_METRIC = 'DatabasesLate';
/** Databases no schedule covers and no exclude pattern names (drift), per cluster. */
export const DATABASES_UNCOVERED_METRIC = 'DatabasesUncovered';

/** The outcome of one recorded backup attempt, as RecordResult reports it. */
export interface BackupOutcomeFigures {
  readonly cluster: string;
  readonly state: BackupOutcomeState;
  /** Null when the backup was not watched to its end (adopted, skipped, failed before submit). */
  readonly durationSeconds: number | null;
  /** Null unless the attempt FINISHED with a verified snapshot whose size was read. */
  readonly sizeBytes: number | null;
}

/** One recorded restore drill, as RecordDrill reports it. */
export interface DrillFigures {
  readonly cluster: string;
  /** Null when the RESTORE did not run to its end (nothing was measured). */
  readonly durationSeconds: number | null;
  /** What was restored: a full, or a chain (full + differential). Absent: a full. */
  readonly pointKind?: 'full' | 'chain' | undefined;
}

/** One freshness check's figures for one cluster. */
export interface FreshnessMetrics {
  readonly cluster: string;
  /** Null when no selected database has a good snapshot (nothing to age). */
  readonly oldestAgeSeconds: number | null;
  readonly late: number;
  readonly uncovered: number;
}
