import { createHash } from 'node:crypto';
import { ConfigError } from '#domain/errors.ts';

/**
 * Keys of the catalog table (see CATALOG_TABLE):
 *
 * | item | pk | sk | gsi2 (byClusterTime) |
 * |---|---|---|---|
 * | backup attempt | `DB#<cluster>#<database>` | `BACKUP#<scheduledTime>#<label>#<attempt>` | `BACKUP#<cluster>` / `<scheduledTime>#<database>#<label>#<attempt>` |
 * | run entry | `RUN#<runId>` | `<cluster>#<database>#<attempt sk>` | only when the run adopted another run's attempt: `ADOPTED#<cluster>` / `<attempt gsi2sk>#<runId>` |
 * | latest good pointer | `LATEST#<cluster>` | `DB#<database>` | — |
 * | alert budget | `ALERTS#<runId>` | `budget` | — |
 * | restore drill | `DB#<cluster>#<database>` | `DRILL#<startedAt>#<runId>` | `DRILL#<cluster>` / `<startedAt>#<database>#<runId>` |
 * | pause (lambdas/domain/pause) | `PAUSE#<cluster>` | `CLUSTER` or `SCHEDULE#<schedule>` | — |
 * | manifest head (manifest-store.ts) | `MANIFEST#<cluster>#<database>#<label>` | `HEAD` | — |
 * | manifest table chunk | `MANIFEST#<cluster>#<database>#<label>` | `TABLE#<table>#<chunk>` | — |
 * | manifest views / MVs chunk | `MANIFEST#<cluster>#<database>#<label>` | `OTHERS#<chunk>` | — |
 *
 * A snapshot's partition manifest (issue 20) is kept out of its attempt items, one partition per snapshot: the
 * head (format version, counts, the write's id) is written last and deleted first, so a manifest without its head
 * reads as absent. A table whose partition list is larger than MANIFEST_CHUNK_BYTES is split into chunks
 * (`<chunk>` zero-padded, from 0000); a table name whose escaped form would make the sort key too long for
 * DynamoDB (1024 bytes) is cut and followed by `~` and a hash of the whole name (the item carries the name).
 *
 * A run entry is what one run made of one attempt, even when another run wrote the attempt item first
 * (a slot run twice adopts the first run's snapshot): the run reads its own entries, strongly consistent.
 *
 * Times are `toISOString()` strings, which sort lexicographically in time order; attempts are zero-padded.
 * Names are escaped so that a `#` inside a name can never be read as a separator.
 */

/** Escapes `%` and `#` so a name is one unambiguous key segment. */
export function keySegment(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('#', '%23');
}

/** Sort key prefix of backup attempts. */
export const BACKUP_SORT_KEY_PREFIX = 'BACKUP#';

/** Sort key prefix of restore drills (same database partition as the backups, their own prefix). */
export const DRILL_SORT_KEY_PREFIX = 'DRILL#';

/** Identifies one drill: the idempotency key of its catalog write. */
export interface DrillIdentity {
  readonly cluster: string;
  readonly database: string;
  /** ISO 8601 UTC, already normalised. */
  readonly startedAt: string;
  readonly runId: string;
}

/** Every key attribute of a drill item (table and the byClusterTime index). */
export function drillKeys(id: DrillIdentity): Record<string, string> {
  return {
    pk: databasePartitionKey(id.cluster, id.database),
    sk: `${DRILL_SORT_KEY_PREFIX}${id.startedAt}#${keySegment(id.runId)}`,
    gsi2pk: clusterDrillIndexKey(id.cluster),
    gsi2sk: `${id.startedAt}#${keySegment(id.database)}#${keySegment(id.runId)}`,
  };
}

/** byClusterTime partition of one cluster's drills. */
export function clusterDrillIndexKey(cluster: string): string {
  return `DRILL#${keySegment(cluster)}`;
}

/** Identifies one backup attempt: the idempotency key of a catalog write. */
export interface AttemptIdentity {
  readonly cluster: string;
  readonly database: string;
  /** ISO 8601 UTC, already normalised. */
  readonly scheduledTime: string;
  readonly label: string;
  readonly attempt: number;
}

/** Partition key holding every attempt of one database. */
export function databasePartitionKey(cluster: string, database: string): string {
  return `DB#${keySegment(cluster)}#${keySegment(database)}`;
}

/** Time-sortable sort key of one attempt. */
export function attemptSortKey(id: AttemptIdentity): string {
  return `${BACKUP_SORT_KEY_PREFIX}${id.scheduledTime}#${keySegment(id.label)}#${padAttempt(id.attempt)}`;
}

/** Sort key prefix of every attempt of one scheduled slot. */
export function slotSortKeyPrefix(scheduledTime: string): string {
  return `${BACKUP_SORT_KEY_PREFIX}${scheduledTime}#`;
}

