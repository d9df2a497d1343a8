/** Backup freshness (fresh / late / never) against a cluster's schedules; pure, shared by the CLI and the checker. */
export {
  assessFreshness,
  type DatabaseFreshness,
  DEFAULT_GRACE_SECONDS,
  databasesBehindLatestSlot,
  EXPECTED_DURATION_SAMPLE,
  expectedDurationOf,
  expectedSlot,
  type FreshnessCluster,
  type FreshnessReport,
  type FreshnessRequest,
  type FreshnessSchedule,
  type FreshnessState,
  type GoodSnapshot,
  readExpectedDurations,
} from './freshness.ts';
