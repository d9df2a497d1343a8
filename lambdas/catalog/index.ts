/** The snapshot catalog (one item per backup attempt) and the per-run alert budget. */
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
