/**
 * The partition manifests of snapshots (issue 20), kept in the catalog table but out of the attempt items: a
 * manifest of 365 partitions × a few hundred tables is megabytes, and a DynamoDB item holds 400 KB. Not wired into
 * any Lambda yet.
 *
 * Layout (keys.ts): one partition per snapshot, `MANIFEST#<cluster>#<database>#<label>`, holding
 * - a chunk item per table (`TABLE#<table>#<chunk>`): the table's name, fingerprint, partitioning, its position in
 *   the manifest, and a slice of its partitions no larger than MANIFEST_CHUNK_BYTES as JSON (most tables: one chunk);
 * - chunk items of the views and materialized views (`OTHERS#<chunk>`), same bound;
 * - the head (`HEAD`): format version, the write's id, and the counts a reader checks.
 *
 * A reader never takes a half-written manifest for a whole one: the head is written last (after every chunk) and
 * deleted first, every chunk carries the id of the write that made it, and a read checks the chunks against the
 * head's counts and id. No head = no manifest. A read that finds the head but not every chunk of its write (a
 * rewrite of the same label running at that moment) throws DependencyUnavailableError (worth a retry); it never
 * returns a partial manifest.
 *
 * Writes use BatchWriteItem (25 items, about 1 MB per request, unprocessed items retried with backoff) rather than a
 * PutItem per item: chunks are unconditional and idempotent (the head alone decides what is complete), so batching
 * loses nothing and a table of 20,000 partitions (7 chunks) or a database of 500 tables costs a few requests instead
 * of hundreds. One writer per label at a time is assumed (a database's backups are serialised by its lock); two
 * concurrent writers of one label cannot make a wrong manifest readable, only an unreadable one until rewritten.
 */
import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import {
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  manifestSchema,
  PARTITIONING_KINDS,
} from '#domain/differential/index.ts';
import { DependencyUnavailableError } from '#domain/errors.ts';
import { z } from '#domain/zod.ts';
import {
  MANIFEST_HEAD_SORT_KEY,
  manifestOthersSortKey,
  manifestPartitionKey,
  manifestTableSortKey,
} from './keys.ts';
import { BACKUP_MODES, type BackupMode } from './schema.ts';
import type { SnapshotRef } from './snapshot-marks.ts';

/** Largest partition (or view) list of one chunk item, as UTF-8 JSON: far enough below 400 KB for the rest. */
export const MANIFEST_CHUNK_BYTES = 300_000;

/** DynamoDB's BatchWriteItem takes 25 items a request. */
const BATCH_ITEMS = 25;
/**
 * Bytes per BatchWriteItem request (DynamoDB allows 16 MB): one manifest is one DynamoDB partition, which takes
 * about 1 MB/s of writes, so larger requests would only come back as unprocessed items.
 */
const BATCH_BYTES = 1_000_000;
/** Rounds of retrying unprocessed items before giving up (backoff 50 ms doubling, at most 2 s a round). */
const BATCH_ROUNDS = 12;

/** What the manifest store needs. */
export interface ManifestStoreDeps {
  readonly client: DynamoDBDocumentClient;
  /** Physical name of the catalog table. */
  readonly tableName: string;
  readonly clock: Clock;
}

/** What a write stored. */
export interface ManifestWriteSummary {
  readonly tables: number;
  readonly others: number;
  readonly partitions: number;
  /** Items written, the head included. */
  readonly items: number;
  /** Identifies this write; every item of it carries the id. */
  readonly writeId: string;
}

/** What a snapshot is in its chain: a full, or a differential of `baseLabel`. */
export interface SnapshotChain {
  readonly mode: BackupMode;
  readonly baseLabel?: string | undefined;
}

/** The partition manifests of snapshots (one per label of a database). */
export interface ManifestStore {
  /**
   * Stores `manifest` as the snapshot's manifest, replacing any earlier one of the label (a retried write stores
   * the newer one). While it runs a reader gets the old manifest whole, none, or DependencyUnavailableError; never
   * a mix.
   * @throws ZodError when `manifest` is not a valid Manifest.
   */
  writeManifest(ref: SnapshotRef, manifest: Manifest, chain?: SnapshotChain): Promise<ManifestWriteSummary>;
  /**
   * What the snapshot is in its chain, as its manifest's head records it (one Query of the head item): whoever
   * finds the label's job or snapshot later (a retried SubmitBackup, an heir settling an ended holder) records the
   * same kind and base the submitter decided. Undefined when the label has no complete manifest or no chain fields.
   */
  readChain(ref: SnapshotRef): Promise<SnapshotChain | undefined>;
  /**
   * The snapshot's manifest, or undefined when it has none (never written, deleted, or its write did not finish).
   * Strongly consistent.
   * @throws DependencyUnavailableError when the head is there but not every chunk of its write (a rewrite is
   *   running): retry.
   */
  readManifest(ref: SnapshotRef): Promise<Manifest | undefined>;
  /** Deletes every item of the snapshot's manifest, head first; returns how many it deleted (0: none). */
  deleteManifest(ref: SnapshotRef): Promise<number>;
}

const headSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  writeId: z.string().min(1),
  tableCount: z.number().int().nonnegative(),
  othersChunks: z.number().int().nonnegative(),
  partitionCount: z.number().int().nonnegative(),
  /** Chunk items of the write (the head excluded). */
  chunkItems: z.number().int().nonnegative(),
});

/** The chain fields a head may carry (written since differential schedules exist). */
const chainOfHeadSchema = z.object({
  mode: z.enum(BACKUP_MODES),
  baseLabel: z.string().min(1).optional(),
});

const tableChunkSchema = z.object({
  writeId: z.string(),
  position: z.number().int().nonnegative(),
  table: z.string(),
  fingerprint: z.string(),
  partitioning: z.enum(PARTITIONING_KINDS),
  chunk: z.number().int().nonnegative(),
  chunks: z.number().int().min(1),
  partitions: z.array(z.unknown()),
});

const othersChunkSchema = z.object({
  writeId: z.string(),
  chunk: z.number().int().nonnegative(),
  chunks: z.number().int().min(1),
  others: z.array(z.unknown()),
});

type Item = Record<string, unknown>;

/** The head's attribute while a rewrite of the label runs: the manifest reads as absent until the new head. */
const REWRITING = 'rewriting';
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** Builds the manifest store over the catalog table. */
export function createManifestStore(deps: ManifestStoreDeps): ManifestStore {
  const { client, tableName, clock } = deps;

  async function queryAll(pk: string, keysOnly: boolean): Promise<Item[]> {
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ...(keysOnly ? { ProjectionExpression: 'pk, sk' } : {}),
      },
    );
    const items: Item[] = [];
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  async function batch(requests: readonly { request: WriteRequest; bytes: number }[]): Promise<void> {
    let group: WriteRequest[] = [];
    let groupBytes = 0;
    for (const { request, bytes } of requests) {
      if (group.length > 0 && (group.length === BATCH_ITEMS || groupBytes + bytes > BATCH_BYTES)) {
        await writeBatch(client, tableName, group);
        group = [];
        groupBytes = 0;
      }
      group.push(request);
      groupBytes += bytes;
    }
    if (group.length > 0) await writeBatch(client, tableName, group);
  }

  return {
    async writeManifest(ref, input, chain) {
      const manifest = manifestSchema.parse(input);
      const pk = manifestPartitionKey(ref);
      const writeId = `${new Date(clock.now()).toISOString()}~${randomUUID()}`;

      const chunks: Item[] = [];
      manifest.tables.forEach((table, position) => {
        const slices = sliceBySize(table.partitions);
        slices.forEach((partitions, chunk) => {
          chunks.push({
            pk,
            sk: manifestTableSortKey(table.name, chunk),
            writeId,
            position,
            table: table.name,
            fingerprint: table.fingerprint,
            partitioning: table.partitioning,
            chunk,
            chunks: slices.length,
            partitions,
          });
        });
      });
      const otherSlices = manifest.others.length === 0 ? [] : sliceBySize(manifest.others);
      otherSlices.forEach((others, chunk) => {
        chunks.push({
          pk,
          sk: manifestOthersSortKey(chunk),
          writeId,
          chunk,
          chunks: otherSlices.length,
          others,
        });
      });

      // Head first out (replaced by a marker: the writer needs no DeleteItem, which would let it delete any catalog
      // item), chunks in, leftovers of an earlier write out, head last in.
      const existing = await queryAll(pk, true);
      if (existing.some((item) => item.sk === MANIFEST_HEAD_SORT_KEY)) {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk, sk: MANIFEST_HEAD_SORT_KEY, [REWRITING]: writeId },
          }),
        );
      }
      await batch(
        chunks.map((item) => ({ request: { PutRequest: { Item: item } }, bytes: jsonBytes(item) })),
      );
      const written = new Set(chunks.map((item) => item.sk));
      const stale = existing.filter((item) => item.sk !== MANIFEST_HEAD_SORT_KEY && !written.has(item.sk));
      await batch(
        stale.map((item) => ({
          request: { DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } },
          bytes: jsonBytes(item),
        })),
      );
      const partitions = manifest.tables.reduce((sum, table) => sum + table.partitions.length, 0);
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk,
            sk: MANIFEST_HEAD_SORT_KEY,
            ...headSchema.parse({
              formatVersion: MANIFEST_FORMAT_VERSION,
              writeId,
              tableCount: manifest.tables.length,
              othersChunks: otherSlices.length,
              partitionCount: partitions,
              chunkItems: chunks.length,
            }),
            cluster: ref.cluster,
            database: ref.database,
            label: ref.label,
            ...(chain === undefined
              ? {}
              : {
                  mode: chain.mode,
                  ...(chain.baseLabel === undefined ? {} : { baseLabel: chain.baseLabel }),
                }),
            writtenAt: new Date(clock.now()).toISOString(),
          },
        }),
      );
      return {
        tables: manifest.tables.length,
        others: manifest.others.length,
        partitions,
        items: chunks.length + 1,
        writeId,
      };
    },

    async readChain(ref) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk = :head',
          ExpressionAttributeValues: { ':pk': manifestPartitionKey(ref), ':head': MANIFEST_HEAD_SORT_KEY },
          ConsistentRead: true,
        }),
      );
      const head = out.Items?.[0];
      if (head === undefined || REWRITING in head) return undefined;
      const parsed = chainOfHeadSchema.safeParse(head);
      return parsed.success ? parsed.data : undefined;
    },

    async readManifest(ref) {
      const items = await queryAll(manifestPartitionKey(ref), false);
      const headItem = items.find((item) => item.sk === MANIFEST_HEAD_SORT_KEY);
      if (headItem === undefined || REWRITING in headItem) return undefined;
      const head = headSchema.parse(headItem);
      const incomplete = (what: string) =>
        new DependencyUnavailableError(
          `the manifest of snapshot ${ref.label} (database ${ref.database}, cluster ${ref.cluster}) is incomplete: ${what}; a rewrite may be running, retry`,
        );

      const ofWrite = items.filter(
        (item) => item.sk !== MANIFEST_HEAD_SORT_KEY && item.writeId === head.writeId,
      );
      if (ofWrite.length !== head.chunkItems) {
        throw incomplete(`${ofWrite.length} of ${head.chunkItems} chunk items`);
      }
      const tables = new Map<number, z.output<typeof tableChunkSchema>[]>();
      const others: z.output<typeof othersChunkSchema>[] = [];
      for (const item of ofWrite) {
        if ('table' in item) {
          const chunk = tableChunkSchema.parse(item);
          tables.set(chunk.position, [...(tables.get(chunk.position) ?? []), chunk]);
        } else {
          others.push(othersChunkSchema.parse(item));
        }
      }
      if (tables.size !== head.tableCount) throw incomplete(`${tables.size} of ${head.tableCount} tables`);
      if (others.length !== head.othersChunks) {
        throw incomplete(`${others.length} of ${head.othersChunks} view chunks`);
      }
      const assembled: Manifest['tables'][number][] = [];
      for (let position = 0; position < head.tableCount; position++) {
        const parts = (tables.get(position) ?? []).sort((a, b) => a.chunk - b.chunk);
        const first = parts[0];
        if (first === undefined) throw incomplete(`table #${position} missing`);
        if (parts.some((part, index) => part.chunk !== index || part.chunks !== parts.length)) {
          throw incomplete(`table ${first.table}: chunks out of order or missing`);
        }
        assembled.push({
          name: first.table,
          fingerprint: first.fingerprint,
          partitioning: first.partitioning,
          partitions: parts.flatMap((part) => part.partitions) as Manifest['tables'][number]['partitions'],
        });
      }
      others.sort((a, b) => a.chunk - b.chunk);
      if (others.some((part, index) => part.chunk !== index || part.chunks !== others.length)) {
        throw incomplete('view chunks out of order or missing');
      }
      const manifest = manifestSchema.parse({
        formatVersion: head.formatVersion,
        tables: assembled,
        others: others.flatMap((part) => part.others),
      });
      const partitions = manifest.tables.reduce((sum, table) => sum + table.partitions.length, 0);
      if (partitions !== head.partitionCount) {
        throw incomplete(`${partitions} of ${head.partitionCount} partitions`);
      }
      return manifest;
    },

    async deleteManifest(ref) {
      const pk = manifestPartitionKey(ref);
      const existing = await queryAll(pk, true);
      if (existing.length === 0) return 0;
      // Head first: from here on the manifest reads as absent, whatever the rest of the deletion does.
      // A one-item BatchWriteItem, not DeleteItem: IAM confines BatchWriteItem to manifest partitions.
      if (existing.some((item) => item.sk === MANIFEST_HEAD_SORT_KEY)) {
        await batch([{ request: { DeleteRequest: { Key: { pk, sk: MANIFEST_HEAD_SORT_KEY } } }, bytes: 0 }]);
      }
      await batch(
        existing
          .filter((item) => item.sk !== MANIFEST_HEAD_SORT_KEY)
          .map((item) => ({
            request: { DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } },
            bytes: jsonBytes(item),
          })),
      );
      return existing.length;
    },
  };
}

/** `values` cut into consecutive slices of at most MANIFEST_CHUNK_BYTES of JSON each; one empty slice for none. */
export function sliceBySize<T>(values: readonly T[], limit = MANIFEST_CHUNK_BYTES): T[][] {
  const slices: T[][] = [[]];
  let bytes = 2; // `[]`
  for (const value of values) {
    const size = jsonBytes(value) + 1; // its comma
    const current = slices[slices.length - 1] as T[];
    if (current.length > 0 && bytes + size > limit) {
      slices.push([value]);
      bytes = 2 + size;
    } else {
      current.push(value);
      bytes += size;
    }
  }
  return slices;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Writes one BatchWriteItem request, retrying what DynamoDB left unprocessed (it may, under load). */
async function writeBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  let pending = [...requests];
  for (let round = 0; pending.length > 0; round++) {
    if (round >= BATCH_ROUNDS)
      throw new DependencyUnavailableError(`DynamoDB left ${pending.length} manifest items unwritten`);
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** round)));
    const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = [...(out.UnprocessedItems?.[tableName] ?? [])];
  }
}
