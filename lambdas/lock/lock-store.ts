import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../shared/clock.ts';
import { LeaseLostError, LockHeldError, SlotUnavailableError } from '../shared/errors.ts';
import { type AppLogger, silentLogger } from '../shared/logger.ts';
import { queryAllItems } from '../shared/query-all.ts';
import {
  clusterPartitionKey,
  databaseLockKey,
  type LockTableKey,
  MAX_SLOTS,
  parseSortKey,
  SLOT_SORT_KEY_PREFIX,
  slotKey,
} from './keys.ts';
import {
  acquireIfFreeOrOwn,
  checkLeaseCurrent,
  type DescriptiveAttributes,
  type GrantedLease,
  isFree,
  type LeaseItem,
  type LeaseTable,
  readLease,
  releaseLease,
  renewLease,
  takeOver,
} from './lease.ts';

/** What the lock store needs from its environment. */
export interface LockStoreDeps {
  /** DocumentClient on the DynamoDB endpoint (AWS, or the local dynalite). */
  readonly client: DynamoDBDocumentClient;
  /** Physical name of the locks table. */
  readonly tableName: string;
  readonly clock: Clock;
  /**
   * Whether the execution `holder` is still running. Asked only about a holder whose lease has not expired;
   * false lets us take its lock or slot over. Deployed it calls DescribeExecution; locally the runner answers.
   */
  readonly isHolderAlive: (holder: string) => Promise<boolean>;
  readonly logger?: AppLogger;
}

/** A lock or slot just granted. */
export interface AcquiredLease {
  /** Fencing token: pass it to renew, release and assert. It grows on every acquisition. */
  readonly token: number;
  /** Epoch ms. */
  readonly leaseExpiresAt: number;
  /** The holder whose ended execution we took the lease from, or null. */
  readonly takenOverFrom: string | null;
}

/** A backup slot just granted. */
export interface AcquiredSlot extends AcquiredLease {
  /** 0-based slot number, below the capacity it was requested with. */
  readonly slot: number;
}

/** The state of one database lock, as stored. */
export interface LockRecord {
  readonly kind: 'lock';
  readonly cluster: string;
  readonly database: string;
  readonly holder: string | null;
  readonly token: number;
  readonly leaseExpiresAt: number | null;
  readonly label: string | null;
  readonly acquiredAt: number | null;
  /** True when a holder is recorded but its lease has expired (anyone may take it). */
  readonly expired: boolean;
}

/** The state of one backup slot, as stored. */
export interface SlotRecord {
  readonly kind: 'slot';
  readonly cluster: string;
  readonly slot: number;
  readonly holder: string | null;
  readonly token: number;
  readonly leaseExpiresAt: number | null;
  readonly acquiredAt: number | null;
  readonly expired: boolean;
}

/** Every lock and slot item of one cluster. */
export interface ClusterLocks {
  readonly locks: readonly LockRecord[];
  readonly slots: readonly SlotRecord[];
}

/** Identifies the caller's hold on a database lock. */
export interface HeldLock {
  readonly cluster: string;
  readonly database: string;
  readonly holder: string;
  readonly token: number;
}

/** Identifies the caller's hold on a backup slot. */
export interface HeldSlot {
  readonly cluster: string;
  readonly slot: number;
  readonly holder: string;
  readonly token: number;
}

