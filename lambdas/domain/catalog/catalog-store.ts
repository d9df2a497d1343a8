import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { CATALOG_BY_CLUSTER_TIME_INDEX } from '#domain/tables.ts';
import { z } from '#domain/zod.ts';
import { isConditionFailure } from './conditions.ts';
import { createDrillCatalog, type DrillCatalog } from './drills.ts';
import {
  adoptedRunIndexKey,
  attemptKeys,
  attemptSortKey,
  BACKUP_SORT_KEY_PREFIX,
  clusterTimeIndexKey,
  databasePartitionKey,
  decodeCursor,
  encodeCursor,
  KEY_ATTRIBUTES,
  keySegment,
  latestGoodKey,
  latestGoodPartitionKey,
  runEntryKey,
  runPartitionKey,
  slotSortKeyPrefix,
} from './keys.ts';
import {
  type BackupAttempt,
  BackupAttemptSchema,
  type BackupMode,
  CATALOG_SCHEMA_VERSION,
  isGoodSnapshot,
  type NewBackupAttempt,
  stateRank,
  truncateReason,
} from './schema.ts';
import { createSnapshotMarks, type SnapshotMarks } from './snapshot-marks.ts';

/** What the catalog needs from its environment. */
export interface CatalogStoreDeps {
  readonly client: DynamoDBDocumentClient;
  /** Physical name of the catalog table. */
  readonly tableName: string;
  readonly clock: Clock;
}

/** A cluster's slots in [`from`, `to`), a page at a time. */
export interface PeriodRequest {
  readonly cluster: string;
  readonly from: Date;
  readonly to: Date;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/** One page of a listing. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Pass it back to get the next page; null when there is none. */
  readonly nextCursor: string | null;
}

/** The outcome of recording an attempt. */
export interface RecordOutcome {
  /** What the catalog holds for this attempt now (ours, or an earlier write that took precedence). */
  readonly item: BackupAttempt;
  /** True when this call changed the stored attempt. */
  readonly written: boolean;
}

/**
 * The snapshot catalog: one item per backup attempt, plus a latest-good pointer per database; pins and prune
 * marks on snapshots (SnapshotMarks) and restore drills (DrillCatalog) live in the same table.
 */
export interface CatalogStore extends SnapshotMarks, DrillCatalog {
  /**
   * Records one attempt idempotently (key: cluster#database + scheduledTime#label#attempt). A second write of the
   * same attempt replaces the stored one only when its state ranks higher (FINISHED > FAILED = TIMED_OUT >
   * SKIPPED); otherwise the first write wins and is returned. Always (re)applies the latest-good pointer when the
   * stored attempt is good, so a retry after a partial failure completes the work.
   */
  recordAttempt(attempt: NewBackupAttempt): Promise<RecordOutcome>;
  /** One attempt by its identity, or undefined. */
  getAttempt(id: {
    cluster: string;
    database: string;
    scheduledTime: string;
    label: string;
    attempt: number;
  }): Promise<BackupAttempt | undefined>;
  /** Every attempt of one database at one scheduled time (one slot), oldest label/attempt first. */
  listAttemptsAt(request: {
    cluster: string;
    database: string;
    scheduledTime: string;
  }): Promise<BackupAttempt[]>;
  /** Attempts of one database, newest scheduled time first. */
  listSnapshots(request: {
    cluster: string;
    database: string;
    limit?: number;
    cursor?: string | null;
  }): Promise<Page<BackupAttempt>>;
  /**
   * The latest good (FINISHED and verified) attempt of every database of the cluster that has one, by database
   * name. Reads one pointer item per database, never the history; a pointer to a snapshot marked lost is left out.
   */
  latestGoodSnapshots(cluster: string): Promise<BackupAttempt[]>;
  /**
   * A differential schedule's run found the database unchanged since its newest snapshot (SKIPPED `unchanged`): the
   * latest good snapshot still holds the data of `scheduledTime`'s slot. Moves the pointer's `unchangedThrough`
   * forward to that slot (never back), so freshness counts the slot as covered. No pointer: nothing to do.
   */
  markUnchangedThrough(request: { cluster: string; database: string; scheduledTime: string }): Promise<void>;
  /**
   * Every attempt one run made or adopted (by cluster, database, time), as that run recorded it: a slot run
   * twice lists the adopted snapshot in both runs. Strongly consistent (base table, not an index).
   */
  listRun(request: { runId: string; limit?: number; cursor?: string | null }): Promise<Page<BackupAttempt>>;
  /** Attempts of the cluster whose scheduled time is strictly before `before`, oldest first (for retention). */
  listOlderThan(request: {
    cluster: string;
    before: Date;
    limit?: number;
    cursor?: string | null;
  }): Promise<Page<BackupAttempt>>;
  /**
   * Attempts of the cluster whose scheduled time is in [`from`, `to`), oldest first (for reports over a period):
   * reads the period only, whatever the catalog holds before or after it.
   */
  listBetween(request: PeriodRequest): Promise<Page<BackupAttempt>>;
  /**
   * Run entries of runs that adopted another run's attempt (a slot run again), whose slot is in [`from`, `to`),
   * oldest first: each as the attempt it adopted, with the adopting run's `runId` and what that run recorded.
   */
  listAdoptedBetween(request: PeriodRequest): Promise<Page<BackupAttempt>>;
  /**
   * durationSeconds of the last `limit` FINISHED attempts of the database, newest first. Looks back over at most
   * RECENT_DURATIONS_LOOKBACK attempts, so a long streak of failures yields fewer values rather than a long read.
   */
  recentDurations(request: {
    cluster: string;
    database: string;
    limit: number;
    /** Only attempts of this mode (`full` includes items without one); all attempts when absent. */
    mode?: BackupMode | undefined;
  }): Promise<number[]>;
}

