import { LeaseLostError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { isTerminalBackupState, type StarRocksClient } from '#domain/starrocks/index.ts';
import { heldLock } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';

/** What CancelIfOurs needs. */
export interface CancelIfOursDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock'>;
  readonly logger: AppLogger;
}

/** `$.cancel`: what the failure path did about a possibly running job. */
export interface CancelIfOursResult {
  readonly cancelled: boolean;
  readonly why: 'cancelled' | 'no-lock' | 'lease-lost' | 'not-running';
  readonly label: string | null;
}

/**
 * The failure path's guard against orphans: before the lock is released, cancel the database's running job
 * if it carries one of this slot's labels and our lock token is still current. A job someone else owns (or
 * that a new holder adopted after taking our lease) is never touched.
 */
export async function cancelIfOurs(
  state: BackupDatabaseState,
  deps: CancelIfOursDeps,
): Promise<CancelIfOursResult> {
  const lock = heldLock(state);
  if (!lock) return { cancelled: false, why: 'no-lock', label: null };
  try {
    await deps.locks.renewLock({ ...lock, extendSeconds: state.cluster.lock.leaseSeconds });
  } catch (error) {
    if (error instanceof LeaseLostError) return { cancelled: false, why: 'lease-lost', label: null };
    throw error;
  }
  return deps.starRocks(async (client) => {
    const row = await client.showBackup(state.database);
    if (!row || !isSlotLabel(state, row.snapshotName) || isTerminalBackupState(row.state)) {
      return { cancelled: false, why: 'not-running', label: row?.snapshotName ?? null };
    }
    const result = await client.cancelBackup(state.database);
    deps.logger.warn('cancelled our running backup before releasing the lock', {
      label: row.snapshotName,
      result: result.outcome,
    });
    return { cancelled: result.outcome === 'cancelled', why: 'cancelled', label: row.snapshotName };
  });
}

/** The planned label, an attempt of it (`<label>_a<n>`), or the label SubmitBackup recorded. */
function isSlotLabel(state: BackupDatabaseState, label: string): boolean {
  return (
    label === state.job?.label || label === state.label || new RegExp(`^${state.label}_a\\d+$`).test(label)
  );
}
