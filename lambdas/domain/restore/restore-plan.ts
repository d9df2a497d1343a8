/**
 * Which snapshot a restore reads and where it writes: chosen from the catalog (never from the repository alone),
 * because only a catalog item that StarRocks FINISHED and SHOW SNAPSHOT confirmed carries the verbatim timestamp
 * RESTORE needs, and only the catalog knows which snapshots retention has pruned.
 */

import type { BackupAttempt, CatalogStore } from '#domain/catalog/index.ts';
import { isGoodSnapshot } from '#domain/catalog/index.ts';
import { SnapshotNotFoundError } from '#domain/errors.ts';
import { assertValidIdentifier } from '#domain/starrocks/identifiers.ts';
import { z } from '#domain/zod.ts';

/** The snapshot a restore reads, as the catalog recorded it. */
export const restoreSnapshotSchema = z.object({
  label: z.string().min(1),
  repository: z.string().min(1),
  /** StarRocks' snapshot timestamp, verbatim: RESTORE's `backup_timestamp`. */
  snapshotTimestamp: z.string().min(1),
  /** The backup slot the snapshot was taken for, ISO 8601 UTC. */
  scheduledTime: z.string(),
  finishedAt: z.string().nullable(),
  /** Tables and materialized views of the database at backup time (SHOW DATA), when known. */
  tableCount: z.number().int().nonnegative().nullable(),
  sizeBytes: z.number().nonnegative().nullable(),
});

/** A restore to run: which snapshot of which database, into which database. */
export const restorePlanSchema = z.object({
  cluster: z.string().min(1),
  /** The database the snapshot was taken of. */
  sourceDatabase: z.string().min(1),
  /** The database the tables are restored into (the source itself, a new name, or a drill's scratch database). */
  targetDatabase: z.string().min(1),
  snapshot: restoreSnapshotSchema,
  /**
   * Only these tables of the snapshot, each under its own name or `alias`; absent = the whole database. A table
   * restore may write into an existing database, never over an existing table.
   */
  tables: z
    .array(z.object({ name: z.string().min(1), alias: z.string().min(1).optional() }))
    .min(1)
    .optional(),
});

/** The names a restore creates in its target: each table's alias or name (undefined for a whole database). */
export function restoredTableNames(plan: Pick<RestorePlan, 'tables'>): string[] | undefined {
  return plan.tables?.map((table) => table.alias ?? table.name);
}

/** The snapshot a restore reads. */
export type RestoreSnapshot = z.output<typeof restoreSnapshotSchema>;
/** A planned restore. */
export type RestorePlan = z.output<typeof restorePlanSchema>;

/** What choosing a snapshot reads from the catalog. */
export type SnapshotCatalog = Pick<CatalogStore, 'latestGoodSnapshots' | 'findSnapshot' | 'listSnapshots'>;

/** Whether a restore can read `item`: FINISHED, verified, neither lost nor pruned. */
function restorable(item: BackupAttempt): boolean {
  return isGoodSnapshot(item) && item.prunedAt === undefined;
}

/**
 * The snapshot to restore: the one labelled `label`, or the newest verified snapshot whose slot is at or before
 * `before` (the point before a bad load or a dropped table; compared with when the data was captured, the backup's
 * start), or by default the latest verified snapshot of the
 * database. Only a FINISHED, verified, not-pruned catalog item with a snapshot timestamp qualifies.
 * @throws SnapshotNotFoundError naming what the catalog holds instead.
 */
