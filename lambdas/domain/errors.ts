/**
 * Typed errors are the workflow's API: a Task Lambda throws one of these, Lambda reports its `name`
 * as the `errorType`, and the ASL matches that string in `Retry` / `Catch` `ErrorEquals`.
 *
 * Every class sets `name` to a string literal. It is never derived from the constructor at run time,
 * because minified bundles rename classes (we also bundle with `keepNames`, as a second line of defence).
 * Messages never contain a secret: callers pass host:port and statement kinds, never passwords or URLs.
 *
 * Whether an error is worth another attempt is not a property of its class: the ASL's Retry lists decide, and
 * TypeScript reads the same list (retry-policy.ts).
 */

/** Base class of every error the scheduler raises on purpose. */
export class BackupSchedulerError extends Error {
  override readonly name: string = 'BackupSchedulerError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The configuration file or a CLI argument is invalid; the message names the field path. */
export class ConfigError extends BackupSchedulerError {
  override readonly name = 'ConfigError';
  /** Every problem found, each as `path: message`. */
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[] = [message]) {
    super(message);
    this.issues = issues;
  }
}

/** A database, table, repository or label name that cannot be sent safely to StarRocks. */
export class InvalidIdentifierError extends BackupSchedulerError {
  override readonly name = 'InvalidIdentifierError';
}

/** The per-database lock is held by someone else whose lease is still live. */
export class LockHeldError extends BackupSchedulerError {
  override readonly name = 'LockHeldError';
  readonly holder: string;
  readonly leaseExpiresAt: number;

  constructor(message: string, holder: string, leaseExpiresAt: number) {
    super(message);
    this.holder = holder;
    this.leaseExpiresAt = leaseExpiresAt;
  }
}

/** Every backup slot of the cluster is taken by a live holder. */
export class SlotUnavailableError extends BackupSchedulerError {
  override readonly name = 'SlotUnavailableError';
}

/** Our fencing token is no longer current: another holder took the lock or slot over. */
export class LeaseLostError extends BackupSchedulerError {
  override readonly name = 'LeaseLostError';
}

/** StarRocks refused the BACKUP because the database already runs a backup or restore job. */
export class BackupAlreadyRunningError extends BackupSchedulerError {
  override readonly name = 'BackupAlreadyRunningError';
}

/** Another job is being submitted on the FE right now (`Another backup or restore job is being submitted`). */
export class BackupSubmitBusyError extends BackupSchedulerError {
  override readonly name = 'BackupSubmitBusyError';
}

/** A snapshot with this label already exists in the repository. */
export class SnapshotLabelExistsError extends BackupSchedulerError {
  override readonly name = 'SnapshotLabelExistsError';
}

/**
 * A snapshot, the backup timestamp a RESTORE names, or a table a RESTORE asks for is not in the repository
 * (`Failed to get info of snapshot …`, `Table <t> does not exist in snapshot <l>`,
 * `Snapshot does not exist in repository <r>: <l>`).
 */
export class SnapshotNotFoundError extends BackupSchedulerError {
  override readonly name = 'SnapshotNotFoundError';
}

/** DROP SNAPSHOT refused: a BACKUP is writing the snapshot or a RESTORE is reading it (free again later). */
export class SnapshotInUseError extends BackupSchedulerError {
  override readonly name = 'SnapshotInUseError';
}

/** DROP SNAPSHOT refused a snapshot another cluster wrote (or one that records no owner) without FORCE. */
export class SnapshotNotOwnedError extends BackupSchedulerError {
  override readonly name = 'SnapshotNotOwnedError';
}

/** StarRocks ended a RESTORE job as CANCELLED (a restore drill failed). */
export class RestoreFailedError extends BackupSchedulerError {
  override readonly name = 'RestoreFailedError';
}

/** The FE's StarRocks version lacks a statement the call needs (DROP SNAPSHOT before 4.2); nothing was sent. */
export class UnsupportedVersionError extends BackupSchedulerError {
  override readonly name = 'UnsupportedVersionError';
}

/** A pause (`sr-backup pause`) covers the cluster: a scheduled restore drill does not run, and nothing is recorded. */
export class ClusterPausedError extends BackupSchedulerError {
  override readonly name = 'ClusterPausedError';
}

/** StarRocks does not know the database. */
export class UnknownDatabaseError extends BackupSchedulerError {
  override readonly name = 'UnknownDatabaseError';
}

/** StarRocks refuses to back up a database that has no tables. */
export class EmptyDatabaseError extends BackupSchedulerError {
  override readonly name = 'EmptyDatabaseError';
}

/**
 * The backup names an object StarRocks cannot back up (a view before 3.4, an MV before 3.2, an external table, temp
 * partitions), or a database holds objects whose type cannot be told.
 */
export class UnsupportedObjectError extends BackupSchedulerError {
  override readonly name = 'UnsupportedObjectError';
}

