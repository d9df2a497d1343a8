import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { SnapshotNotFoundError } from '#domain/errors.ts';
import { isConditionFailure } from './conditions.ts';
import { BACKUP_SORT_KEY_PREFIX, databasePartitionKey, KEY_ATTRIBUTES, latestGoodKey } from './keys.ts';
import { type BackupAttempt, BackupAttemptSchema } from './schema.ts';

/** Identifies a snapshot in the catalog: a label of one database (it may have several attempt items). */
export interface SnapshotRef {
  readonly cluster: string;
  readonly database: string;
  readonly label: string;
}

/** Pins and prune marks on catalog snapshots, and the reads retention needs. */
export interface SnapshotMarks {
  /** Every attempt item of the database that carries `label` (oldest first), strongly consistent. */
  findSnapshot(ref: SnapshotRef): Promise<BackupAttempt[]>;
  /** Every backup attempt of one database, newest scheduled time first (all pages). */
  listAllSnapshots(request: { cluster: string; database: string }): Promise<BackupAttempt[]>;
  /**
   * Sets or clears the pin on every attempt item of the snapshot (and on the latest-good pointer when it
   * points at it). Idempotent.
   * @throws SnapshotNotFoundError when the catalog has no attempt with that label.
   */
  setPinned(ref: SnapshotRef & { pinned: boolean }): Promise<BackupAttempt[]>;
  /**
   * Marks every attempt item of the snapshot as pruned. Idempotent: the first `prunedAt` is kept.
   * @returns the items as they are now (empty when the catalog does not know the label).
   */
  markPruned(ref: SnapshotRef): Promise<BackupAttempt[]>;
  /**
   * Marks every attempt item of the snapshot lost (the repository no longer holds it), and the latest-good pointer
   * when it names it. Idempotent: the first `lostAt` is kept.
   * @returns the items as they are now (empty when the catalog does not know the label).
   */
  markLost(ref: SnapshotRef): Promise<BackupAttempt[]>;
}

/** The pin/prune half of the catalog store. */
export function createSnapshotMarks(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}): SnapshotMarks {
  const { client, tableName, clock } = deps;

  async function queryAll(
    cluster: string,
    database: string,
    options: { label?: string; newestFirst: boolean },
  ): Promise<Array<Record<string, unknown>>> {
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(options.label === undefined
          ? {
              ExpressionAttributeValues: {
                ':pk': databasePartitionKey(cluster, database),
                ':prefix': BACKUP_SORT_KEY_PREFIX,
              },
            }
          : {
              FilterExpression: '#label = :label',
              ExpressionAttributeNames: { '#label': 'label' },
              ExpressionAttributeValues: {
                ':pk': databasePartitionKey(cluster, database),
                ':prefix': BACKUP_SORT_KEY_PREFIX,
                ':label': options.label,
              },
            }),
        ConsistentRead: true,
        ScanIndexForward: !options.newestFirst,
      },
    );
    const items: Array<Record<string, unknown>> = [];
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  async function updateEach(
    items: ReadonlyArray<Record<string, unknown>>,
    update: { expression: string; values: Record<string, unknown> },
  ): Promise<BackupAttempt[]> {
    const updated: BackupAttempt[] = [];
    for (const item of items) {
      const out = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: update.expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: update.values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated.push(toAttempt(out.Attributes ?? item));
    }
    return updated;
  }

  return {
    async findSnapshot({ cluster, database, label }) {
      return (await queryAll(cluster, database, { label, newestFirst: false })).map(toAttempt);
    },

    async listAllSnapshots({ cluster, database }) {
      return (await queryAll(cluster, database, { newestFirst: true })).map(toAttempt);
    },

    async setPinned({ cluster, database, label, pinned }) {
      const items = await queryAll(cluster, database, { label, newestFirst: false });
      if (items.length === 0) {
        throw new SnapshotNotFoundError(
          `the catalog has no snapshot ${label} of database ${database} on cluster ${cluster}`,
        );
      }
      const updated = await updateEach(items, {
        expression: 'SET pinned = :pinned',
        values: { ':pinned': pinned },
      });
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: latestGoodKey(cluster, database),
            UpdateExpression: 'SET pinned = :pinned',
            ConditionExpression: '#label = :label',
            ExpressionAttributeNames: { '#label': 'label' },
            ExpressionAttributeValues: { ':pinned': pinned, ':label': label },
          }),
        );
      } catch (error) {
        // The pointer names another snapshot (or none): nothing to mirror there.
        if (!isConditionFailure(error)) throw error;
      }
      return updated;
    },

    async markPruned({ cluster, database, label }) {
      const items = await queryAll(cluster, database, { label, newestFirst: false });
      return updateEach(items, {
        expression: 'SET prunedAt = if_not_exists(prunedAt, :now)',
        values: { ':now': new Date(clock.now()).toISOString() },
      });
    },

    async markLost({ cluster, database, label }) {
      const now = new Date(clock.now()).toISOString();
      const items = await queryAll(cluster, database, { label, newestFirst: false });
      const updated = await updateEach(items, {
        expression: 'SET lostAt = if_not_exists(lostAt, :now)',
        values: { ':now': now },
      });
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: latestGoodKey(cluster, database),
            UpdateExpression: 'SET lostAt = if_not_exists(lostAt, :now)',
            ConditionExpression: '#label = :label',
            ExpressionAttributeNames: { '#label': 'label' },
            ExpressionAttributeValues: { ':now': now, ':label': label },
          }),
        );
      } catch (error) {
        // The pointer names another snapshot (or none).
        if (!isConditionFailure(error)) throw error;
      }
      return updated;
    },
  };
}

function toAttempt(item: Record<string, unknown>): BackupAttempt {
  const attributes = { ...item };
  for (const key of KEY_ATTRIBUTES) delete attributes[key];
  return BackupAttemptSchema.parse(attributes);
}