export async function chooseSnapshot(
  catalog: SnapshotCatalog,
  request: {
    readonly cluster: string;
    readonly database: string;
    readonly label?: string | undefined;
    /** ISO 8601: the newest restorable snapshot of a slot at or before this. */
    readonly before?: string | undefined;
  },
): Promise<RestoreSnapshot> {
  const { cluster, database, label } = request;
  if (label === undefined && request.before !== undefined)
    return newestBefore(catalog, { cluster, database, before: request.before });
  if (label === undefined) {
    const latest = (await catalog.latestGoodSnapshots(cluster)).find((item) => item.database === database);
    if (!latest) {
      throw new SnapshotNotFoundError(
        `the catalog holds no verified snapshot of database "${database}" of cluster "${cluster}"`,
      );
    }
    return toRestoreSnapshot(latest);
  }
  const items = await catalog.findSnapshot({ cluster, database, label });
  if (items.length === 0) {
    throw new SnapshotNotFoundError(
      `snapshot "${label}" is not in the catalog for database "${database}" of cluster "${cluster}"`,
    );
  }
  const good = items.filter(restorable).at(-1);
  if (!good) {
    const item = items.at(-1) as BackupAttempt;
    const why =
      item.prunedAt !== undefined
        ? `was pruned from the repository at ${item.prunedAt}`
        : `is ${item.state}${item.state === 'FINISHED' ? ' but was never verified by SHOW SNAPSHOT' : ''}`;
    throw new SnapshotNotFoundError(
      `snapshot "${label}" of database "${database}" ${why}; only a verified snapshot can be restored`,
    );
  }
  return toRestoreSnapshot(good);
}

/** The newest restorable snapshot of a slot at or before `before`, reading the database's attempts newest first. */
async function newestBefore(
  catalog: SnapshotCatalog,
  request: { readonly cluster: string; readonly database: string; readonly before: string },
): Promise<RestoreSnapshot> {
  const before = new Date(request.before).toISOString();
  let cursor: string | null = null;
  do {
    const page = await catalog.listSnapshots({
      cluster: request.cluster,
      database: request.database,
      cursor,
      limit: 100,
    });
    // When the data was captured, not the slot's time: a backfill or re-run of an old slot holds later data.
    const found = page.items.find(
      (item) => (item.startedAt ?? item.finishedAt ?? item.scheduledTime) <= before && restorable(item),
    );
    if (found !== undefined) return toRestoreSnapshot(found);
    cursor = page.nextCursor;
  } while (cursor !== null);
  throw new SnapshotNotFoundError(
    `the catalog holds no verified snapshot of database "${request.database}" of cluster "${request.cluster}" taken at or before ${before}`,
  );
}

function toRestoreSnapshot(item: BackupAttempt): RestoreSnapshot {
  if (item.snapshotTimestamp === null) {
    throw new SnapshotNotFoundError(
      `snapshot "${item.label}" of database "${item.database}" has no StarRocks timestamp in the catalog; RESTORE needs it`,
    );
  }
  return {
    label: item.label,
    repository: item.repository,
    snapshotTimestamp: item.snapshotTimestamp,
    scheduledTime: item.scheduledTime,
    finishedAt: item.finishedAt,
    tableCount: item.tableCount,
    sizeBytes: item.sizeBytes,
  };
}

/**
 * A drill's scratch database: `<prefix><database>_<yyyyMMddHHmm>`, the minute in UTC (as snapshot labels use UTC),
 * so two drills of one database never share one and a re-run of the same slot finds its own.
 * @throws InvalidIdentifierError when the result is not a database name StarRocks accepts.
 */
export function scratchDatabaseName(prefix: string, database: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
  const name = `${prefix}${database}_${stamp}`;
  assertValidIdentifier('database', name);
  return name;
}

/** Earlier passed drills of a database whose measured restore times aim a restore's poll policy. */
const RESTORE_HISTORY_DEPTH = 7;

/**
 * Measured restore times (s) of the database's recent passed drills, newest first: what a restore of it (drill or
 * on-demand; the same RESTORE job) is expected to take, for the poll policy.
 */
export async function restoreHistorySeconds(
  catalog: Pick<CatalogStore, 'listDrills'>,
  ref: { readonly cluster: string; readonly database: string },
): Promise<number[]> {
  const earlier = await catalog.listDrills({ ...ref, limit: RESTORE_HISTORY_DEPTH });
  return earlier.flatMap((drill) =>
    drill.state === 'FINISHED' && drill.durationSeconds !== null ? [drill.durationSeconds] : [],
  );
}
