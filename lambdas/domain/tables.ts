import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The keys and indexes of our two DynamoDB tables, as plain data. The CDK stack (TableV2 / GlobalTable)
 * and the local bootstrap (CreateTable) are both derived from these objects, so the deployed and the
 * local tables cannot drift apart. The `type` and `projectionType` strings equal the values of CDK's
 * `AttributeType` and `ProjectionType` enums.
 */

/** One key attribute of a table or an index. */
export interface KeyAttributeDefinition {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** One global secondary index. */
export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttributeDefinition;
  readonly sortKey?: KeyAttributeDefinition;
  readonly projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** Only with `projectionType: 'INCLUDE'`. */
  readonly nonKeyAttributes?: readonly string[];
}

/** The key schema of one table (billing is always on demand). */
export interface TableDefinition {
  /** A short logical name, used for CDK construct ids and default local table names. */
  readonly logicalName: string;
  readonly partitionKey: KeyAttributeDefinition;
  readonly sortKey?: KeyAttributeDefinition;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  /**
   * Attribute DynamoDB's TTL reads (epoch seconds), when the table uses TTL. Only items that set it
   * expire; locally (dynalite) nothing expires and nothing may depend on expiry.
   */
  readonly timeToLiveAttribute?: string;
}

const stringKey = (name: string): KeyAttributeDefinition => ({ name, type: 'S' });

/**
 * Locks table: per-database locks and per-cluster backup slots.
 * `pk` = cluster, `sk` = `lock#<database>` or `slot#<nnn>`, so one Query lists what a cluster holds.
 * No TTL: lock items carry the fencing token, which must never reset.
 */
export const LOCKS_TABLE: TableDefinition = {
  logicalName: 'Locks',
  partitionKey: stringKey('pk'),
  sortKey: stringKey('sk'),
  globalSecondaryIndexes: [],
};

/** Catalog index listing a cluster's attempts by scheduled time, for retention (sparse). */
export const CATALOG_BY_CLUSTER_TIME_INDEX = 'byClusterTime';

/**
 * Snapshot catalog table: one item per backup attempt (`pk` = database, `sk` = time-sortable attempt key),
 * one run entry per attempt a run made or adopted (`pk` = run), a "latest good snapshot" pointer per
 * database, and a per-run alert budget item.
 */
export const CATALOG_TABLE: TableDefinition = {
  logicalName: 'Catalog',
  partitionKey: stringKey('pk'),
  sortKey: stringKey('sk'),
  globalSecondaryIndexes: [
    {
      indexName: CATALOG_BY_CLUSTER_TIME_INDEX,
      partitionKey: stringKey('gsi2pk'),
      sortKey: stringKey('gsi2sk'),
      projectionType: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAtEpochSeconds',
};

/** Builds the CreateTable request for `def` under the physical name `tableName` (on-demand billing). */
export function toCreateTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttributeDefinition>();
  const keySchema = (partitionKey: KeyAttributeDefinition, sortKey: KeyAttributeDefinition | undefined) => {
    for (const key of [partitionKey, sortKey]) {
      if (key === undefined) continue;
      const known = attributes.get(key.name);
      if (known !== undefined && known.type !== key.type) {
        throw new Error(
          `table ${def.logicalName}: attribute ${key.name} is declared as ${known.type} and ${key.type}`,
        );
      }
      attributes.set(key.name, key);
    }
    return [
      { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
      ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }]),
    ];
  };

  const tableKeySchema = keySchema(def.partitionKey, def.sortKey);
  const indexes = def.globalSecondaryIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: {
      ProjectionType: index.projectionType,
      ...(index.nonKeyAttributes === undefined ? {} : { NonKeyAttributes: [...index.nonKeyAttributes] }),
    },
  }));

  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()].map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: tableKeySchema,
    ...(indexes.length === 0 ? {} : { GlobalSecondaryIndexes: indexes }),
  };
}
