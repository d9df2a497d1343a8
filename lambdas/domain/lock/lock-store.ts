import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { LeaseLostError, LockHeldError, SlotUnavailableError } from '#domain/errors.ts';
import { type AppLogger, silentLogger } from '#domain/logger.ts';
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
  type DescriptiveAttributes,
  type GrantedLease,
  isExpired,
  isUnheld,
  type LeaseItem,
  type LeaseTable,
  readLease,
  releaseLease,
  renewLease,
  takeOver,
} from './lease.ts';

/**
 * What is known about whether a lease holder still lives: `running` (its execution is RUNNING or waiting for a
 * redrive), `ended` (it closed, or does not exist), or `unknown` (it is not an execution this deployment can ask
 * about; only then does the lease expiry decide).
 */
export type HolderLiveness = 'running' | 'ended' | 'unknown';

/** What the lock store needs from its environment. */
export interface LockStoreDeps {
  /** DocumentClient on the DynamoDB endpoint (AWS, or the local dynalite). */
  readonly client: DynamoDBDocumentClient;
  /** Physical name of the locks table. */
  readonly tableName: string;
  readonly clock: Clock;
  /**
   * Whether the execution `holder` still runs. Asked about every holder other than the caller before its lease is
   * taken: DescribeExecution deployed; locally the runner's registry answers.
   */
  readonly livenessOf: (holder: string) => Promise<HolderLiveness>;
  readonly logger?: AppLogger;
}

/**
 * Who a lease belongs to and what it was taken for: written with every acquisition, so whoever takes an ended
 * holder's lease over knows which backup attempt (and which StarRocks job) it inherits.
 */
export interface LeasePurpose {
  /** The run (nightly execution) the holder belongs to. */
  readonly runId: string;
  readonly schedule: string;
  /** The slot's scheduled time, ISO 8601 UTC. */
  readonly scheduledTime: string;
  /** The database the holder works on (for a slot: the database whose lock it takes next). */
  readonly database: string;
  /** The label the holder plans (a backup) or reads (a restore drill). */
  readonly label: string;
}

/** What an ended holder left on a lease it held: its purpose and, once it submitted, its job. */
export interface InheritedLease {
  readonly holder: string;
  readonly token: number;
  readonly runId?: string | undefined;
  readonly schedule?: string | undefined;
  readonly scheduledTime?: string | undefined;
  readonly database?: string | undefined;
  /** The label it planned (a backup) or read (a restore drill). */
  readonly label?: string | undefined;
  /** The label of the job it submitted (the planned label or an attempt of it), once it recorded one. */
  readonly submittedLabel?: string | undefined;
  readonly labelAttempt?: number | undefined;
  /** Epoch ms on its clock when it submitted that job. */
  readonly submittedAt?: number | undefined;
  /**
   * Older work it had itself inherited and may not have settled (it ended before it got to it, or before its
   * alert went out): settled again, idempotently, by whoever inherits from it.
   */
  readonly unsettled?: Omit<InheritedLease, 'unsettled'> | undefined;
}

