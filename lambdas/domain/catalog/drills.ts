import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { CATALOG_BY_CLUSTER_TIME_INDEX } from '#domain/tables.ts';
import { z } from '#domain/zod.ts';
import { type DrillRecord, DrillRecordSchema, type NewDrillRecord } from './drill-schema.ts';
import {
  clusterDrillIndexKey,
  DRILL_SORT_KEY_PREFIX,
  databasePartitionKey,
  drillKeys,
  KEY_ATTRIBUTES,
} from './keys.ts';
import { CATALOG_SCHEMA_VERSION, truncateReason } from './schema.ts';

/** Restore drills in the catalog table. */
export interface DrillCatalog {
  /**
   * Records one drill idempotently (key: cluster#database + startedAt#runId): writing the same drill again
   * replaces it, so a retried record step leaves one item with the last word.
   */
  recordDrill(drill: NewDrillRecord): Promise<DrillRecord>;
  /**
   * The newest drills (by startedAt) of one database, or of every database of the cluster when `database` is
   * left out; at most `limit` (default 20, at most 500).
   */
  listDrills(request: {
    cluster: string;
    database?: string | undefined;
    limit?: number;
  }): Promise<DrillRecord[]>;
}

/** Default and largest number of drills listDrills returns. */
export const DEFAULT_DRILL_LIMIT = 20;
export const MAX_DRILL_LIMIT = 500;

const isoWithOffset = z.iso.datetime({ offset: true });

/** The drill half of the catalog store. */
export function createDrillCatalog(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}): DrillCatalog {
  const { client, tableName, clock } = deps;
  return {
    async recordDrill(input) {
      const drill = DrillRecordSchema.parse({
        ...input,
        schemaVersion: CATALOG_SCHEMA_VERSION,
        kind: 'drill',
        startedAt: normaliseIso(input.startedAt),
        finishedAt: input.finishedAt === null ? null : normaliseIso(input.finishedAt),
        reason: truncateReason(input.reason),
        recordedAt: new Date(clock.now()).toISOString(),
      });
      await client.send(new PutCommand({ TableName: tableName, Item: { ...drillKeys(drill), ...drill } }));
      return drill;
    },

    async listDrills({ cluster, database, limit }) {
      const wanted = drillLimit(limit);
      const drills: DrillRecord[] = [];
      let startKey: QueryCommandOutput['LastEvaluatedKey'];
      do {
        const out: QueryCommandOutput = await client.send(
          new QueryCommand(
            database === undefined
              ? {
                  TableName: tableName,
                  IndexName: CATALOG_BY_CLUSTER_TIME_INDEX,
                  KeyConditionExpression: 'gsi2pk = :pk',
                  ExpressionAttributeValues: { ':pk': clusterDrillIndexKey(cluster) },
                  ScanIndexForward: false,
                  Limit: wanted - drills.length,
                  ExclusiveStartKey: startKey,
                }
              : {
                  TableName: tableName,
                  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                  ExpressionAttributeValues: {
                    ':pk': databasePartitionKey(cluster, database),
                    ':prefix': DRILL_SORT_KEY_PREFIX,
                  },
                  ScanIndexForward: false,
                  Limit: wanted - drills.length,
                  ExclusiveStartKey: startKey,
                },
          ),
        );
        for (const item of out.Items ?? []) drills.push(toDrill(item));
        startKey = out.LastEvaluatedKey;
      } while (startKey !== undefined && drills.length < wanted);
      return drills;
    },
  };
}

function toDrill(item: Record<string, unknown>): DrillRecord {
  const attributes = { ...item };
  for (const key of KEY_ATTRIBUTES) delete attributes[key];
  return DrillRecordSchema.parse(attributes);
}

function normaliseIso(value: string): string {
  if (!isoWithOffset.safeParse(value).success) throw new RangeError(`not an ISO 8601 date-time: ${value}`);
  return new Date(value).toISOString();
}

function drillLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_DRILL_LIMIT;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_DRILL_LIMIT);
}
