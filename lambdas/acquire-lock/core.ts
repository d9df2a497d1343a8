import type { LockStore } from '../lock/index.ts';
import type { BackupDatabaseState } from '../shared/workflow-state.ts';

/** What AcquireLock needs. */
export interface AcquireLockDeps {
  readonly locks: Pick<LockStore, 'acquireLock'>;
}

/** `$.lock` after AcquireLock. */
export interface LockLease {
  readonly token: number;
  readonly leaseExpiresAt: number;
}

/**
 * Takes the per-database lock (fencing token grows on every acquisition). A live holder → LockHeldError,
 * which the ASL retries for a bounded time and then records as SKIPPED; a holder whose execution ended is
 * taken over.
 */
export async function acquireLock(state: BackupDatabaseState, deps: AcquireLockDeps): Promise<LockLease> {
  const acquired = await deps.locks.acquireLock({
    cluster: state.cluster.name,
    database: state.database,
    holder: state.execution.id,
    leaseSeconds: state.cluster.lock.leaseSeconds,
    label: state.label,
  });
  return { token: acquired.token, leaseExpiresAt: acquired.leaseExpiresAt };
}