/**
 * BACKUP refused a list-partitioned table: `List partition table does not support backup/restore job`
 * (sql/analyzer/BackupRestoreAnalyzer.analyzeTableRef, PR #27551; lifted by PR #51993 in later patches). The text
 * names no table.
 */
export class UnsupportedListPartitionError extends BackupSchedulerError {
  override readonly name = 'UnsupportedListPartitionError';
}

/**
 * The database holds nothing this StarRocks version can back up (only views before 3.4, only external tables, …):
 * SKIPPED with the reason, not a failure.
 */
export class NothingToBackUpError extends BackupSchedulerError {
  override readonly name = 'NothingToBackUpError';
}

/**
 * A differential schedule's run found nothing changed since the chain's newest snapshot, which therefore already
 * holds this slot's data: SKIPPED with the reason `unchanged`, and no BACKUP is sent (issue 20).
 */
export class UnchangedSinceSnapshotError extends BackupSchedulerError {
  override readonly name = 'UnchangedSinceSnapshotError';
}

/** The repository does not exist on the FE (or is read only). */
export class UnknownRepositoryError extends BackupSchedulerError {
  override readonly name = 'UnknownRepositoryError';
}

/** The user lacks a privilege (REPOSITORY on SYSTEM, EXPORT on tables). */
export class StarRocksAccessDeniedError extends BackupSchedulerError {
  override readonly name = 'StarRocksAccessDeniedError';
}

/** The FE refused the login (wrong user or password). */
export class StarRocksAuthError extends BackupSchedulerError {
  override readonly name = 'StarRocksAuthError';
}

/**
 * The FE, or something answering in its place, asked for a login method that would hand over the password where it
 * could be read: `mysql_clear_password`, `sha256_password` or a full `caching_sha2_password` exchange without
 * verified TLS, or an RSA key that is not the pinned one. Nothing was sent; not retried, and the password is not
 * re-read (it is not the password that is wrong).
 */
export class StarRocksInsecureAuthError extends BackupSchedulerError {
  override readonly name = 'StarRocksInsecureAuthError';
}

/**
 * A statement answered with more rows (or more text) than any backup needs. The read stopped at the limit and the
 * connection was dropped, so a runaway answer costs a bounded amount of memory. The same statement would answer
 * the same way, so nothing retries it.
 */
export class StarRocksResultTooLargeError extends BackupSchedulerError {
  override readonly name = 'StarRocksResultTooLargeError';
}

/** The FE could not be reached, or the connection was lost mid-conversation. */
export class StarRocksUnavailableError extends BackupSchedulerError {
  override readonly name = 'StarRocksUnavailableError';
}

/** A statement did not answer within its timeout. */
export class StarRocksTimeoutError extends BackupSchedulerError {
  override readonly name = 'StarRocksTimeoutError';
}

/**
 * A StarRocks result set lacks a column we need, or holds a value we cannot read: the FE answered in a shape this
 * version of the scheduler does not know (nothing retries it); the message names the statement and the problem.
 */
export class StarRocksResultShapeError extends BackupSchedulerError {
  override readonly name = 'StarRocksResultShapeError';
}

/** Any other SQL error StarRocks returned. */
export class StarRocksSqlError extends BackupSchedulerError {
  override readonly name = 'StarRocksSqlError';
  readonly errno: number | undefined;
  readonly sqlState: string | undefined;

  constructor(message: string, details: { errno?: number; sqlState?: string; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.errno = details.errno;
    this.sqlState = details.sqlState;
  }
}

/** The cluster cannot be backed up by this tool (for example a shared-data cluster). */
export class UnsupportedClusterError extends BackupSchedulerError {
  override readonly name = 'UnsupportedClusterError';
}

/** StarRocks ended the backup job as CANCELLED, or the snapshot failed verification. */
export class BackupFailedError extends BackupSchedulerError {
  override readonly name = 'BackupFailedError';
}

/** The backup ran past our deadline (or StarRocks' own timeout). */
export class BackupTimedOutError extends BackupSchedulerError {
  override readonly name = 'BackupTimedOutError';
}

/** A secret could not be read, or has no usable value. The message names the secret's ARN, never its value. */
export class SecretUnavailableError extends BackupSchedulerError {
  override readonly name = 'SecretUnavailableError';
}

/** An AWS dependency (DynamoDB, Step Functions, Secrets Manager) failed in a way worth retrying. */
export class DependencyUnavailableError extends BackupSchedulerError {
  override readonly name = 'DependencyUnavailableError';
}

/** A Task received an event that does not match its input schema (a definition or caller bug). */
export class InvalidInputError extends BackupSchedulerError {
  override readonly name = 'InvalidInputError';
}

/** A RESTORE ran past our deadline (we sent CANCEL RESTORE) or StarRocks' own timeout ended it. */
export class RestoreTimedOutError extends BackupSchedulerError {
  override readonly name = 'RestoreTimedOutError';
}

/**
 * A restore FINISHED but its result failed the check: a table of the snapshot is missing from the restored
 * database, or a restored table is empty while the same table of the source database has rows.
 */
export class RestoreCheckFailedError extends BackupSchedulerError {
  override readonly name = 'RestoreCheckFailedError';
}

/**
 * A prune ran but left snapshots it should have removed: a removal failed (S3 or StarRocks refused), or the
 * configured way of removing is not available on this cluster. Nothing was lost; the next prune tries again.
 * The nightly workflow catches it (States.ALL) and posts one alert; it never fails the backup run.
 */
export class PruneIncompleteError extends BackupSchedulerError {
  override readonly name = 'PruneIncompleteError';
}

/**
 * An on-demand restore refused because its target database exists: RESTORE would merge the snapshot's tables into
 * it (and overwrite same-named ones). Restore into a new name instead. Never reaches a state machine.
 */
export class RestoreTargetExistsError extends BackupSchedulerError {
  override readonly name = 'RestoreTargetExistsError';
  readonly database: string;
  /** The tables of a table restore that exist in the target already (empty for a whole-database restore). */
  readonly tables: readonly string[];

