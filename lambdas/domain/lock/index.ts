/**
 * Per-database locks and per-cluster backup slots (leases with fencing tokens) in the locks table.
 * See lock-store.ts for the rules.
 */

export { clusterPartitionKey, databaseLockKey, MAX_SLOTS, slotKey } from './keys.ts';
export {
  type AcquiredLease,
  type AcquiredSlot,
  type ClusterLocks,
  createLockStore,
  type HeldLock,
  type HeldSlot,
  type HolderLiveness,
  type InheritedLease,
  type LeasePurpose,
  type LockRecord,
  type LockStore,
  type LockStoreDeps,
  type SlotRecord,
} from './lock-store.ts';