/** Default and largest page size of the listings. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** How many of the newest attempts recentDurations examines at most. */
export const RECENT_DURATIONS_LOOKBACK = 200;

/** Builds the catalog store over the catalog table. */
export function createCatalogStore(deps: CatalogStoreDeps): CatalogStore {
  const { client, tableName, clock } = deps;

  async function queryPage(input: Omit<QueryCommandInput, 'TableName'>, cursor: string | null | undefined) {
    const out: QueryCommandOutput = await client.send(
      new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey: decodeCursor(cursor) }),
    );
    return {
      items: (out.Items ?? []).map(toAttempt),
      nextCursor: encodeCursor(out.LastEvaluatedKey),
    };
  }

  /** One byClusterTime partition over a period of slots. */
  function queryPeriod(
    partition: string,
    period: { from: Date; to: Date; limit?: number | undefined; cursor?: string | null | undefined },
    caller: string,
  ) {
    const { from, to } = period;
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
      throw new RangeError(`${caller}: from and to must be valid dates`);
    }
    // gsi2sk is `<scheduledTime>#…`, so the bare ISO time of `to` sorts before every key of that instant.
    return queryPage(
      {
        IndexName: CATALOG_BY_CLUSTER_TIME_INDEX,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partition,
          ':from': from.toISOString(),
          ':to': to.toISOString(),
        },
        Limit: pageSize(period.limit),
      },
      period.cursor,
    );
  }

  async function readAttempt(key: { pk: string; sk: string }): Promise<BackupAttempt | undefined> {
    const out = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return out.Item === undefined ? undefined : toAttempt(out.Item);
  }

  async function putRunEntry(
    entry: BackupAttempt,
    keys: Record<string, string>,
    adopted: boolean,
  ): Promise<void> {
    const rank = stateRank(entry.state);
    const adoptedIndex = adopted
      ? {
          gsi2pk: adoptedRunIndexKey(entry.cluster),
          gsi2sk: `${keys.gsi2sk}#${keySegment(entry.runId)}`,
        }
      : {};
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...runEntryKey(entry.runId, entry),
            ...entry,
            ...adoptedIndex,
            stateRank: rank,
            attemptSortKey: keys.sk,
          },
          // A retried write of the same run never downgrades what the run already recorded.
          ConditionExpression: 'attribute_not_exists(pk) OR stateRank <= :rank',
          ExpressionAttributeValues: { ':rank': rank },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async function pointLatestGood(attempt: BackupAttempt): Promise<void> {
    const sortKey = attemptSortKey(attempt);
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...latestGoodKey(attempt.cluster, attempt.database), ...attempt, attemptSortKey: sortKey },
          // Only ever moves forward in time: an older attempt recorded late never replaces a newer pointer.
          ConditionExpression: 'attribute_not_exists(pk) OR attemptSortKey < :sortKey',
          ExpressionAttributeValues: { ':sortKey': sortKey },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  return {
    ...createSnapshotMarks(deps),
    ...createDrillCatalog(deps),

    async recordAttempt(input) {
      checkChainFields(input);
      const item = BackupAttemptSchema.parse({
        ...input,
        schemaVersion: CATALOG_SCHEMA_VERSION,
        kind: 'backup',
        scheduledTime: normaliseIso(input.scheduledTime),
        startedAt: input.startedAt === null ? null : normaliseIso(input.startedAt),
        finishedAt: input.finishedAt === null ? null : normaliseIso(input.finishedAt),
        reason: truncateReason(input.reason),
        recordedAt: new Date(clock.now()).toISOString(),
      });
      const keys = attemptKeys(item);
      const rank = stateRank(item.state);

      let stored: BackupAttempt = item;
      let written = true;
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys, ...item, stateRank: rank },
            ConditionExpression: 'attribute_not_exists(pk) OR stateRank < :rank',
            ExpressionAttributeValues: { ':rank': rank },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        written = false;
        const existing = await readAttempt({ pk: keys.pk as string, sk: keys.sk as string });
        if (existing === undefined) throw error;
        stored = existing;
      }
      if (isGoodSnapshot(stored)) await pointLatestGood(stored);
      await putRunEntry(
        stateRank(stored.state) > rank ? { ...item, state: stored.state, reason: stored.reason } : item,
        keys,
        // Adopted: another run owns the attempt and this run recorded no better outcome of it. A run whose attempt a
        // later run improved (a stopped run settled afterwards) is not shown as having adopted that outcome.
        stored.runId !== item.runId && stateRank(stored.state) <= rank,
      );
      return { item: stored, written };
    },

    getAttempt(id) {
      const normalised = { ...id, scheduledTime: normaliseIso(id.scheduledTime) };
      return readAttempt({
        pk: databasePartitionKey(id.cluster, id.database),
        sk: attemptSortKey(normalised),
      });
    },

    async listAttemptsAt({ cluster, database, scheduledTime }) {
      const items: BackupAttempt[] = [];
      let cursor: string | null = null;
      do {
        const page = await queryPage(
          {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': databasePartitionKey(cluster, database),
              ':prefix': slotSortKeyPrefix(normaliseIso(scheduledTime)),
            },
            ConsistentRead: true,
          },
          cursor,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return items;
    },

    listSnapshots({ cluster, database, limit, cursor }) {
      return queryPage(
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': databasePartitionKey(cluster, database),
            ':prefix': BACKUP_SORT_KEY_PREFIX,
          },
          ScanIndexForward: false,
          Limit: pageSize(limit),
        },
        cursor,
      );
    },

    async latestGoodSnapshots(cluster) {
      const items: BackupAttempt[] = [];
      let cursor: string | null = null;
      do {
        const page = await queryPage(
          {
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': latestGoodPartitionKey(cluster) },
          },
          cursor,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      // A pointer whose snapshot a later look found gone from the repository names nothing to restore.
      return items.filter(isGoodSnapshot);
    },

    async markUnchangedThrough({ cluster, database, scheduledTime }) {
      const slot = normaliseIso(scheduledTime);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: latestGoodKey(cluster, database),
            UpdateExpression: 'SET unchangedThrough = :slot',
            ConditionExpression:
              'attribute_exists(pk) AND scheduledTime < :slot AND (attribute_not_exists(unchangedThrough) OR unchangedThrough < :slot)',
            ExpressionAttributeValues: { ':slot': slot },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    listRun({ runId, limit, cursor }) {
      return queryPage(
        {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': runPartitionKey(runId) },
          ConsistentRead: true,
          Limit: pageSize(limit),
        },
        cursor,
      );
    },

    listOlderThan({ cluster, before, limit, cursor }) {
      if (Number.isNaN(before.getTime())) throw new RangeError('listOlderThan: before is an invalid date');
      return queryPage(
        {
          IndexName: CATALOG_BY_CLUSTER_TIME_INDEX,
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
          ExpressionAttributeValues: { ':pk': clusterTimeIndexKey(cluster), ':before': before.toISOString() },
          Limit: pageSize(limit),
        },
        cursor,
      );
    },

    listBetween({ cluster, from, to, limit, cursor }) {
      return queryPeriod(clusterTimeIndexKey(cluster), { from, to, limit, cursor }, 'listBetween');
    },

    listAdoptedBetween({ cluster, from, to, limit, cursor }) {
      return queryPeriod(adoptedRunIndexKey(cluster), { from, to, limit, cursor }, 'listAdoptedBetween');
    },

    async recentDurations({ cluster, database, limit, mode }) {
      const ofMode =
        mode === undefined
          ? { expression: '', names: {}, values: {} }
          : {
              expression:
                mode === 'full'
                  ? ' AND (attribute_not_exists(#mode) OR #mode = :mode)'
                  : ' AND #mode = :mode',
              names: { '#mode': 'mode' },
              values: { ':mode': mode },
            };
      const durations: number[] = [];
      let examined = 0;
      let startKey: QueryCommandOutput['LastEvaluatedKey'];
      while (durations.length < limit && examined < RECENT_DURATIONS_LOOKBACK) {
        const out: QueryCommandOutput = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: `#state = :finished AND attribute_type(durationSeconds, :number)${ofMode.expression}`,
            ProjectionExpression: 'durationSeconds',
            ExpressionAttributeNames: { '#state': 'state', ...ofMode.names },
            ExpressionAttributeValues: {
              ':pk': databasePartitionKey(cluster, database),
              ':prefix': BACKUP_SORT_KEY_PREFIX,
              ':finished': 'FINISHED',
              ':number': 'N',
              ...ofMode.values,
            },
            ScanIndexForward: false,
            Limit: Math.min(DEFAULT_PAGE_SIZE, RECENT_DURATIONS_LOOKBACK - examined),
            ExclusiveStartKey: startKey,
          }),
        );
        examined += out.ScannedCount ?? 0;
        for (const item of out.Items ?? []) {
          if (durations.length < limit) durations.push(Number(item.durationSeconds));
        }
        startKey = out.LastEvaluatedKey;
        if (startKey === undefined) break;
      }
      return durations;
    },
  };
}

