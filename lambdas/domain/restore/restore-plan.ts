/**
 * Which snapshot a restore reads and where it writes: chosen from the catalog (never from the repository alone),
 * because only a catalog item that StarRocks FINISHED and SHOW SNAPSHOT confirmed carries the verbatim timestamp
 * RESTORE needs, and only the catalog knows which snapshots retention has pruned.
 */

import type { BackupAttempt, CatalogStore, Page } from '#domain/catalog/index.ts';
import { backupModeOf, chainSnapshotsOf, drillPointKind, isGoodSnapshot } from '#domain/catalog/index.ts';
import { type UnrestorableReason, unrestorableReason } from '#domain/differential/chain.ts';
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

/**
 * The snapshot a restore reaches, with what it takes to get there: a full is restored alone; a differential
 * (issue 20) is restored on top of its full, so the choice names that full too.
 */
export type SnapshotChoice =
  | { readonly kind: 'full'; readonly snapshot: RestoreSnapshot }
  | {
      readonly kind: 'differential';
      /** The differential: the point the restore reaches. */
      readonly snapshot: RestoreSnapshot;
      /** The full it was taken against, restored first. */
      readonly full: RestoreSnapshot;
    };

/** Whether a restore can read `item`: FINISHED, verified, neither lost nor pruned. */
function restorable(item: BackupAttempt): boolean {
  return isGoodSnapshot(item) && item.prunedAt === undefined;
}

/** Why a differential of the catalog cannot be restored, in words (the object of "it cannot be restored: …"). */
function reasonInWords(
  reason: UnrestorableReason,
  baseLabel: string | null,
  base: readonly BackupAttempt[],
): string {
  const full = `its full "${baseLabel ?? '?'}"`;
  switch (reason) {
    case 'no-base':
      return 'the catalog records no full it was taken against';
    case 'base-missing':
      return `${full} is not in the catalog`;
    case 'base-not-full':
      return `its base "${baseLabel ?? '?'}" is not a full snapshot`;
    case 'base-not-verified':
      return `${full} was never verified by SHOW SNAPSHOT`;
    case 'base-pruned':
      return `${full} was pruned from the repository at ${base.find((item) => item.prunedAt !== undefined)?.prunedAt ?? '?'}`;
    case 'base-lost':
      return `${full} is gone from the repository (a later look did not find it)`;
    case 'not-verified':
      return 'it was never verified by SHOW SNAPSHOT';
    case 'pruned':
      return 'it was pruned from the repository';
    case 'lost':
      return 'it is gone from the repository';
  }
}

/**
 * The chain rules over one database's catalog: what a snapshot takes to restore. The attempts of each full a
 * differential names are read once (findSnapshot), which is all `unrestorableReason` reads of the chain.
 */
function chainOf(catalog: SnapshotCatalog, cluster: string, database: string) {
  const bases = new Map<string, Promise<BackupAttempt[]>>();
  const attemptsOf = (label: string): Promise<BackupAttempt[]> => {
    let found = bases.get(label);
    if (found === undefined) {
      found = catalog.findSnapshot({ cluster, database, label });
      bases.set(label, found);
    }
    return found;
  };
  return {
    /**
     * The choice `items` (the attempt items of one label, of which `good` is a restorable one) stand for, or why
     * they cannot be restored (a differential whose full is gone, unverified, or in another repository).
     */
    async choiceOf(
      items: readonly BackupAttempt[],
      good: BackupAttempt,
    ): Promise<{ choice: SnapshotChoice } | { why: string }> {
      const [snapshot] = chainSnapshotsOf(items);
      if (snapshot === undefined || snapshot.kind === 'full') {
        return { choice: { kind: 'full', snapshot: toRestoreSnapshot(good) } };
      }
      const base = snapshot.baseLabel === null ? [] : await attemptsOf(snapshot.baseLabel);
      const reason = unrestorableReason(snapshot, base.length === 0 ? [] : chainSnapshotsOf(base));
      if (reason !== null) return { why: reasonInWords(reason, snapshot.baseLabel, base) };
      const full = toRestoreSnapshot(base.filter(restorable).at(-1) as BackupAttempt);
      const differential = toRestoreSnapshot(good);
      if (full.repository !== differential.repository) {
        return {
          why: `its full "${full.label}" is in repository ${full.repository}, the differential in ${differential.repository}`,
        };
      }
      return { choice: { kind: 'differential', snapshot: differential, full } };
    },
  };
}

type Chain = ReturnType<typeof chainOf>;

/**
 * The snapshot to restore: the one labelled `label`, or the newest restorable point whose backup started at or
 * before `before` (the point before a bad load or a dropped table; compared with when the data was captured), or by
 * default the latest restorable point of the database. Only a FINISHED, verified, not-pruned catalog item with a
 * snapshot timestamp qualifies; a differential qualifies only when its chain does (`unrestorableReason`: its full
 * verified, neither pruned nor lost), and comes back with that full. `fullOnly` passes over differentials: the
 * newest restorable full (a drill's fallback when its newest point's chain cannot be drilled).
 * @throws SnapshotNotFoundError naming what the catalog holds instead, or why the named snapshot cannot be
 *   restored (for a differential: what is wrong with its full).
 */
