/**
 * What a differential backup holds: the manifest of the database now against the manifest of its chain's full.
 * Pure; nothing here talks to StarRocks.
 *
 * The rules follow StarRocks' RestoreJob (fe/fe-core/src/main/java/com/starrocks/backup/RestoreJob.java,
 * checkAndPrepareMeta, the same on branch-3.0 through 4.0 and branch-4.1; research
 * docs/research/differential-backups.md §2.2), because a differential is only worth taking if its chain restores:
 * the full is restored into a new database, then the differential's partitions are restored INTO the existing
 * tables, where
 *   (a) a partition that exists under the same name is overwritten (range tables first check the range),
 *   (b) a missing partition is ADDED to a range table and REFUSED for list and unpartitioned tables,
 *   and a table that does not exist is created with only the snapshot's partitions.
 * Rules that rest on reading code rather than a live cluster are marked GUESS.
 */
import {
  isRangePartitioning,
  isShadowPartition,
  type Manifest,
  type OlapTableManifest,
  type OtherObjectManifest,
  type Partition,
} from './manifest.ts';

/** Why an object is backed up whole rather than by partition. */
export type WholeReason =
  /** Absent from the full (or there under another kind of object). */
  | 'new-table'
  /** The OLAP table's fingerprint changed (includes a drop and re-create: TABLE_ID is part of it). */
  | 'schema-changed'
  /** A list-partitioned or unpartitioned table that changed in a way partitions cannot carry. */
  | 'not-range-partitioned'
  /** A changed partition has (or had) more than one physical partition. */
  | 'automatic-bucketing'
  /** A view's or materialized view's definition changed. */
  | 'definition-changed'
  /** A materialized view, taken whole in every differential (`materializedViews: 'whole'`). */
  | 'materialized-view';

export type ObjectKind = 'OLAP' | 'VIEW' | 'MATERIALIZED_VIEW';

/** The decision about one object of the database now. */
export type ObjectPlan =
  | { readonly name: string; readonly kind: ObjectKind; readonly change: 'unchanged' }
  | { readonly name: string; readonly kind: ObjectKind; readonly change: 'whole'; readonly why: WholeReason }
  | {
      readonly name: string;
      readonly kind: 'OLAP';
      readonly change: 'partitions';
      /** Partitions to back up: new since the full, or whose (id, visible version) changed. Sorted. */
      readonly partitions: readonly string[];
      /** Of `partitions`, those replaced since the full (new PARTITION_ID: INSERT OVERWRITE, TRUNCATE, re-add). */
      readonly replacedPartitions: readonly string[];
      /** Partitions of the full that no longer exist. Sorted. */
      readonly droppedPartitions: readonly string[];
    };

/** One entry of the BACKUP's ON clause: a whole object (`partitions: null`) or some partitions of a table. */
export interface BackupObject {
  readonly name: string;
  readonly kind: ObjectKind;
  readonly partitions: readonly string[] | null;
}

export interface DifferentialPlan {
  /** Nothing changed since the full: the run is SKIPPED with the reason `unchanged`. */
  readonly unchanged: boolean;
  /** One entry per object of the manifest now (its tables, then its views and materialized views). */
  readonly objects: readonly ObjectPlan[];
  /** Objects of the full that no longer exist (a chain restore does not restore them). Sorted. */
  readonly droppedTables: readonly string[];
  /** What the BACKUP holds, in `objects` order (empty when only drops happened). */
  readonly backup: readonly BackupObject[];
}

export interface DifferentialOptions {
  /**
   * Materialized views whose definition is unchanged:
   * - `'refresh-after-restore'` (default): left out; the chain restore restores them from the full and refreshes
   *   them. Research §1.3: on restore an existing ACTIVE MV is silently skipped (RestoreJob.checkAndPrepareMeta,
   *   3.2+: "Skip to restore existed and active mv"), so restoring one over the full's copy is unreliable, and
   *   3.0/3.1 cannot back up an MV's partitions at all.
   * - `'whole'`: taken whole in every differential (the chain restore leaves the full's copy out). They do not by
   *   themselves make a run changed: GUESS that an MV's contents follow its base tables in the same database (an MV
   *   over an external catalog would break this).
   */
  readonly materializedViews?: 'refresh-after-restore' | 'whole';
}

/**
 * Compares the database now with its chain's full. Usable against any earlier manifest: `planDifferential(previous,
 * now).unchanged` says whether anything changed since the previous differential.
 */
export function planDifferential(
  full: Manifest,
  now: Manifest,
  options: DifferentialOptions = {},
): DifferentialPlan {
  const fullTables = new Map(full.tables.map((table) => [table.name, table]));
  const fullOthers = new Map(full.others.map((other) => [other.name, other]));
  const mvMode = options.materializedViews ?? 'refresh-after-restore';

  const objects: ObjectPlan[] = [
    ...now.tables.map((table) =>
      planTable(table, fullTables.get(table.name), fullOthers.has(table.name) ? 'other' : 'absent'),
    ),
    ...now.others.map((other) =>
      planOther(other, fullOthers.get(other.name), fullTables.has(other.name), mvMode),
    ),
  ];

  const nowNames = new Set([...now.tables, ...now.others].map((object) => object.name));
  const droppedTables = [...full.tables, ...full.others]
    .map((object) => object.name)
    .filter((name) => !nowNames.has(name))
    .sort();

  const unchanged =
    droppedTables.length === 0 &&
    objects.every(
      (object) =>
        object.change === 'unchanged' || (object.change === 'whole' && object.why === 'materialized-view'),
    );

  const backup: BackupObject[] = [];
  for (const object of objects) {
    if (object.change === 'whole') backup.push({ name: object.name, kind: object.kind, partitions: null });
    else if (object.change === 'partitions' && object.partitions.length > 0)
      backup.push({ name: object.name, kind: 'OLAP', partitions: object.partitions });
  }
  return { unchanged, objects, droppedTables, backup };
}

