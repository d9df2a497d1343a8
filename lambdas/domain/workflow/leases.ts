import { InvalidInputError } from '#domain/errors.ts';
import type { HeldLock, HeldSlot, LeasePurpose, LockStore } from '#domain/lock/index.ts';
import type { BackupDatabaseState } from './workflow-state.ts';

/**
 * The fields of a workflow state that say which leases its execution holds: both the BackupDatabase and the
 * RestoreDrill machines keep them at `$.slot` and `$.lock` (written by the shared AcquireSlot and AcquireLock).
 */
export interface LeaseHoldingState {
  readonly cluster: { readonly name: string };
  readonly execution: { readonly id: string };
  readonly slot?: { readonly slot: number; readonly token: number } | undefined;
  readonly lock?: { readonly token: number } | undefined;
}

/** The lock on `database` this execution holds, in the lock store's terms; undefined before AcquireLock. */
export function heldLockOn(state: LeaseHoldingState, database: string): HeldLock | undefined {
  if (!state.lock) return undefined;
  return {
    cluster: state.cluster.name,
    database,
    holder: state.execution.id,
    token: state.lock.token,
  };
}

/**
 * What this execution takes its leases for (its run, slot, database and planned label), written on them so that
 * whoever inherits them from an ended execution knows what to settle.
 */
export function leasePurpose(state: BackupDatabaseState): LeasePurpose {
  return {
    runId: state.runId,
    schedule: state.schedule,
    scheduledTime: state.scheduledTime,
    database: state.database,
    label: state.label,
  };
}

/** The database lock a BackupDatabase execution holds; undefined before AcquireLock. */
export function heldLock(state: BackupDatabaseState): HeldLock | undefined {
  return heldLockOn(state, state.database);
}

/** The cluster slot this execution holds; undefined before AcquireSlot. */
export function heldSlot(state: LeaseHoldingState): HeldSlot | undefined {
  if (!state.slot) return undefined;
  return {
    cluster: state.cluster.name,
    slot: state.slot.slot,
    holder: state.execution.id,
    token: state.slot.token,
  };
}

/**
 * Both leases, which every step between AcquireLock and the release needs.
 * @throws InvalidInputError when the state holds neither or only one.
 */
export function requireBothLeases(
  lock: HeldLock | undefined,
  slot: HeldSlot | undefined,
): { lock: HeldLock; slot: HeldSlot } {
  if (!lock || !slot)
    throw new InvalidInputError('this step needs both the slot and the lock; the state holds neither or one');
  return { lock, slot };
}

/** Both leases of a BackupDatabase execution. @throws InvalidInputError before AcquireLock. */
export function requireLeases(state: BackupDatabaseState): { lock: HeldLock; slot: HeldSlot } {
  return requireBothLeases(heldLock(state), heldSlot(state));
}

/**
 * The fence of every step that acts on StarRocks or the catalog, and the renewal that keeps a live holder's leases
 * from lapsing: renews the lock, then the slot, each to `extendSeconds` from now. A lost lease throws
 * LeaseLostError, which stops the execution from acting on StarRocks again. Only the token is checked: a live
 * holder whose lease lapsed still holds it (docs/locking.md).
 */
export async function renewLeases(
  locks: Pick<LockStore, 'renewLock' | 'renewSlot'>,
  leases: { readonly lock: HeldLock; readonly slot: HeldSlot },
  extendSeconds: number,
): Promise<void> {
  await locks.renewLock({ ...leases.lock, extendSeconds });
  await locks.renewSlot({ ...leases.slot, extendSeconds });
}

/**
 * Extends both leases of a BackupDatabase execution so they outlive the coming Wait (0 before a step that does not
 * wait) plus the configured margin (`lock.leaseSeconds`, which covers the longest step and retry delay); a lost
 * lease throws LeaseLostError.
 */
export async function extendLeases(
  locks: Pick<LockStore, 'renewLock' | 'renewSlot'>,
  state: BackupDatabaseState,
  waitSeconds: number,
): Promise<void> {
  await renewLeases(locks, requireLeases(state), waitSeconds + state.cluster.lock.leaseSeconds);
}