  constructor(database: string, tables: readonly string[] = []) {
    super(
      tables.length === 0
        ? `database "${database}" already exists; a restore never writes into an existing database`
        : `${tables.length === 1 ? 'table' : 'tables'} ${tables.map((name) => `"${name}"`).join(', ')} already ${tables.length === 1 ? 'exists' : 'exist'} in database "${database}"; a restore never writes over an existing table`,
    );
    this.database = database;
    this.tables = tables;
  }
}

/** The local restore was stopped (Ctrl-C) before it ended; our RESTORE job was cancelled. */
export class RestoreInterruptedError extends BackupSchedulerError {
  override readonly name = 'RestoreInterruptedError';
}

/** A schedule sync in which some changes failed; the others were applied. */
export class SyncFailedError extends BackupSchedulerError {
  override readonly name = 'SyncFailedError';
}

/** A schedule sync's deadline passed before the work was done; what was done stays done (the sync is idempotent). */
export class SyncOutOfTimeError extends BackupSchedulerError {
  override readonly name = 'SyncOutOfTimeError';
}

/**
 * The nightly run ended with a database FAILED or TIMED_OUT, or failed as a whole: the error of NightlyBackup's
 * Fail state `RunHadFailures`. Only the ASL raises it (its name has no `Error` suffix because the deployed
 * definition spells it so); the class makes it part of the one vocabulary.
 */
export class BackupRunFailed extends BackupSchedulerError {
  override readonly name = 'BackupRunFailed';
}

/**
 * SettleExecution could not settle the leases of an execution that ended: the error of its Fail state
 * `SettleFailed`. Only the ASL raises it, as {@link BackupRunFailed}.
 */
export class SettleFailed extends BackupSchedulerError {
  override readonly name = 'SettleFailed';
}

/**
 * Every error class of the scheduler, by name: what a Task may throw, what the ASL's Retry, Catch and Fail states
 * name, and what the CLI reports. Tests check the ASL against this list.
 */
export const ERROR_CLASSES = [
  BackupSchedulerError,
  ConfigError,
  InvalidIdentifierError,
  LockHeldError,
  SlotUnavailableError,
  LeaseLostError,
  BackupAlreadyRunningError,
  BackupSubmitBusyError,
  SnapshotLabelExistsError,
  SnapshotNotFoundError,
  SnapshotInUseError,
  SnapshotNotOwnedError,
  RestoreFailedError,
  UnsupportedVersionError,
  UnknownDatabaseError,
  EmptyDatabaseError,
  UnsupportedObjectError,
  UnsupportedListPartitionError,
  NothingToBackUpError,
  UnchangedSinceSnapshotError,
  UnknownRepositoryError,
  StarRocksAccessDeniedError,
  StarRocksAuthError,
  StarRocksInsecureAuthError,
  StarRocksUnavailableError,
  StarRocksTimeoutError,
  StarRocksResultShapeError,
  StarRocksResultTooLargeError,
  StarRocksSqlError,
  UnsupportedClusterError,
  BackupFailedError,
  BackupTimedOutError,
  SecretUnavailableError,
  DependencyUnavailableError,
  InvalidInputError,
  RestoreTimedOutError,
  RestoreCheckFailedError,
  ClusterPausedError,
  PruneIncompleteError,
  RestoreTargetExistsError,
  RestoreInterruptedError,
  SyncFailedError,
  SyncOutOfTimeError,
  BackupRunFailed,
  SettleFailed,
] as const;

/** The set of error names, as the ASL spells them. */
export const ERROR_NAMES: ReadonlySet<string> = new Set(
  ERROR_CLASSES.map((ErrorClass) => new (ErrorClass as new (message: string) => Error)('probe').name),
);