/** Every key attribute of an attempt item (table and both indexes). */
export function attemptKeys(id: AttemptIdentity): Record<string, string> {
  const sk = attemptSortKey(id);
  return {
    pk: databasePartitionKey(id.cluster, id.database),
    sk,
    gsi2pk: clusterTimeIndexKey(id.cluster),
    gsi2sk: `${id.scheduledTime}#${keySegment(id.database)}#${keySegment(id.label)}#${padAttempt(id.attempt)}`,
  };
}

/** Partition of one run's entries. */
export function runPartitionKey(runId: string): string {
  return `RUN#${keySegment(runId)}`;
}

/** Key of one run entry: the run, then the attempt it made or adopted. */
export function runEntryKey(runId: string, id: AttemptIdentity): { pk: string; sk: string } {
  return {
    pk: runPartitionKey(runId),
    sk: `${keySegment(id.cluster)}#${keySegment(id.database)}#${attemptSortKey(id)}`,
  };
}

/**
 * byClusterTime partition of one cluster's adopting run entries: a slot run again that only adopted what the first
 * run took writes no attempt item of its own, so `runs` finds it here (kept apart: period reads of the attempts
 * must not count an adopted snapshot twice).
 */
export function adoptedRunIndexKey(cluster: string): string {
  return `ADOPTED#${keySegment(cluster)}`;
}

/** byClusterTime partition of one cluster's backup attempts. */
export function clusterTimeIndexKey(cluster: string): string {
  return `BACKUP#${keySegment(cluster)}`;
}

/** Key of the "latest good snapshot" pointer of one database. */
export function latestGoodKey(cluster: string, database: string): { pk: string; sk: string } {
  return { pk: latestGoodPartitionKey(cluster), sk: `DB#${keySegment(database)}` };
}

/** Partition holding the latest-good pointers of every database of a cluster. */
export function latestGoodPartitionKey(cluster: string): string {
  return `LATEST#${keySegment(cluster)}`;
}

/** Key of the per-run alert budget counter. */
export function alertBudgetKey(runId: string): { pk: string; sk: string } {
  return { pk: `ALERTS#${runId}`, sk: 'budget' };
}

/** Partition key of one snapshot's manifest items. */
export function manifestPartitionKey(ref: { cluster: string; database: string; label: string }): string {
  return `${MANIFEST_KEY_PREFIX}${keySegment(ref.cluster)}#${keySegment(ref.database)}#${keySegment(ref.label)}`;
}

/** Sort key of a manifest's head item. */
export const MANIFEST_HEAD_SORT_KEY = 'HEAD';

/** Every manifest partition key starts so (IAM confines manifest writers to these partitions). */
export const MANIFEST_KEY_PREFIX = 'MANIFEST#';

/** Sort key prefix of a manifest's table chunks. */
export const MANIFEST_TABLE_SORT_KEY_PREFIX = 'TABLE#';

/** Longest escaped table name kept whole in a sort key (DynamoDB allows 1024 bytes per sort key). */
const MANIFEST_NAME_KEY_BYTES = 900;

/** Sort key of chunk `chunk` of table `table`'s partitions. */
export function manifestTableSortKey(table: string, chunk: number): string {
  let segment = keySegment(table);
  if (Buffer.byteLength(segment, 'utf8') > MANIFEST_NAME_KEY_BYTES) {
    const hash = createHash('sha256').update(table, 'utf8').digest('hex').slice(0, 32);
    // Cut by code points (never inside an escape like `%23`, nor a surrogate pair) until the bytes fit.
    const codePoints = Array.from(table).slice(0, 200);
    while (Buffer.byteLength(keySegment(codePoints.join('')), 'utf8') > MANIFEST_NAME_KEY_BYTES - 40) {
      codePoints.pop();
    }
    segment = `${keySegment(codePoints.join(''))}~${hash}`;
  }
  return `${MANIFEST_TABLE_SORT_KEY_PREFIX}${segment}#${padAttempt(chunk)}`;
}

/** Sort key of chunk `chunk` of a manifest's views and materialized views. */
export function manifestOthersSortKey(chunk: number): string {
  return `OTHERS#${padAttempt(chunk)}`;
}

/** The attributes that exist only to key the item; stripped before an item is handed out. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi2pk', 'gsi2sk', 'stateRank', 'attemptSortKey'] as const;

function padAttempt(attempt: number): string {
  return String(attempt).padStart(4, '0');
}

/** Opaque paging cursor: DynamoDB's LastEvaluatedKey as base64url JSON. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (lastEvaluatedKey === undefined) return null;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by encodeCursor.
 * @throws ConfigError when the cursor is not one of ours.
 */
export function decodeCursor(cursor: string | null | undefined): Record<string, string> | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  ) {
    throw new ConfigError('cursor: not a cursor returned by a previous page');
  }
  return parsed as Record<string, string>;
}
