/** The snapshot catalog (backup attempts, pins, prune marks, restore drills) and the per-run alert budget. */
export {
  type AlertBudget,
  type AlertBudgetDeps,
  type AlertBudgetUsage,
  createAlertBudget,
} from './alert-budget.ts';
export {
  type CatalogStore,
  type CatalogStoreDeps,
  createCatalogStore,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
  RECENT_DURATIONS_LOOKBACK,
  type RecordOutcome,
} from './catalog-store.ts';
export {
  CLUSTER_SNAPSHOT_RECORD_DAYS,
  type ClusterSnapshotRecord,
  type ClusterSnapshotRecords,
  createClusterSnapshotRecords,
} from './cluster-snapshots.ts';
export {
  DRILL_TABLE_NAMES_MAX,
  type DrillRecord,
  DrillRecordSchema,
  type NewDrillRecord,
} from './drill-schema.ts';
export { DEFAULT_DRILL_LIMIT, type DrillCatalog, MAX_DRILL_LIMIT } from './drills.ts';
export { runOutcomes } from './run-outcomes.ts';
export {
  type BackupAttempt,
  BackupAttemptSchema,
  CATALOG_SCHEMA_VERSION,
  isGoodSnapshot,
  type NewBackupAttempt,
  REASON_MAX_CHARS,
  stateRank,
  truncateReason,
} from './schema.ts';
export type { SnapshotMarks, SnapshotRef } from './snapshot-marks.ts';
