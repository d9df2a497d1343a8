/**
 * The automated Cluster Snapshots of shared-data clusters, as the freshness check sees them, in the catalog table
 * beside the BACKUP snapshots (never mixed with them):
 *
 * | item | pk | sk |
 * |---|---|---|
 * | one cluster snapshot | `CSNAP#<cluster>` | `<createdAt ISO>#<name>` |
 *
 * StarRocks keeps only the newest automated snapshot (lake/snapshot/ClusterSnapshotMgr); the catalog keeps a record
 * of each one it saw, so `sr-backup snapshots` and the dashboard show their history. Items expire after
 * {@link CLUSTER_SNAPSHOT_RECORD_DAYS} (TTL attribute `expiresAtEpochSeconds`), so the partition stays bounded.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { z } from '#domain/zod.ts';
import { isConditionFailure } from './conditions.ts';
import { keySegment } from './keys.ts';

/** How long a cluster snapshot's record is kept. */
export const CLUSTER_SNAPSHOT_RECORD_DAYS = 35;

/** One cluster snapshot as recorded. */
export const ClusterSnapshotRecordSchema = z.object({
  kind: z.literal('cluster-snapshot'),
  cluster: z.string().min(1).max(1024),
  /** `automated_cluster_snapshot_<ms>`. */
  name: z.string().min(1).max(1024),
  /** SNAPSHOT_TYPE verbatim (`AUTOMATED`). */
  type: z.string().max(64),
  createdAt: z.iso.datetime(),
  storageVolume: z.string().max(1024).nullable(),
  storagePath: z.string().max(2048).nullable(),
  /** When the freshness check first saw it. */
  recordedAt: z.iso.datetime(),
});

/** One recorded cluster snapshot. */
export type ClusterSnapshotRecord = z.infer<typeof ClusterSnapshotRecordSchema>;

/** The cluster-snapshot records. */
export interface ClusterSnapshotRecords {
  /**
   * Records a snapshot the first time it is seen; later calls for the same snapshot change nothing.
   * @returns true when this call recorded it
   */
  record(snapshot: Omit<ClusterSnapshotRecord, 'kind' | 'recordedAt'>): Promise<boolean>;
  /** The cluster's recorded snapshots, newest first. */
  list(request: { cluster: string; limit?: number }): Promise<ClusterSnapshotRecord[]>;
}

function partitionKey(cluster: string): string {
  return `CSNAP#${keySegment(cluster)}`;
}

/** Builds the store over the catalog table. */
export function createClusterSnapshotRecords(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}): ClusterSnapshotRecords {
  const { client, tableName, clock } = deps;
  return {
    async record(snapshot) {
      const now = clock.now();
      const item = ClusterSnapshotRecordSchema.parse({
        ...snapshot,
        kind: 'cluster-snapshot',
        recordedAt: new Date(now).toISOString(),
      });
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: partitionKey(item.cluster),
              sk: `${item.createdAt}#${keySegment(item.name)}`,
              ...item,
              expiresAtEpochSeconds: Math.floor(now / 1000) + CLUSTER_SNAPSHOT_RECORD_DAYS * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async list({ cluster, limit }) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitionKey(cluster) },
          ScanIndexForward: false,
          Limit: Math.min(Math.max(limit ?? 50, 1), 500),
        }),
      );
      return (out.Items ?? []).map((item) => {
        const { pk: _pk, sk: _sk, expiresAtEpochSeconds: _expires, ...rest } = item;
        return ClusterSnapshotRecordSchema.parse(rest);
      });
    },
  };
}
