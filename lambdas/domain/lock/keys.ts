/**
 * Keys of the locks table (see LOCKS_TABLE): every item of a cluster shares one partition, so a single
 * Query shows what the cluster holds; the sort key prefix tells a database lock from a backup slot.
 */

/** Largest number of backup slots per cluster (an inline Map's concurrency limit). */
export const MAX_SLOTS = 40;

const LOCK_PREFIX = 'lock#';
const SLOT_PREFIX = 'slot#';

/** The primary key of one item of the locks table. */
export interface LockTableKey {
  readonly pk: string;
  readonly sk: string;
}

/** Partition key shared by every lock and slot of `cluster`. */
export function clusterPartitionKey(cluster: string): string {
  return `cluster#${cluster}`;
}

/** The key of the per-database lock `cluster#database`. */
export function databaseLockKey(cluster: string, database: string): LockTableKey {
  return { pk: clusterPartitionKey(cluster), sk: `${LOCK_PREFIX}${database}` };
}

/** The key of backup slot `slot` (0-based) of `cluster`; zero-padded so slots sort by number. */
export function slotKey(cluster: string, slot: number): LockTableKey {
  return { pk: clusterPartitionKey(cluster), sk: `${SLOT_PREFIX}${String(slot).padStart(3, '0')}` };
}

/** Sort key prefix of every slot item, for `begins_with` queries. */
export const SLOT_SORT_KEY_PREFIX = SLOT_PREFIX;

/** What a sort key of the locks table names: a database lock, a slot, or something we do not know. */
export function parseSortKey(
  sk: string,
): { kind: 'lock'; database: string } | { kind: 'slot'; slot: number } | { kind: 'unknown' } {
  if (sk.startsWith(LOCK_PREFIX)) return { kind: 'lock', database: sk.slice(LOCK_PREFIX.length) };
  if (sk.startsWith(SLOT_PREFIX)) {
    const slot = Number(sk.slice(SLOT_PREFIX.length));
    if (Number.isInteger(slot) && slot >= 0) return { kind: 'slot', slot };
  }
  return { kind: 'unknown' };
}
