/**
 * The snapshot catalog (backup attempts, pins, prune marks, restore drills) and the per-run alert budget. The
 * partition manifests of differential backups: manifest-store.ts (imported by its path, so a bundle that does not
 * use them does not carry the manifest schema).
 */
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
export { chainSnapshotsOf } from './chain-snapshots.ts';
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
  drillPointKind,
  type NewDrillRecord,
} from './drill-schema.ts';
export { DEFAULT_DRILL_LIMIT, type DrillCatalog, MAX_DRILL_LIMIT } from './drills.ts';
export { runOutcomes } from './run-outcomes.ts';
export {
  BACKUP_MODES,
  type BackupAttempt,
  BackupAttemptSchema,
  type BackupMode,
  backupModeOf,
  CATALOG_SCHEMA_VERSION,
  isGoodSnapshot,
  type NewBackupAttempt,
  REASON_MAX_CHARS,
  stateRank,
  truncateReason,
} from './schema.ts';
export type { SnapshotMarks, SnapshotRef } from './snapshot-marks.ts';
