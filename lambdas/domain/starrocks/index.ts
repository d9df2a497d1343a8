/**
 * The only code that speaks SQL to StarRocks. Lambda cores depend on {@link StarRocksClient} (backups) and
 * {@link StarRocksMaintenanceClient} (restores, drills, pruning, run mode); {@link createStarRocksClient} hands out
 * both as a {@link FullStarRocksClient}. The builders, parsers and label helpers are exported for the cores, the
 * CLI and tests.
 */

export { StarRocksResultShapeError } from '#domain/errors.ts';
export {
  type BackupScope,
  describeOmitted,
  isNothing,
  isUnclassifiable,
  losesData,
  type NothingToBackUp,
  noScopeReason,
  type OmitReason,
  type OmittedObject,
  planBackupScope,
  type SnapshotObjectKind,
  type UnclassifiableObjects,
  withRefusal,
} from './backup-scope.ts';
export { classifyStarRocksError, type ErrorContext } from './classify-error.ts';
export {
  type CancelBackupResult,
  type CancelRestoreResult,
  createStarRocksClient,
  type FullStarRocksClient,
  type PartitionManifestOptions,
  type StarRocksClient,
  type StarRocksMaintenanceClient,
  type StarRocksPartitionClient,
  type StarRocksSettings,
  type SubmitBackupRequest,
  type SubmitRestoreRequest,
  type SubmittedBackup,
  type SubmittedRestore,
  withStarRocksClientSession,
} from './client.ts';
export {
  connectionOptionsFor,
  openStarRocksSession,
  type StarRocksConnectionSettings,
  type StarRocksSession,
  type StarRocksTlsSettings,
  withStarRocksSession,
} from './connection.ts';
export {
  assertValidIdentifier,
  IDENTIFIER_RULES,
  type IdentifierKind,
  isValidIdentifier,
  quoteIdentifier,
  quoteStringLiteral,
} from './identifiers.ts';
export { cancelledOutcome } from './job-outcome.ts';
export {
  BACKUP_JOB_STATES,
  type BackupJob,
  type BackupJobState,
  type BackupJobStatus,
  type BackupProgress,
  isTerminalBackupState,
  parseBackupJobs,
  parseBackupProgress,
  parseBackupStatus,
  TERMINAL_BACKUP_JOB_STATES,
} from './parse-backup-job.ts';
export {
  type ClusterSnapshot,
  type ClusterSnapshotJob,
  type ClusterSnapshotJobState,
  parseClusterSnapshotJobs,
  parseClusterSnapshots,
} from './parse-cluster-snapshots.ts';
export {
  classifyTable,
  parseDatabases,
  parseRepositories,
  parseTables,
  type RepositoryInfo,
  type TableInfo,
  type TableKind,
} from './parse-listings.ts';
export {
  assembleManifest,
  createTableWithoutPartitions,
  otherObjectFingerprint,
  type PartitionRow,
  parsePartitionsMeta,
  parseShowCreateTable,
  parseShowPartitions,
  partitioningOf,
  type ShowPartitionsAnswer,
  sessionDateTimeToIso,
  TABLE_FINGERPRINT_RECIPE,
  tableFingerprint,
  tableManifestOf,
} from './parse-partitions.ts';
export {
  isTerminalRestoreState,
  parseRestoreJobs,
  RESTORE_JOB_STATES,
  type RestoreJob,
  type RestoreJobState,
  TERMINAL_RESTORE_JOB_STATES,
} from './parse-restore-job.ts';
export { parseRunMode, type RunMode } from './parse-run-mode.ts';
export {
  type DatabaseDataSize,
  parseDataSize,
  parseShowData,
  type TableDataSize,
} from './parse-show-data.ts';
export {
  parseSnapshotDetails,
  parseSnapshotInfos,
  type SnapshotDetail,
  type SnapshotInfo,
} from './parse-snapshot.ts';
export { EMPTY_RESULT, type ResultTable } from './result-table.ts';
export { sharedDataRefusal } from './shared-data.ts';
export {
  type BackupSlot,
  buildSnapshotLabel,
  databasePartOfLabel,
  executionNameFor,
  formatSlotTimeUtc,
  MAX_LABEL_ATTEMPTS,
  SNAPSHOT_LABEL_PATTERN,
  sanitiseNamePart,
  slotLabels,
} from './snapshot-label.ts';
export { proveSnapshot, type SnapshotProof } from './snapshot-proof.ts';
export {
  assertBackupInput,
  assertRestoreInput,
  type BackupObjectType,
  type BackupStatementInput,
  type BackupTableRef,
  type BackupType,
  buildBackupStatement,
  buildCancelBackupStatement,
  buildCancelRestoreStatement,
  buildClusterSnapshotJobsStatement,
  buildClusterSnapshotsStatement,
  buildCountRowsStatement,
  buildCreateDatabaseStatement,
  buildCurrentVersionStatement,
  buildDropDatabaseStatement,
  buildDropPartitionStatement,
  buildDropSnapshotStatement,
  buildListTablesStatement,
  buildPartitionsMetaStatement,
  buildRestoreStatement,
  buildRunModeStatement,
  buildSetTimeZoneStatement,
  buildShowBackupStatement,
  buildShowCreateTableStatement,
  buildShowDatabasesStatement,
  buildShowDataStatement,
  buildShowPartitionsStatement,
  buildShowRepositoriesStatement,
  buildShowRestoreStatement,
  buildShowSnapshotDetailStatement,
  buildShowSnapshotStatement,
  buildUseDatabaseStatement,
  MIN_BACKUP_TIMEOUT_SECONDS,
  PARTITIONS_META_COLUMNS,
  type RestoreStatementInput,
  type RestoreTableRef,
  SESSION_TIME_ZONE,
  type Statement,
  type StatementKind,
} from './statements.ts';
export {
  CAPABILITY_TABLE,
  type CapabilityRow,
  type ClusterSnapshotSupport,
  capabilitiesOf,
  formatVersion,
  isAtLeast,
  isSupportedVersion,
  type ListPartitionBackup,
  parseStarRocksVersion,
  type StarRocksCapabilities,
  type StarRocksVersion,
  SUPPORTED_LINES,
  SUPPORTED_VERSION_RANGE,
  type UnsupportedTableText,
  type VersionKey,
} from './version.ts';
