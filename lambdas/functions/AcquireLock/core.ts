import type { InheritedLease, LockStore } from '#domain/lock/index.ts';
import { heldSlot, leasePurpose } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';

/** What AcquireLock needs. */
export interface AcquireLockDeps {
  readonly locks: Pick<LockStore, 'acquireLock' | 'renewSlot'>;
}

/** `$.lock` after AcquireLock. */
export interface LockLease {
  readonly token: number;
  readonly leaseExpiresAt: number;
  /** The ended holder whose lock this was, with the job it left (SettleOrphans settles it); null otherwise. */
  readonly takenOver: InheritedLease | null;
}

/**
 * Takes the per-database lock (fencing token grows on every acquisition). A running holder → LockHeldError,
 * which the ASL retries for a bounded time and then records as SKIPPED; a holder whose execution ended is
 * taken over. Every attempt first renews the slot this execution holds (the fence that it still holds it, and
 * the renewal that keeps it through the retries) and notes on it which database it works on.
 */
export async function acquireLock(state: BackupDatabaseState, deps: AcquireLockDeps): Promise<LockLease> {
  const slot = heldSlot(state);
  if (slot) {
    await deps.locks.renewSlot({
      ...slot,
      extendSeconds: state.cluster.lock.leaseSeconds,
      database: state.database,
    });
  }
  const acquired = await deps.locks.acquireLock({
    cluster: state.cluster.name,
    database: state.database,
    holder: state.execution.id,
    leaseSeconds: state.cluster.lock.leaseSeconds,
    label: state.label,
    purpose: leasePurpose(state),
  });
  return { token: acquired.token, leaseExpiresAt: acquired.leaseExpiresAt, takenOver: acquired.takenOver };
}
