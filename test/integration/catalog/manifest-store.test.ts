// Runs in about 6 s: partition manifests written to and read from the catalog table in dynalite (real HTTP).
import { DeleteCommand, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_HEAD_SORT_KEY, manifestPartitionKey, manifestTableSortKey } from '#domain/catalog/keys.ts';
import {
  createManifestStore,
  MANIFEST_CHUNK_BYTES,
  type ManifestStore,
  sliceBySize,
} from '#domain/catalog/manifest-store.ts';
import type { Manifest, Partition } from '#domain/differential/index.ts';
import { DependencyUnavailableError } from '#domain/errors.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

const DYNAMO_ITEM_LIMIT = 400 * 1024;

let dynamo: TestDynamo;
let store: ManifestStore;
let labelCounter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = createManifestStore({
    client: dynamo.client,
    tableName: dynamo.catalogTableName,
    clock: { now: () => Date.UTC(2026, 10, 24, 18) },
  });
});

afterAll(async () => {
  await dynamo.close();
});

function ref(database = 'sales') {
  labelCounter += 1;
  return { cluster: 'prod#eu', database, label: `nightly_${database}_${labelCounter}` };
}

/** `count` daily partitions of `table`, with realistic ids, versions and times (some times null). */
function partitions(_table: string, count: number, seed: number): Partition[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `p${String(20_240_101 + i)}`,
    id: String(9_007_199_254_740_993n + BigInt(seed * 100_000 + i)),
    visibleVersion: String(2 + ((i * 7 + seed) % 31)),
    visibleVersionTime: i % 97 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
    ...(i % 50 === 0 ? { physicalPartitions: 2 } : {}),
  }));
}

function bigManifest(): Manifest {
  return {
    formatVersion: 1,
    tables: [
      ...['orders', 'order_lines', 'payments', 'refunds#eu'].map((name, index) => ({
        name,
        fingerprint: `sha256:${name}:${index}`,
        partitioning: 'EXPR_RANGE' as const,
        partitions: partitions(name, 365, index),
      })),
      {
        name: 'clicks',
        fingerprint: 'sha256:clicks',
        partitioning: 'RANGE',
        partitions: partitions('clicks', 20_000, 9),
      },
      {
        name: 'dim_country',
        fingerprint: 'sha256:dim',
        partitioning: 'UNPARTITIONED',
        partitions: partitions('d', 1, 5),
      },
      { name: 'empty_list', fingerprint: 'sha256:list', partitioning: 'LIST', partitions: [] },
    ],
    others: [
      { name: 'v_orders', kind: 'VIEW', fingerprint: 'sha256:v' },
      { name: 'mv_daily', kind: 'MATERIALIZED_VIEW', fingerprint: 'sha256:mv' },
    ],
  };
}

async function rawItems(pk: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery(
    { client: dynamo.client },
    {
      TableName: dynamo.catalogTableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    },
  )) {
    items.push(...(page.Items ?? []));
  }
  return items;
}