function toAttempt(item: Record<string, unknown>): BackupAttempt {
  const attributes = { ...item };
  for (const key of KEY_ATTRIBUTES) delete attributes[key];
  return BackupAttemptSchema.parse(attributes);
}

/**
 * A differential names its full (another label); a full names none. Checked when writing only: a reader takes any
 * stored item, and the chain rules call a differential without a base unrestorable (`no-base`).
 */
function checkChainFields(input: Pick<NewBackupAttempt, 'mode' | 'baseLabel' | 'label'>): void {
  if (input.mode === 'differential') {
    if (input.baseLabel === undefined)
      throw new RangeError('a differential attempt needs baseLabel (its full)');
    if (input.baseLabel === input.label) throw new RangeError('a differential cannot be its own base');
  } else if (input.baseLabel !== undefined) {
    throw new RangeError(`baseLabel is only for a differential attempt, not a ${input.mode ?? 'full'} one`);
  }
}

const isoWithOffset = z.iso.datetime({ offset: true });

/** Any ISO 8601 date-time with Z or an offset, as UTC in `toISOString()` form (so keys sort by time). */
function normaliseIso(value: string): string {
  if (!isoWithOffset.safeParse(value).success) throw new RangeError(`not an ISO 8601 date-time: ${value}`);
  return new Date(value).toISOString();
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_PAGE_SIZE);
}
