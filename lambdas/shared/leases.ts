import type { HeldLock, HeldSlot, LockStore } from '../lock/index.ts';
import { InvalidInputError } from './errors.ts';
import type { BackupDatabaseState } from './workflow-state.ts';

/** The database lock this execution holds, in the lock store's terms; undefined before AcquireLock. */
export function heldLock(state: BackupDatabaseState): HeldLock | undefined {
  if (!state.lock) return undefined;
  return {
    cluster: state.cluster.name,
    database: state.database,
    holder: state.execution.id,
    token: state.lock.token,
  };
}

/** The cluster slot this execution holds; undefined before AcquireSlot. */
export function heldSlot(state: BackupDatabaseState): HeldSlot | undefined {
  if (!state.slot) return undefined;
  return {
    cluster: state.cluster.name,
    slot: state.slot.slot,
    holder: state.execution.id,
    token: state.slot.token,
  };
}

/** Both leases, which every step between AcquireLock and Release needs. */
export function requireLeases(state: BackupDatabaseState): { lock: HeldLock; slot: HeldSlot } {
  const lock = heldLock(state);
  const slot = heldSlot(state);
  if (!lock || !slot)
    throw new InvalidInputError('this step needs both the slot and the lock; the state holds neither or one');
  return { lock, slot };
}

/**
 * Extends both leases so they outlive the coming Wait plus the configured margin; a lost lease throws
 * LeaseLostError, which stops this execution from acting on StarRocks again.
 */
export async function extendLeases(
  locks: Pick<LockStore, 'renewLock' | 'renewSlot'>,
  state: BackupDatabaseState,
  waitSeconds: number,
): Promise<void> {
  const { lock, slot } = requireLeases(state);
  const extendSeconds = waitSeconds + state.cluster.lock.leaseSeconds;
  await locks.renewLock({ ...lock, extendSeconds });
  await locks.renewSlot({ ...slot, extendSeconds });
}
