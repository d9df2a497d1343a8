import type { LockStore } from '#domain/lock/index.ts';
import { heldLock, heldSlot } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';

/** What ReleaseLeases needs. */
export interface ReleaseLeasesDeps {
  readonly locks: Pick<LockStore, 'releaseLock' | 'releaseSlot'>;
}

/** `$.release`: whether each lease was ours to release. */
export interface ReleasedLeases {
  readonly lockReleased: boolean;
  readonly slotReleased: boolean;
}

/** Frees the lock and the slot this execution holds; releasing what is no longer ours is a harmless no-op. */
export async function releaseLeases(
  state: BackupDatabaseState,
  deps: ReleaseLeasesDeps,
): Promise<ReleasedLeases> {
  const lock = heldLock(state);
  const slot = heldSlot(state);
  const lockReleased = lock ? await deps.locks.releaseLock(lock) : false;
  const slotReleased = slot ? await deps.locks.releaseSlot(slot) : false;
  return { lockReleased, slotReleased };
}
