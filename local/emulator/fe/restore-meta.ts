/**
 * What a RESTORE does to the tables of its target database, following StarRocks' backup/RestoreJob.java
 * (checkAndPrepareMeta and the commit, `allTabletCommitted`), as docs/research/differential-backups.md §2.2 reads
 * it on branch-3.0 … 4.0 and branch-4.1 (the logic is the same on all of them). Paths are under
 * fe/fe-core/src/main/java/com/starrocks/.
 *
 * - A table the target lacks is created with exactly the snapshot's partitions (RestoreJob:
 *   `remoteOlapTbl.dropPartitionAndReserveTablet` for partitions not retained; `OlapTable.resetIdsForRestore` gives
 *   it a new table id and new partition ids).
 * - A table the target has: the schema is compared (`OlapTable.getSignature` and the column checks), then per
 *   snapshot partition: a same-named partition is OVERWRITTEN (no flag needed), a missing one is ADDED to a range
 *   table and REFUSED for a list or unpartitioned table; local partitions absent from the snapshot are untouched.
 * - At commit every restored partition takes the snapshot's visible version and the commit time
 *   (`PhysicalPartitionImpl.updateVersionForRestore` → `setVisibleVersion(visibleVersion, System.currentTimeMillis())`,
 *   catalog/PhysicalPartitionImpl.java branch-3.3).
 *
 * Not modelled: table states other than NORMAL, temp partitions, automatic-bucket (multi physical) partitions,
 * materialized views (an existing active MV is skipped from 3.2; the emulator replaces non-OLAP objects whole, as it
 * always did).
 */
import type { CatalogContext, CatalogDatabase, CatalogPartition, CatalogTable } from './catalog.ts';
import { withPartitions } from './catalog.ts';
import type { RestoredTable } from './restore-job.ts';

/** PartitionType as RestoreJob compares it: explicit and automatic list partitioning are both LIST. */
function partitionType(table: CatalogTable): 'RANGE' | 'LIST' | 'UNPARTITIONED' {
  if (table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST') return 'LIST';
  return table.partitioning;
}

function sameRange(a: CatalogPartition, b: CatalogPartition): boolean {
  return a.range?.from === b.range?.from && a.range?.to === b.range?.to;
}

/** `[a.from, a.to)` and `[b.from, b.to)` overlap (bounds compared as text, as the scenario gives them). */
function intersects(
  a: NonNullable<CatalogPartition['range']>,
  b: NonNullable<CatalogPartition['range']>,
): boolean {
  return a.from < b.to && b.from < a.to;
}

function isStored(table: CatalogTable): boolean {
  return table.type === 'OLAP';
}

/**
 * RestoreJob.checkAndPrepareMeta for the tables that already exist in the target: the first refusal's message, or
 * undefined when every table passes. The texts are the source's (research §2.2), `<t>` being the local table.
 */
export function checkAndPrepareMeta(
  database: CatalogDatabase | undefined,
  tables: readonly RestoredTable[],
  replicationNum: number,
): string | undefined {
  for (const { source, target } of tables) {
    const local = database?.tables.find((table) => table.name === target);
    if (!local || !isStored(local) || !isStored(source)) continue;
    // Step 2: getIntersectPartNamesWith requires the same PartitionType. UNVERIFIED: whether the text reaches the
    // Status bare or inside the "different schema" sentence; the emulator sends it bare.
    if (partitionType(local) !== partitionType(source)) return "Table's partition type is different";
    // OlapTable.getSignature hashes the table name first: restoring `t AS t_x` into an existing t_x fails
    // (research §2.2(c), derived from code, UNVERIFIED live).
    if (source.name !== local.name) {
      return `Table ${local.name} already exist but with different schema, errMsg: Table name is inconsistent`;
    }
    // The emulator's schema is one opaque text, so it cannot name the differing part; it answers as for a
    // changed column count (ALTER TABLE ADD COLUMN), whose errMsg is empty (getSignatureSequence reports
    // nothing for it; research §2.2 step 2). UNVERIFIED for index, bucket or key changes, which name a reason.
    if (source.schema !== local.schema) {
      return `Table ${local.name} already exist but with different schema, errMsg: `;
    }
    // Step 3: per partition of the snapshot.
    const rangeTable = partitionType(local) === 'RANGE';
    for (const partition of source.partitions) {
      const existing = local.partitions.find((candidate) => candidate.name === partition.name);
      if (existing) {
        // (a) same name: overwritten, after the range and replication_num checks.
        if (rangeTable && !sameRange(existing, partition)) {
          return `Partition ${partition.name} in table ${local.name} has different range with partition in repository`;
        }
        // genFileMappingWhenBackupReplicasEqual.
        if (local.replicationNum !== replicationNum) {
          return `Partition ${partition.name} in table ${local.name} has different replication num '${local.replicationNum}' with partition in repository, which is ${replicationNum}`;
        }
        continue;
      }
      // (b) missing: added to a range table unless its range meets an existing one; refused otherwise, in
      // every version including 4.1 (RestoreJob l.746 on branch-4.1).
      if (!rangeTable) return `No partition exist in single partitioned table ${local.name}`;
      const range = partition.range;
      if (range && local.partitions.some((other) => other.range && intersects(other.range, range))) {
        return `Partition ${partition.name} in table ${local.name} has conflict range with existing ranges`;
      }
    }
  }
  return undefined;
}

/**
 * The target database's tables once the RESTORE has committed at `committedAt` (checkAndPrepareMeta passed).
 * Overwritten partitions keep their local id and range (the tablets' files are replaced, `overwrite when commit`);
 * added partitions and created tables get new ids (resetPartitionForRestore / resetIdsForRestore).
 */
export function applyRestore(
  current: readonly CatalogTable[],
  tables: readonly RestoredTable[],
  committedAt: number,
  context: CatalogContext,
): CatalogTable[] {
  const result = [...current];
  for (const { source, target } of tables) {
    const restored = (partition: CatalogPartition): CatalogPartition => ({
      ...partition,
      id: context.nextId(),
      visibleVersionTime: committedAt,
    });
    const index = result.findIndex((table) => table.name === target);
    const local = index === -1 ? undefined : result[index];
    if (!local || !isStored(local) || !isStored(source)) {
      const created = withPartitions(
        { ...source, name: target, id: context.nextId() },
        source.partitions.map(restored),
      );
      // Views carry no partitions; keep the snapshot's own (zero) size for them.
      const table =
        isStored(source) || source.type === 'MATERIALIZED_VIEW' ? created : { ...source, name: target };
      if (index === -1) result.push(table);
      else result[index] = table;
      continue;
    }
    const partitions = [...local.partitions];
    for (const partition of source.partitions) {
      const at = partitions.findIndex((candidate) => candidate.name === partition.name);
      if (at === -1) {
        partitions.push(restored(partition));
        continue;
      }
      const existing = partitions[at] as CatalogPartition;
      partitions[at] = {
        ...existing,
        rows: partition.rows,
        sizeBytes: partition.sizeBytes,
        visibleVersion: partition.visibleVersion,
        visibleVersionTime: committedAt,
      };
    }
    result[index] = withPartitions(local, partitions);
  }
  return result;
}