describe('manifest store', () => {
  it('round-trips 365 partitions × 4 tables and one table of 20,000, every item under 400 KB', async () => {
    // Prepare
    const snapshot = ref();
    const manifest = bigManifest();

    // Act
    const summary = await store.writeManifest(snapshot, manifest);
    const read = await store.readManifest(snapshot);

    // Assert
    expect(read).toEqual(manifest);
    const items = await rawItems(manifestPartitionKey(snapshot));
    expect(items).toHaveLength(summary.items);
    const clicks = items.filter((item) => item.table === 'clicks');
    expect(clicks.length).toBeGreaterThan(1); // 20,000 partitions do not fit one chunk
    expect(clicks.every((item) => item.chunks === clicks.length)).toBe(true);
    expect(items.filter((item) => item.table === 'orders')).toHaveLength(1);
    // JSON is an upper bound of DynamoDB's item size (names and values in UTF-8, less punctuation).
    const largest = Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item), 'utf8')));
    expect(largest).toBeLessThan(DYNAMO_ITEM_LIMIT);
    expect(largest).toBeGreaterThan(MANIFEST_CHUNK_BYTES / 2);
    expect(summary).toMatchObject({ tables: 7, others: 2, partitions: 4 * 365 + 20_001 });
    expect(items.some((item) => item.sk === manifestTableSortKey('refunds#eu', 0))).toBe(true);
  });

  it('reads a manifest whose head is missing as absent (a write that did not finish)', async () => {
    const snapshot = ref();
    await store.writeManifest(snapshot, bigManifest());
    await dynamo.client.send(
      new DeleteCommand({
        TableName: dynamo.catalogTableName,
        Key: { pk: manifestPartitionKey(snapshot), sk: MANIFEST_HEAD_SORT_KEY },
      }),
    );

    expect(await store.readManifest(snapshot)).toBeUndefined();
    expect(await store.readManifest(ref())).toBeUndefined(); // never written
  });

  it('refuses a head whose chunks are not all there, rather than return part of a manifest', async () => {
    const snapshot = ref();
    await store.writeManifest(snapshot, bigManifest());
    await dynamo.client.send(
      new DeleteCommand({
        TableName: dynamo.catalogTableName,
        Key: { pk: manifestPartitionKey(snapshot), sk: manifestTableSortKey('clicks', 2) },
      }),
    );

    await expect(store.readManifest(snapshot)).rejects.toThrow(DependencyUnavailableError);
  });

  it('refuses chunks of another write under the head (a rewrite running)', async () => {
    const snapshot = ref();
    await store.writeManifest(snapshot, bigManifest());
    const key = { pk: manifestPartitionKey(snapshot), sk: manifestTableSortKey('orders', 0) };
    const out = await dynamo.client.send(new GetCommand({ TableName: dynamo.catalogTableName, Key: key }));
    await dynamo.client.send(
      new PutCommand({ TableName: dynamo.catalogTableName, Item: { ...out.Item, writeId: 'another' } }),
    );

    await expect(store.readManifest(snapshot)).rejects.toThrow(/incomplete/);
  });

  it('replaces a manifest on a second write and leaves none of the first behind', async () => {
    const snapshot = ref();
    await store.writeManifest(snapshot, bigManifest());
    const smaller: Manifest = {
      formatVersion: 1,
      tables: [
        {
          name: 'orders',
          fingerprint: 'sha256:new',
          partitioning: 'RANGE',
          partitions: partitions('o', 3, 1),
        },
      ],
      others: [],
    };

    const summary = await store.writeManifest(snapshot, smaller);

    expect(await store.readManifest(snapshot)).toEqual(smaller);
    expect(await rawItems(manifestPartitionKey(snapshot))).toHaveLength(summary.items);
  });

  it('stores an empty manifest and normalises numeric ids to text', async () => {
    const snapshot = ref();
    await store.writeManifest(snapshot, { formatVersion: 1, tables: [], others: [] });
    expect(await store.readManifest(snapshot)).toEqual({ formatVersion: 1, tables: [], others: [] });

    const numeric = ref();
    const input = {
      formatVersion: 1 as const,
      tables: [
        {
          name: 't',
          fingerprint: 'f',
          partitioning: 'RANGE' as const,
          partitions: [{ name: 'p1', id: 12, visibleVersion: 3, visibleVersionTime: null }],
        },
      ],
      others: [],
    };
    await store.writeManifest(numeric, input as unknown as Manifest);
    expect((await store.readManifest(numeric))?.tables[0]?.partitions[0]).toMatchObject({
      id: '12',
      visibleVersion: '3',
    });
  });

  it('keeps each snapshot apart and deletes one whole, head first', async () => {
    const a = ref();
    const b = ref();
    await store.writeManifest(a, bigManifest());
    await store.writeManifest(b, bigManifest());

    const deleted = await store.deleteManifest(a);

    expect(deleted).toBeGreaterThan(7);
    expect(await store.readManifest(a)).toBeUndefined();
    expect(await rawItems(manifestPartitionKey(a))).toEqual([]);
    expect(await store.readManifest(b)).toEqual(bigManifest());
    expect(await store.deleteManifest(a)).toBe(0);
  });

  it('keys a table whose name is too long for a sort key by a cut name and a hash', async () => {
    const long = `${'#'.repeat(600)}é${'x'.repeat(400)}`;
    const key = manifestTableSortKey(long, 0);
    expect(Buffer.byteLength(key, 'utf8')).toBeLessThanOrEqual(1024);
    expect(key).not.toBe(manifestTableSortKey(`${long.slice(0, -1)}y`, 0));

    const snapshot = ref();
    const manifest: Manifest = {
      formatVersion: 1,
      tables: [{ name: long, fingerprint: 'f', partitioning: 'RANGE', partitions: partitions('l', 2, 0) }],
      others: [],
    };
    await store.writeManifest(snapshot, manifest);
    expect(await store.readManifest(snapshot)).toEqual(manifest);
  });
});

describe('sliceBySize', () => {
  it('cuts a list into slices of at most the limit as JSON, one empty slice for none', () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, pad: 'x'.repeat(i % 50) }));
    const slices = sliceBySize(values, 4096);
    expect(slices.flat()).toEqual(values);
    for (const slice of slices)
      expect(Buffer.byteLength(JSON.stringify(slice), 'utf8')).toBeLessThanOrEqual(4096);
    expect(sliceBySize([])).toEqual([[]]);
  });
});
