import type { LockStore } from '../lock/index.ts';
import { InvalidInputError } from '../shared/errors.ts';
import { requireLeases } from '../shared/leases.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { BackupDatabaseState, Outcome } from '../shared/workflow-state.ts';
import { isTerminalBackupState, type StarRocksClient } from '../starrocks/index.ts';

/** What CancelBackup needs. */
export interface CancelBackupDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'assertLockCurrent'>;
  readonly logger: AppLogger;
}

/**
 * Our deadline passed: CANCEL BACKUP FROM the database, but only while our lock token is current and only if
 * the database's running job is ours. The outcome is TIMED_OUT with reason `deadline` either way.
 */
export async function cancelBackup(state: BackupDatabaseState, deps: CancelBackupDeps): Promise<Outcome> {
  const label = state.job?.label;
  if (!label) throw new InvalidInputError('CancelBackup needs $.job (set by SubmitBackup)');
  const { lock } = requireLeases(state);
  await deps.locks.assertLockCurrent(lock);
  await deps.starRocks(async (client) => {
    const row = await client.showBackup(state.database);
    if (!row || row.snapshotName !== label || isTerminalBackupState(row.state)) {
      deps.logger.warn('deadline passed but our job is not running any more; nothing to cancel', {
        label,
        latest: row?.snapshotName ?? null,
        state: row?.state ?? null,
      });
      return;
    }
    const result = await client.cancelBackup(state.database);
    deps.logger.warn('deadline passed: cancelled the backup', { label, result: result.outcome });
  });
  return { state: 'TIMED_OUT', reason: 'deadline' };
}
