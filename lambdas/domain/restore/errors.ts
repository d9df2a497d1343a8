import { BackupSchedulerError } from '#domain/errors.ts';

/**
 * An on-demand restore refused because its target database exists: RESTORE would merge the snapshot's tables into
 * it (and overwrite same-named ones). Restore into a new name instead. Never reaches a state machine.
 */
export class RestoreTargetExistsError extends BackupSchedulerError {
  override readonly name = 'RestoreTargetExistsError';
  readonly database: string;

  constructor(database: string) {
    super(`database "${database}" already exists; a restore never writes into an existing database`);
    this.database = database;
  }
}

/** The local restore was stopped (Ctrl-C) before it ended; our RESTORE job was cancelled. */
export class RestoreInterruptedError extends BackupSchedulerError {
  override readonly name = 'RestoreInterruptedError';
}