/** Per-database locks and per-cluster backup slots, with leases and fencing tokens. */
export interface LockStore {
  /**
   * Takes the lock of `cluster#database` for `holder`: when free, expired, already ours (re-entrant: a NEW token,
   * the holder's previous token becomes stale), or held by an execution that has ended (takeover).
   * @throws LockHeldError when another live holder's lease has not expired.
   */
  acquireLock(request: {
    cluster: string;
    database: string;
    holder: string;
    leaseSeconds: number;
    label?: string | undefined;
  }): Promise<AcquiredLease>;
  /**
   * Extends the lease to now + `extendSeconds` (the next Wait plus the margin). Succeeds while the token is
   * current, even if the lease lapsed meanwhile and nobody took it.
   * @returns the new lease expiry (epoch ms).
   * @throws LeaseLostError when `holder`/`token` no longer hold the lock.
   */
  renewLock(request: HeldLock & { extendSeconds: number }): Promise<number>;
  /** Frees the lock. Returns false (never throws) when it is not ours: released twice, or taken over. */
  releaseLock(request: HeldLock): Promise<boolean>;
  /**
   * Fencing check before acting on StarRocks or the catalog: passes only while `holder` holds `token` and the
   * lease has not expired (an expired lease may be taken at any moment without asking us, so it protects nothing;
   * a holder whose lease lapsed but whose token is still current can `renewLock` first).
   * @throws LeaseLostError otherwise.
   */
  assertLockCurrent(request: HeldLock): Promise<void>;
  /**
   * Takes one of the `capacity` backup slots of `cluster` (slots 0..capacity-1; a slot the holder already has is
   * returned again with a new token). Dead or expired holders' slots are taken over.
   * @throws SlotUnavailableError when every slot is held by a live holder.
   */
  acquireSlot(request: {
    cluster: string;
    capacity: number;
    holder: string;
    leaseSeconds: number;
  }): Promise<AcquiredSlot>;
  /** Like `renewLock`, for a slot. @throws LeaseLostError */
  renewSlot(request: HeldSlot & { extendSeconds: number }): Promise<number>;
  /** Like `releaseLock`, for a slot: false when not ours. */
  releaseSlot(request: HeldSlot): Promise<boolean>;
  /** Like `assertLockCurrent`, for a slot. @throws LeaseLostError */
  assertSlotCurrent(request: HeldSlot): Promise<void>;
  /** Every lock and slot item of the cluster, held or not (for the CLI and tests). */
  inspectLocks(cluster: string): Promise<ClusterLocks>;
  /** Only the locks and slots held by a live lease right now. */
  listHeld(cluster: string): Promise<ClusterLocks>;
}

/**
 * Upper bound on read → liveness → write rounds of one acquisition. Each lost round means another writer
 * changed the item in between; after this many we report the holder we last saw rather than spin.
 */
const MAX_ACQUIRE_ROUNDS = 4;

