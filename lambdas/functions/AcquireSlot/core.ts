import type { InheritedLease, LockStore } from '#domain/lock/index.ts';
import { leasePurpose } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';

/** What AcquireSlot needs. */
export interface AcquireSlotDeps {
  readonly locks: Pick<LockStore, 'acquireSlot'>;
}

/** `$.slot` after AcquireSlot. */
export interface SlotLease {
  readonly slot: number;
  readonly token: number;
  readonly leaseExpiresAt: number;
  /** The ended holder whose slot this was, with the work it left (SettleOrphans settles it); null otherwise. */
  readonly takenOver: InheritedLease | null;
}

/**
 * Takes one of the cluster's `maxConcurrentBackups` slots, shared by every run, manual start and restore of
 * the cluster. All taken by running holders → SlotUnavailableError (the ASL waits with backoff, then skips).
 * The slot records what it is taken for, so whoever inherits it from an ended holder knows what to settle.
 */
export async function acquireSlot(state: BackupDatabaseState, deps: AcquireSlotDeps): Promise<SlotLease> {
  const acquired = await deps.locks.acquireSlot({
    cluster: state.cluster.name,
    capacity: state.cluster.maxConcurrentBackups,
    holder: state.execution.id,
    leaseSeconds: state.cluster.lock.leaseSeconds,
    purpose: leasePurpose(state),
  });
  return {
    slot: acquired.slot,
    token: acquired.token,
    leaseExpiresAt: acquired.leaseExpiresAt,
    takenOver: acquired.takenOver,
  };
}
