import { BackupSchedulerError } from '#domain/errors.ts';

/** Another process (or another embedded server in this one) already uses the local state directory. */
export class StateDirBusyError extends BackupSchedulerError {
  override readonly name = 'StateDirBusyError';
  /** The state directory as the caller named it. */
  readonly stateDir: string;

  constructor(stateDir: string, lockPath: string) {
    super(
      `another sr-backup run is using ${stateDir} (${lockPath} is locked); wait for it or pass --state-dir`,
    );
    this.stateDir = stateDir;
  }
}

/** An existing local table does not have the keys or indexes our table definitions require. */
export class TableSchemaMismatchError extends BackupSchedulerError {
  override readonly name = 'TableSchemaMismatchError';
}