/** Builds the lock store over the locks table. */
export function createLockStore(deps: LockStoreDeps): LockStore {
  const table: LeaseTable = { client: deps.client, tableName: deps.tableName };
  const logger = deps.logger ?? silentLogger;

  type Attempt = { granted: AcquiredLease } | { heldBy: LeaseItem };

  /** One lease item: free/expired/own → take; held → liveness → takeover or report the holder. */
  async function acquireOne(
    key: LockTableKey,
    request: {
      holder: string;
      leaseSeconds: number;
      label: string | undefined;
      attributes: DescriptiveAttributes;
    },
  ): Promise<Attempt> {
    let lastSeen: LeaseItem | undefined;
    for (let round = 0; round < MAX_ACQUIRE_ROUNDS; round++) {
      const grant = (now: number) => ({
        key,
        holder: request.holder,
        now,
        leaseExpiresAt: now + request.leaseSeconds * 1000,
        label: request.label,
        attributes: request.attributes,
      });
      const direct = await acquireIfFreeOrOwn(table, grant(deps.clock.now()));
      if (direct) return { granted: toAcquired(direct, null) };

      const current = await readLease(table, key);
      const now = deps.clock.now();
      if (current === undefined || isFree(current, now) || current.holder === request.holder) continue;
      lastSeen = current;
      const holder = current.holder as string;
      if (await deps.isHolderAlive(holder)) return { heldBy: current };

      const taken = await takeOver(table, grant(deps.clock.now()), { holder, token: Number(current.token) });
      if (taken) {
        logger.info('took over a lease whose holder has ended', { key: `${key.pk}/${key.sk}`, from: holder });
        return { granted: toAcquired(taken, holder) };
      }
    }
    if (lastSeen === undefined) lastSeen = await readLease(table, key);
    return { heldBy: lastSeen ?? { ...key } };
  }

  function toAcquired(lease: GrantedLease, from: string | null): AcquiredLease {
    return { token: lease.token, leaseExpiresAt: lease.leaseExpiresAt, takenOverFrom: from };
  }

  async function renew(
    key: LockTableKey,
    what: string,
    request: { holder: string; token: number; extendSeconds: number },
  ) {
    assertPositive('extendSeconds', request.extendSeconds);
    const now = deps.clock.now();
    const leaseExpiresAt = now + request.extendSeconds * 1000;
    const renewed = await renewLease(table, {
      key,
      holder: request.holder,
      token: request.token,
      now,
      leaseExpiresAt,
    });
    if (!renewed)
      throw new LeaseLostError(`${what} is no longer held by ${request.holder} with token ${request.token}`);
    return leaseExpiresAt;
  }

  async function assertCurrent(key: LockTableKey, what: string, request: { holder: string; token: number }) {
    const current = await checkLeaseCurrent(table, {
      key,
      holder: request.holder,
      token: request.token,
      now: deps.clock.now(),
    });
    if (!current) {
      throw new LeaseLostError(
        `${what} is no longer held by ${request.holder} with token ${request.token} (or its lease expired)`,
      );
    }
  }

  async function queryCluster(cluster: string, sortKeyPrefix?: string): Promise<LeaseItem[]> {
    const items = await queryAllItems(deps.client, {
      TableName: deps.tableName,
      KeyConditionExpression:
        sortKeyPrefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': clusterPartitionKey(cluster),
        ...(sortKeyPrefix === undefined ? {} : { ':prefix': sortKeyPrefix }),
      },
      ConsistentRead: true,
    });
    return items as LeaseItem[];
  }

  async function inspectLocks(cluster: string): Promise<ClusterLocks> {
    const now = deps.clock.now();
    const locks: LockRecord[] = [];
    const slots: SlotRecord[] = [];
    for (const item of await queryCluster(cluster)) {
      const parsed = parseSortKey(item.sk);
      const common = {
        cluster,
        holder: item.holder ?? null,
        token: Number(item.token ?? 0),
        leaseExpiresAt: item.leaseExpiresAt ?? null,
        acquiredAt: item.acquiredAt ?? null,
        expired: item.holder !== undefined && (item.leaseExpiresAt ?? 0) <= now,
      };
      if (parsed.kind === 'lock') {
        locks.push({ kind: 'lock', database: parsed.database, label: item.label ?? null, ...common });
      } else if (parsed.kind === 'slot') {
        slots.push({ kind: 'slot', slot: parsed.slot, ...common });
      }
    }
    return { locks, slots };
  }

  return {
    async acquireLock({ cluster, database, holder, leaseSeconds, label }) {
      assertPositive('leaseSeconds', leaseSeconds);
      const outcome = await acquireOne(databaseLockKey(cluster, database), {
        holder,
        leaseSeconds,
        label,
        attributes: { kind: 'lock', cluster, database },
      });
      if ('granted' in outcome) return outcome.granted;
      const heldBy = outcome.heldBy.holder ?? 'unknown';
      const until = outcome.heldBy.leaseExpiresAt ?? 0;
      throw new LockHeldError(
        `lock-held by ${heldBy} (lock ${cluster}/${database}, lease until ${new Date(until).toISOString()})`,
        heldBy,
        until,
      );
    },

    renewLock({ cluster, database, holder, token, extendSeconds }) {
      return renew(databaseLockKey(cluster, database), `lock ${cluster}/${database}`, {
        holder,
        token,
        extendSeconds,
      });
    },

    releaseLock({ cluster, database, holder, token }) {
      return releaseLease(table, {
        key: databaseLockKey(cluster, database),
        holder,
        token,
        now: deps.clock.now(),
      });
    },

    assertLockCurrent({ cluster, database, holder, token }) {
      return assertCurrent(databaseLockKey(cluster, database), `lock ${cluster}/${database}`, {
        holder,
        token,
      });
    },

    async acquireSlot({ cluster, capacity, holder, leaseSeconds }) {
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SLOTS) {
        throw new RangeError(`capacity must be an integer from 1 to ${MAX_SLOTS}, got ${capacity}`);
      }
      assertPositive('leaseSeconds', leaseSeconds);
      const stored = new Map<number, LeaseItem>();
      for (const item of await queryCluster(cluster, SLOT_SORT_KEY_PREFIX)) {
        const parsed = parseSortKey(item.sk);
        if (parsed.kind === 'slot' && parsed.slot < capacity) stored.set(parsed.slot, item);
      }
      const now = deps.clock.now();
      const grantSlot = (slot: number, lease: AcquiredLease): AcquiredSlot => ({ slot, ...lease });

      // Our own slot first (re-entrancy), then free ones starting at a holder-specific offset so that
      // concurrent acquirers spread over the slots instead of all racing for slot 0.
      const offset = spreadOffset(holder, capacity);
      const order = Array.from({ length: capacity }, (_, i) => (i + offset) % capacity);
      const own = order.filter((slot) => stored.get(slot)?.holder === holder);
      const free = order.filter(
        (slot) => stored.get(slot)?.holder !== holder && isFree(stored.get(slot), now),
      );
      for (const slot of [...own, ...free]) {
        const key = slotKey(cluster, slot);
        const granted = await acquireIfFreeOrOwn(table, {
          key,
          holder,
          now: deps.clock.now(),
          leaseExpiresAt: deps.clock.now() + leaseSeconds * 1000,
          label: undefined,
          attributes: { kind: 'slot', cluster, slot },
        });
        if (granted) return grantSlot(slot, toAcquired(granted, null));
      }

      // Every slot was held by someone else when we read: take over one whose holder has ended.
      const heldByOthers = order.filter((slot) => !own.includes(slot) && !free.includes(slot));
      for (const slot of heldByOthers) {
        const outcome = await acquireOne(slotKey(cluster, slot), {
          holder,
          leaseSeconds,
          label: undefined,
          attributes: { kind: 'slot', cluster, slot },
        });
        if ('granted' in outcome) return grantSlot(slot, outcome.granted);
      }
      throw new SlotUnavailableError(
        `all ${capacity} backup slots of cluster ${cluster} are held by running executions`,
      );
    },

    renewSlot({ cluster, slot, holder, token, extendSeconds }) {
      return renew(slotKey(cluster, slot), `slot ${slot} of ${cluster}`, { holder, token, extendSeconds });
    },

    releaseSlot({ cluster, slot, holder, token }) {
      return releaseLease(table, { key: slotKey(cluster, slot), holder, token, now: deps.clock.now() });
    },

    assertSlotCurrent({ cluster, slot, holder, token }) {
      return assertCurrent(slotKey(cluster, slot), `slot ${slot} of ${cluster}`, { holder, token });
    },

    inspectLocks,

    async listHeld(cluster) {
      const all = await inspectLocks(cluster);
      const held = <T extends { holder: string | null; expired: boolean }>(r: T) =>
        r.holder !== null && !r.expired;
      return { locks: all.locks.filter(held), slots: all.slots.filter(held) };
    },
  };
}

function assertPositive(name: string, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new RangeError(`${name} must be a positive number, got ${seconds}`);
}

/** A stable offset in [0, capacity) derived from the holder id (FNV-1a), to spread concurrent acquirers. */
function spreadOffset(holder: string, capacity: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < holder.length; i++) {
    hash ^= holder.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % capacity;
}
