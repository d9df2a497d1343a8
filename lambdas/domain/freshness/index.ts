/** Backup freshness (fresh / late / never) against a cluster's schedules; pure, shared by the CLI and the checker. */
export {
  assessFreshness,
  type DatabaseFreshness,
  defaultGraceSeconds,
  expectedSlot,
  type FreshnessCluster,
  type FreshnessReport,
  type FreshnessRequest,
  type FreshnessSchedule,
  type FreshnessState,
  type GoodSnapshot,
} from './freshness.ts';