export async function chooseSnapshot(
  catalog: SnapshotCatalog,
  request: {
    readonly cluster: string;
    readonly database: string;
    readonly label?: string | undefined;
    /** ISO 8601: the newest restorable snapshot of a slot at or before this. */
    readonly before?: string | undefined;
    /** Only a full snapshot will do (a drill whose newest point's chain cannot be drilled falls back to one). */
    readonly fullOnly?: boolean | undefined;
  },
): Promise<SnapshotChoice> {
  const { cluster, database, label } = request;
  const fullOnly = request.fullOnly === true;
  const chain = chainOf(catalog, cluster, database);
  if (label === undefined && request.before !== undefined) {
    return newest(catalog, chain, { cluster, database, before: request.before, fullOnly });
  }
  if (label === undefined) {
    const latest = (await catalog.latestGoodSnapshots(cluster)).find((item) => item.database === database);
    if (!latest) {
      throw new SnapshotNotFoundError(
        `the catalog holds no verified snapshot of database "${database}" of cluster "${cluster}"`,
      );
    }
    if (backupModeOf(latest) === 'full') return { kind: 'full', snapshot: toRestoreSnapshot(latest) };
    // The latest is a differential: it is the point when its chain restores; otherwise (or for a drill) an older one.
    if (!fullOnly && restorable(latest)) {
      const chosen = await chain.choiceOf(
        await catalog.findSnapshot({ cluster, database, label: latest.label }),
        latest,
      );
      if ('choice' in chosen) return chosen.choice;
    }
    return newest(catalog, chain, { cluster, database, before: null, fullOnly });
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
  const chosen = await chain.choiceOf(items, good);
  if ('why' in chosen) {
    throw new SnapshotNotFoundError(
      `snapshot "${label}" of database "${database}" is a differential backup that cannot be restored: ${chosen.why}; a differential is restored on top of its full`,
    );
  }
  if (fullOnly && chosen.choice.kind === 'differential') {
    throw new SnapshotNotFoundError(
      `snapshot "${label}" of database "${database}" is a differential backup (of full "${chosen.choice.full.label}"); only a full snapshot is restored alone`,
    );
  }
  return chosen.choice;
}

/**
 * The newest restorable point whose backup started at or before `before` (null: any), reading the database's
 * attempts newest first; a differential whose chain does not restore is passed over (and counted for the message).
 */
async function newest(
  catalog: SnapshotCatalog,
  chain: Chain,
  request: {
    readonly cluster: string;
    readonly database: string;
    readonly before: string | null;
    readonly fullOnly: boolean;
  },
): Promise<SnapshotChoice> {
  const before = request.before === null ? null : new Date(request.before).toISOString();
  const passedOver: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<BackupAttempt> = await catalog.listSnapshots({
      cluster: request.cluster,
      database: request.database,
      cursor,
      limit: 100,
    });
    for (const item of page.items) {
      // When the data was captured, not the slot's time: a backfill or re-run of an old slot holds later data.
      if (before !== null && (item.startedAt ?? item.finishedAt ?? item.scheduledTime) > before) continue;
      if (!restorable(item)) continue;
      if (backupModeOf(item) === 'full') return { kind: 'full', snapshot: toRestoreSnapshot(item) };
      if (request.fullOnly) continue;
      const chosen = await chain.choiceOf(
        await catalog.findSnapshot({
          cluster: request.cluster,
          database: request.database,
          label: item.label,
        }),
        item,
      );
      if ('choice' in chosen) return chosen.choice;
      passedOver.push(`differential "${item.label}" (${chosen.why})`);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  const what = request.fullOnly ? 'verified full snapshot' : 'verified snapshot';
  const when = before === null ? '' : ` taken at or before ${before}`;
  const skipped =
    passedOver.length === 0
      ? ''
      : `; passed over ${passedOver.length === 1 ? 'one that cannot be restored' : `${passedOver.length} that cannot be restored`}: ${passedOver.slice(0, 3).join(', ')}${passedOver.length > 3 ? ', …' : ''}`;
  throw new SnapshotNotFoundError(
    `the catalog holds no ${what} of database "${request.database}" of cluster "${request.cluster}"${when}${skipped}`,
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

/** Drills read to find RESTORE_HISTORY_DEPTH of one kind (full and chain drills of a database interleave). */
const RESTORE_HISTORY_LOOKBACK = 20;

/**
 * Measured restore times (s) of the database's recent passed drills of one kind, newest first: what a restore of
 * it (drill or on-demand; the same RESTORE job) is expected to take, for the poll policy. A chain (issue 20: the
 * full, drops, the differential) takes longer than its full alone, so `kind` keeps them apart: a chain's expected
 * time comes only from earlier chain drills, a full's only from full drills (items without `pointKind` are fulls).
 */
export async function restoreHistorySeconds(
  catalog: Pick<CatalogStore, 'listDrills'>,
  ref: { readonly cluster: string; readonly database: string },
  kind: 'full' | 'chain' = 'full',
): Promise<number[]> {
  const earlier = await catalog.listDrills({ ...ref, limit: RESTORE_HISTORY_LOOKBACK });
  return earlier
    .flatMap((drill) =>
      drill.state === 'FINISHED' && drill.durationSeconds !== null && drillPointKind(drill) === kind
        ? [drill.durationSeconds]
        : [],
    )
    .slice(0, RESTORE_HISTORY_DEPTH);
}