/** A lock or slot just granted. */
export interface AcquiredLease {
  /** Fencing token: pass it to renew and release. It grows on every acquisition. */
  readonly token: number;
  /** Epoch ms. */
  readonly leaseExpiresAt: number;
  /** The ended holder we took the lease from, with what it left; null when the lease was free or ours. */
  readonly takenOver: InheritedLease | null;
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
  /** True when a holder is recorded but its lease has expired (a takeover still needs the holder to have ended). */
  readonly expired: boolean;
  /** Set while a settler holds the lock on behalf of an ended holder (`takeOverFrom`): that holder. */
  readonly inheritedFrom: string | null;
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
    purpose?: LeasePurpose | undefined;
  }): Promise<AcquiredLease>;
  /**
   * The fence of every step that acts on StarRocks or the catalog, and the renewal: passes while `holder` holds
   * `token` (even if the lease lapsed meanwhile: nobody else can have taken it without changing the token) and
   * extends the lease to now + `extendSeconds`.
   * @returns the new lease expiry (epoch ms).
   * @throws LeaseLostError when `holder`/`token` no longer hold the lock.
   */
  renewLock(request: HeldLock & { extendSeconds: number }): Promise<number>;
  /**
   * Notes on the lock, fenced like `renewLock`, the job its holder is about to submit, so that whoever inherits the
   * lock from an ended holder finds that job (and a retried submit finds its own submission time).
   * @returns what the lock said before about a submission of this holder (its label, attempt and time), if any.
   * @throws LeaseLostError when `holder`/`token` no longer hold the lock.
   */
  noteSubmission(
    request: HeldLock & { label: string; labelAttempt: number; submittedAt: number; extendSeconds: number },
  ): Promise<{ label: string; labelAttempt: number; submittedAt: number } | undefined>;
  /** What a held lock says about the holder's submission (label, attempt, time); undefined before one. */
  readSubmission(
    request: HeldLock,
  ): Promise<{ label: string; labelAttempt: number; submittedAt: number } | undefined>;
  /** Frees the lock. Returns false (never throws) when it is not ours: released twice, or taken over. */
  releaseLock(request: HeldLock): Promise<boolean>;
  /**
   * Takes one of the `capacity` backup slots of `cluster` (slots 0..capacity-1; a slot the holder already has is
   * returned again with a new token). Slots of ended holders are taken over.
   * @throws SlotUnavailableError when every slot is held by a live holder.
   */
  acquireSlot(request: {
    cluster: string;
    capacity: number;
    holder: string;
    leaseSeconds: number;
    purpose?: LeasePurpose | undefined;
  }): Promise<AcquiredSlot>;
  /** Like `renewLock`, for a slot; `database` records which database's lock the slot's holder works under. @throws LeaseLostError */
  renewSlot(request: HeldSlot & { extendSeconds: number; database?: string }): Promise<number>;
  /** Like `releaseLock`, for a slot: false when not ours. */
  releaseSlot(request: HeldSlot): Promise<boolean>;
  /**
   * Takes the lock of `cluster#database` from `from` only if `from` still holds it and has ended (the same
   * liveness rule as an acquisition), for the one who settles what that holder left; the lock keeps the ended
   * holder's work and names it (`inheritedFrom`), so a second pass of the same settler gets the same answer and a
   * settler that itself ends midway leaves it for the next. Null when `from` no longer holds it, or still runs.
   */
  takeOverFrom(request: {
    cluster: string;
    database: string;
    from: string;
    holder: string;
    leaseSeconds: number;
  }): Promise<AcquiredLease | null>;
  /** Every lock and slot item of the cluster, held or not (for the CLI and tests). */
  inspectLocks(cluster: string): Promise<ClusterLocks>;
  /** The locks and slots that have a holder (a lapsed lease keeps its holder until someone takes it over). */
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

  /**
   * May `current` (held by someone else) be taken over now? Only when its holder has ended, or when nobody can
   * tell whether it runs and its lease has lapsed. A running holder keeps its lease, lapsed or not.
   */
  async function mayTakeOver(current: LeaseItem): Promise<boolean> {
    const liveness = await deps.livenessOf(current.holder as string);
    if (liveness === 'ended') return true;
    return liveness === 'unknown' && isExpired(current, deps.clock.now());
  }

  /** One lease item: free or own → take; held → liveness → takeover or report the holder. */
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
      if (current === undefined || isUnheld(current) || current.holder === request.holder) continue;
      lastSeen = current;
      if (!(await mayTakeOver(current))) return { heldBy: current };

      const holder = current.holder as string;
      const carried = unsettledWorkOf(current);
      const granting = grant(deps.clock.now());
      const taken = await takeOver(
        table,
        carried ? { ...granting, attributes: { ...granting.attributes, inherited: carried } } : granting,
        { holder, token: Number(current.token) },
      );
      if (taken) {
        logger.info('took over a lease whose holder has ended', { key: `${key.pk}/${key.sk}`, from: holder });
        return { granted: toAcquired(taken, taken.previous ?? current) };
      }
    }
    if (lastSeen === undefined) lastSeen = await readLease(table, key);
    return { heldBy: lastSeen ?? { ...key } };
  }

  function toAcquired(lease: GrantedLease, from: LeaseItem | null): AcquiredLease {
    return { token: lease.token, leaseExpiresAt: lease.leaseExpiresAt, takenOver: inherited(from) };
  }

  async function renew(
    key: LockTableKey,
    what: string,
    request: { holder: string; token: number; extendSeconds: number; attributes?: DescriptiveAttributes },
  ): Promise<{ leaseExpiresAt: number; item: LeaseItem }> {
    assertPositive('extendSeconds', request.extendSeconds);
    const now = deps.clock.now();
    const leaseExpiresAt = now + request.extendSeconds * 1000;
    const item = await renewLease(table, {
      key,
      holder: request.holder,
      token: request.token,
      now,
      leaseExpiresAt,
      ...(request.attributes ? { attributes: request.attributes } : {}),
    });
    if (!item)
      throw new LeaseLostError(`${what} is no longer held by ${request.holder} with token ${request.token}`);
    return { leaseExpiresAt, item };
  }

  async function queryCluster(cluster: string, sortKeyPrefix?: string): Promise<LeaseItem[]> {
    const pages = paginateQuery(
      { client: deps.client },
      {
        TableName: deps.tableName,
        KeyConditionExpression:
          sortKeyPrefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': clusterPartitionKey(cluster),
          ...(sortKeyPrefix === undefined ? {} : { ':prefix': sortKeyPrefix }),
        },
        ConsistentRead: true,
      },
    );
    const items: LeaseItem[] = [];
    for await (const page of pages) items.push(...((page.Items ?? []) as LeaseItem[]));
    return items;
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
        expired: item.holder !== undefined && isExpired(item, now),
      };
      if (parsed.kind === 'lock') {
        locks.push({
          kind: 'lock',
          database: parsed.database,
          label: item.label ?? null,
          inheritedFrom: typeof item.inheritedFrom === 'string' ? item.inheritedFrom : null,
          ...common,
        });
      } else if (parsed.kind === 'slot') {
        slots.push({ kind: 'slot', slot: parsed.slot, ...common });
      }
    }
    return { locks, slots };
  }

  function submissionOf(
    item: LeaseItem | undefined,
  ): { label: string; labelAttempt: number; submittedAt: number } | undefined {
    if (typeof item?.submittedAt !== 'number' || typeof item.submittedLabel !== 'string') return undefined;
    return {
      label: item.submittedLabel,
      labelAttempt: Number(item.labelAttempt ?? 1),
      submittedAt: item.submittedAt,
    };
  }

  return {
    async acquireLock({ cluster, database, holder, leaseSeconds, label, purpose }) {
      assertPositive('leaseSeconds', leaseSeconds);
      const outcome = await acquireOne(databaseLockKey(cluster, database), {
        holder,
        leaseSeconds,
        label,
        attributes: { kind: 'lock', cluster, database, ...purposeAttributes(purpose) },
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

    async renewLock({ cluster, database, holder, token, extendSeconds }) {
      const renewed = await renew(databaseLockKey(cluster, database), `lock ${cluster}/${database}`, {
        holder,
        token,
        extendSeconds,
      });
      return renewed.leaseExpiresAt;
    },

    async noteSubmission({
      cluster,
      database,
      holder,
      token,
      label,
      labelAttempt,
      submittedAt,
      extendSeconds,
    }) {
      const key = databaseLockKey(cluster, database);
      const before = submissionOf(await readLease(table, key));
      await renew(key, `lock ${cluster}/${database}`, {
        holder,
        token,
        extendSeconds,
        attributes: { submittedLabel: label, labelAttempt, submittedAt },
      });
      return before;
    },

    async readSubmission({ cluster, database, holder, token }) {
      const item = await readLease(table, databaseLockKey(cluster, database));
      if (item?.holder !== holder || Number(item.token) !== token) return undefined;
      return submissionOf(item);
    },

    releaseLock({ cluster, database, holder, token }) {
      return releaseLease(table, {
        key: databaseLockKey(cluster, database),
        holder,
        token,
        now: deps.clock.now(),
      });
    },

    async acquireSlot({ cluster, capacity, holder, leaseSeconds, purpose }) {
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SLOTS) {
        throw new RangeError(`capacity must be an integer from 1 to ${MAX_SLOTS}, got ${capacity}`);
      }
      assertPositive('leaseSeconds', leaseSeconds);
      const stored = new Map<number, LeaseItem>();
      for (const item of await queryCluster(cluster, SLOT_SORT_KEY_PREFIX)) {
        const parsed = parseSortKey(item.sk);
        if (parsed.kind === 'slot' && parsed.slot < capacity) stored.set(parsed.slot, item);
      }
      const grantSlot = (slot: number, lease: AcquiredLease): AcquiredSlot => ({ slot, ...lease });
      const attributes = (slot: number) => ({ kind: 'slot', cluster, slot, ...purposeAttributes(purpose) });

      // Our own slot first (re-entrancy), then free ones starting at a holder-specific offset so that
      // concurrent acquirers spread over the slots instead of all racing for slot 0.
      const offset = spreadOffset(holder, capacity);
      const order = Array.from({ length: capacity }, (_, i) => (i + offset) % capacity);
      const own = order.filter((slot) => stored.get(slot)?.holder === holder);
      const free = order.filter((slot) => stored.get(slot)?.holder !== holder && isUnheld(stored.get(slot)));
      for (const slot of [...own, ...free]) {
        const now = deps.clock.now();
        const granted = await acquireIfFreeOrOwn(table, {
          key: slotKey(cluster, slot),
          holder,
          now,
          leaseExpiresAt: now + leaseSeconds * 1000,
          label: undefined,
          attributes: attributes(slot),
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
          attributes: attributes(slot),
        });
        if ('granted' in outcome) return grantSlot(slot, outcome.granted);
      }
      throw new SlotUnavailableError(
        `all ${capacity} backup slots of cluster ${cluster} are held by running executions`,
      );
    },

    async renewSlot({ cluster, slot, holder, token, extendSeconds, database }) {
      const renewed = await renew(slotKey(cluster, slot), `slot ${slot} of ${cluster}`, {
        holder,
        token,
        extendSeconds,
        ...(database === undefined ? {} : { attributes: { database } }),
      });
      return renewed.leaseExpiresAt;
    },

    releaseSlot({ cluster, slot, holder, token }) {
      return releaseLease(table, { key: slotKey(cluster, slot), holder, token, now: deps.clock.now() });
    },

    async takeOverFrom({ cluster, database, from, holder, leaseSeconds }) {
      assertPositive('leaseSeconds', leaseSeconds);
      const key = databaseLockKey(cluster, database);
      const current = await readLease(table, key);
      if (current?.holder === holder && current.inheritedFrom === from) {
        // A second pass of the same settlement: the lock is already ours, on the ended holder's behalf.
        const renewed = await renew(key, `lock ${cluster}/${database}`, {
          holder,
          token: Number(current.token),
          extendSeconds: leaseSeconds,
        });
        return {
          token: Number(current.token),
          leaseExpiresAt: renewed.leaseExpiresAt,
          takenOver: inherited({ ...renewed.item, holder: from, token: Number(current.token) - 1 }),
        };
      }
      if (current?.holder !== from || !(await mayTakeOver(current))) return null;
      const now = deps.clock.now();
      const taken = await takeOver(
        table,
        {
          key,
          holder,
          now,
          leaseExpiresAt: now + leaseSeconds * 1000,
          label: typeof current.label === 'string' ? current.label : undefined,
          // The lock keeps what the ended holder left, so a settler that itself ends midway leaves it for the next.
          attributes: {
            kind: 'lock',
            cluster,
            database,
            ...carriedAttributes(current),
            inheritedFrom: from,
            ...(isWorkMap(current.inherited) ? { inherited: current.inherited } : {}),
          },
        },
        { holder: from, token: Number(current.token) },
      );
      return taken ? toAcquired(taken, taken.previous ?? current) : null;
    },

    inspectLocks,

    async listHeld(cluster) {
      const all = await inspectLocks(cluster);
      const held = <T extends { holder: string | null }>(record: T) => record.holder !== null;
      return { locks: all.locks.filter(held), slots: all.slots.filter(held) };
    },
  };
}

/** The purpose as item attributes (only the fields given). */
function purposeAttributes(purpose: LeasePurpose | undefined): DescriptiveAttributes {
  if (purpose === undefined) return {};
  return {
    runId: purpose.runId,
    schedule: purpose.schedule,
    scheduledTime: purpose.scheduledTime,
    database: purpose.database,
    plannedLabel: purpose.label,
  };
}

/** The attributes of an ended holder's work, copied onto the lock by whoever settles it. */
function carriedAttributes(item: LeaseItem): DescriptiveAttributes {
  const carried: Record<string, string | number> = {};
  for (const name of [
    'runId',
    'schedule',
    'scheduledTime',
    'plannedLabel',
    'submittedLabel',
    'labelAttempt',
    'submittedAt',
  ]) {
    const value = item[name];
    if (typeof value === 'string' || typeof value === 'number') carried[name] = value;
  }
  return carried;
}

/** A stored `inherited` map (the unsettled work of an earlier ended holder). */
function isWorkMap(value: unknown): value is Readonly<Record<string, string | number>> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { holder?: unknown }).holder === 'string'
  );
}

