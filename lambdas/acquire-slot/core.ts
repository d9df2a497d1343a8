import type { LockStore } from '../lock/index.ts';
import type { BackupDatabaseState } from '../shared/workflow-state.ts';

/** What AcquireSlot needs. */
export interface AcquireSlotDeps {
  readonly locks: Pick<LockStore, 'acquireSlot'>;
}

/** `$.slot` after AcquireSlot. */
export interface SlotLease {
  readonly slot: number;
  readonly token: number;
  readonly leaseExpiresAt: number;
}

/**
 * Takes one of the cluster's `maxConcurrentBackups` slots, shared by every run, manual start and restore of
 * the cluster. All taken by live holders → SlotUnavailableError (the ASL waits with backoff, then skips).
 */
export async function acquireSlot(state: BackupDatabaseState, deps: AcquireSlotDeps): Promise<SlotLease> {
  const acquired = await deps.locks.acquireSlot({
    cluster: state.cluster.name,
    capacity: state.cluster.maxConcurrentBackups,
    holder: state.execution.id,
    leaseSeconds: state.cluster.lock.leaseSeconds,
  });
  return { slot: acquired.slot, token: acquired.token, leaseExpiresAt: acquired.leaseExpiresAt };
}
