/**
 * Differential partition backups (issue 20), the pure rules: the partition manifest, what a differential holds,
 * which snapshots form a restorable chain, and the steps of a chain restore (run by the drill and Restore machines
 * through lambdas/domain/restore/drill-chain.ts, and locally by take.ts runRestoreChain).
 */
export {
  type ChainSnapshot,
  chainKeep,
  isRestorablePoint,
  type SnapshotKind,
  type UnrestorableReason,
  unrestorableReason,
} from './chain.ts';
export {
  bigintTextSchema,
  isRangePartitioning,
  isShadowPartition,
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  manifestSchema,
  type OlapTableManifest,
  type OtherObjectManifest,
  olapTableSchema,
  otherObjectSchema,
  PARTITIONING_KINDS,
  type Partition,
  type PartitioningKind,
  partitionSchema,
} from './manifest.ts';
export {
  type BackupObject,
  type DifferentialOptions,
  type DifferentialPlan,
  type ObjectKind,
  type ObjectPlan,
  planDifferential,
  type WholeReason,
} from './plan.ts';
export { checkStepOf, type RestoreStep, restoreSteps } from './restore-steps.ts';
export {
  backupTableRefOf,
  type ChainCheckMismatch,
  type ChainRestoreClient,
  type ChainRestoreRequest,
  type ChainRestoreResult,
  compareWithManifest,
  type NightBackupRequest,
  type NightClient,
  type NightDecision,
  type NightOptions,
  planNight,
  runRestoreChain,
} from './take.ts';