/**
 * The work a taker must keep on the lock until it has settled it: the ended holder's own submission, or else the
 * older work it had itself inherited and not settled yet (a holder submits only after settling what it inherited).
 */
function unsettledWorkOf(item: LeaseItem): Readonly<Record<string, string | number>> | undefined {
  if (typeof item.submittedLabel === 'string' && typeof item.holder === 'string') {
    return { holder: item.holder, ...carriedAttributes(item) } as Record<string, string | number>;
  }
  return isWorkMap(item.inherited) ? item.inherited : undefined;
}

/** What an ended holder left on an item, as the taker inherits it. */
function inherited(item: LeaseItem | null): InheritedLease | null {
  if (item === null || typeof item.holder !== 'string') return null;
  const own = workOf(item, item.holder, Number(item.token ?? 0));
  const older = isWorkMap(item.inherited)
    ? workOf(item.inherited, item.inherited.holder as string, 0)
    : undefined;
  return older ? { ...own, unsettled: older } : own;
}

function workOf(item: Readonly<Record<string, unknown>>, holder: string, token: number): InheritedLease {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const number = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : undefined);
  const fields: Record<string, string | number | undefined> = {
    runId: text('runId'),
    schedule: text('schedule'),
    scheduledTime: text('scheduledTime'),
    database: text('database'),
    label: text('plannedLabel') ?? text('label'),
    submittedLabel: text('submittedLabel'),
    labelAttempt: number('labelAttempt'),
    submittedAt: number('submittedAt'),
  };
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return { holder, token, ...present } as InheritedLease;
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
