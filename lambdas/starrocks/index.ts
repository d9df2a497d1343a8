/**
 * The only code that speaks SQL to StarRocks. Lambda cores depend on {@link StarRocksClient}; the builders,
 * parsers and label helpers are exported for the cores, the CLI and tests.
 */
export { backupTimeoutSeconds, DEFAULT_BACKUP_TIMEOUT_MARGIN_SECONDS } from './backup-timeout.ts';
export { classifyStarRocksError, type ErrorContext } from './classify-error.ts';
export {
  type CancelBackupResult,
  createStarRocksClient,
  type StarRocksClient,
  type StarRocksSettings,
  type SubmitBackupRequest,
  type SubmittedBackup,
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
  classifyTable,
  parseDatabases,
  parseRepositories,
  parseTables,
  type RepositoryInfo,
  type TableInfo,
  type TableKind,
} from './parse-listings.ts';
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
export { EMPTY_RESULT, type ResultTable, StarRocksResultShapeError } from './result-table.ts';
export {
  type BackupSlot,
  buildSnapshotLabel,
  executionNameFor,
  formatSlotTimeUtc,
  SNAPSHOT_LABEL_PATTERN,
  sanitiseNamePart,
} from './snapshot-label.ts';
export {
  assertBackupInput,
  type BackupStatementInput,
  type BackupTableRef,
  type BackupType,
  buildBackupStatement,
  buildCancelBackupStatement,
  buildCurrentVersionStatement,
  buildListTablesStatement,
  buildShowBackupStatement,
  buildShowDatabasesStatement,
  buildShowDataStatement,
  buildShowRepositoriesStatement,
  buildShowSnapshotDetailStatement,
  buildShowSnapshotStatement,
  buildUseDatabaseStatement,
  MIN_BACKUP_TIMEOUT_SECONDS,
  type Statement,
  type StatementKind,
} from './statements.ts';
export {
  capabilitiesOf,
  formatVersion,
  isAtLeast,
  isSupportedVersion,
  parseStarRocksVersion,
  type StarRocksCapabilities,
  type StarRocksVersion,
  SUPPORTED_VERSION_RANGE,
} from './version.ts';