function livePartitions(table: OlapTableManifest): Partition[] {
  return table.partitions.filter((partition) => !isShadowPartition(partition.name));
}

function planTable(
  now: OlapTableManifest,
  full: OlapTableManifest | undefined,
  elsewhere: 'other' | 'absent',
): ObjectPlan {
  const base = { name: now.name, kind: 'OLAP' } as const;
  // Rule: a table the full lacks is taken whole. RestoreJob.checkAndPrepareMeta creates a table that does not
  // exist with ONLY the snapshot's partitions (`remoteOlapTbl.dropPartitionAndReserveTablet(partName)` for the
  // others; research §2.2 "Other points"), so a partial backup of a new table would restore a partial table.
  if (full === undefined) {
    return { ...base, change: 'whole', why: elsewhere === 'other' ? 'schema-changed' : 'new-table' };
  }
  // Rule: a table whose schema (or partitioning) changed is taken whole, and the chain restore does not restore
  // the full's copy. RestoreJob.checkAndPrepareMeta compares partition type ("Table's partition type is
  // different"), the signature (OlapTable.getSignature; RestoreJob.getSignature on 4.1) and the columns before it
  // restores into an existing table ("Table <t> already exist but with different schema"), research §2.2 step 2.
  if (now.fingerprint !== full.fingerprint || now.partitioning !== full.partitioning) {
    return { ...base, change: 'whole', why: 'schema-changed' };
  }

  const before = new Map(livePartitions(full).map((partition) => [partition.name, partition]));
  const current = livePartitions(now);
  const currentNames = new Set(current.map((partition) => partition.name));
  const changed: Partition[] = [];
  const replaced: string[] = [];
  const added: string[] = [];
  for (const partition of current) {
    const old = before.get(partition.name);
    if (old === undefined) {
      added.push(partition.name);
      changed.push(partition);
    } else if (old.id !== partition.id) {
      replaced.push(partition.name);
      changed.push(partition);
    } else if (old.visibleVersion !== partition.visibleVersion) {
      changed.push(partition);
    }
  }
  const dropped = [...before.keys()].filter((name) => !currentNames.has(name)).sort();
  if (changed.length === 0 && dropped.length === 0) return { ...base, change: 'unchanged' };

  // Rule: a changed partition with more than one physical partition makes the table whole. RestoreJob refuses to
  // overwrite one ("Partition <p> in table <t> is automatic bucket partition, can not be restored"; 3.2/3.3 test
  // `!subPartitions.isEmpty()`, 3.4+ `subPartitions.size() > 1`, research §2.2(a)). GUESS: that a NEW such
  // partition (path (b)) and a full-side partition with several physical partitions fail the same way; taking the
  // table whole avoids depending on either.
  const severalPhysical = (partition: Partition | undefined) => (partition?.physicalPartitions ?? 1) > 1;
  if (
    changed.some((partition) => severalPhysical(partition) || severalPhysical(before.get(partition.name)))
  ) {
    return { ...base, change: 'whole', why: 'automatic-bucketing' };
  }

  if (!isRangePartitioning(now.partitioning)) {
    // Rule: an unpartitioned table that changed is taken whole: its one partition IS the table, so the bytes are
    // the same, and the chain restore then skips the full's copy instead of overwriting it.
    if (now.partitioning === 'UNPARTITIONED' && changed.length > 0) {
      return { ...base, change: 'whole', why: 'not-range-partitioned' };
    }
    // Rule: a list table that gained a partition, or had one replaced, is taken whole. RestoreJob.checkAndPrepareMeta
    // refuses a partition missing from an existing list or unpartitioned table ("No partition exist in single
    // partitioned table <t>", every version incl. 4.1, RestoreJob l.746 on branch-4.1; research §2.2(b)), and list
    // tables skip the values check when overwriting (§2.2(a)), so a replaced partition (possibly new values) must
    // not be restored over the full's one. Versions that merely moved are overwritten in place (path (a)):
    // UNVERIFIED live, read from code (research §2.2(a)); list backup/restore itself needs 3.1.16/3.2.12/3.3.6/3.4.0+.
    if (added.length > 0 || replaced.length > 0) {
      return { ...base, change: 'whole', why: 'not-range-partitioned' };
    }
  }

  return {
    ...base,
    change: 'partitions',
    partitions: changed.map((partition) => partition.name).sort(),
    replacedPartitions: replaced.sort(),
    droppedPartitions: dropped,
  };
}

function planOther(
  now: OtherObjectManifest,
  full: OtherObjectManifest | undefined,
  wasTable: boolean,
  mvMode: 'refresh-after-restore' | 'whole',
): ObjectPlan {
  const base = { name: now.name, kind: now.kind } as const;
  if (full === undefined || full.kind !== now.kind) {
    return { ...base, change: 'whole', why: wasTable || full !== undefined ? 'schema-changed' : 'new-table' };
  }
  if (full.fingerprint !== now.fingerprint) return { ...base, change: 'whole', why: 'definition-changed' };
  if (now.kind === 'MATERIALIZED_VIEW' && mvMode === 'whole') {
    return { ...base, change: 'whole', why: 'materialized-view' };
  }
  return { ...base, change: 'unchanged' };
}
