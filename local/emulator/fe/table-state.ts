/**
 * Changes a test makes to the emulated tables, as loads and DDL would make them on a shared-nothing FE, and the
 * read-back of tables and partitions with their contents. Each change replaces the partition (or table) object,
 * so snapshots taken before keep what they recorded. What moves a partition's visible version follows
 * docs/research/differential-backups.md §4.5 (paths under fe/fe-core/src/main/java/com/starrocks/).
 */
import type { ScenarioPartition, ScenarioTable } from '../scenario.ts';
import {
  type CatalogPartition,
  type CatalogTable,
  toCatalogPartition,
  toCatalogTable,
  withPartitions,
} from './catalog.ts';
import type { Frontend } from './frontend.ts';

/** What a load or an INSERT OVERWRITE writes into a partition. */
export interface PartitionWrite {
  readonly rows: number;
  /** Bytes written (default: the partition's, else the table's, average bytes per row times `rows`; else 0). */
  readonly sizeBytes?: number;
}

/** A partition as a test reads it back. */
export interface EmulatorPartition {
  readonly name: string;
  readonly id: number;
  readonly rows: number;
  readonly sizeBytes: number;
  readonly visibleVersion: number;
  /** Epoch ms. */
  readonly visibleVersionTime: number;
  readonly range?: { readonly from: string; readonly to: string };
  readonly values?: readonly string[];
}

/** A table with its partitions as a test reads it back. */
export interface EmulatorTableContents {
  readonly name: string;
  readonly type: string;
  readonly id: number;
  readonly partitioning: string;
  readonly schema: string;
  readonly replicationNum: number;
  readonly rows: number;
  readonly sizeBytes: number;
  readonly partitions: readonly EmulatorPartition[];
}

/** The read-back form of a catalog (or snapshot) table. */
export function describeContents(table: CatalogTable): EmulatorTableContents {
  return {
    name: table.name,
    type: table.type,
    id: table.id,
    partitioning: table.partitioning,
    schema: table.schema,
    replicationNum: table.replicationNum,
    rows: table.rows,
    sizeBytes: table.sizeBytes,
    partitions: table.partitions.map((partition) => ({ ...partition })),
  };
}

function isPartitioned(table: CatalogTable): boolean {
  return table.partitioning !== 'UNPARTITIONED';
}

/** The state operations, bound to a frontend. Every one settles finished restores first. */
export class TableState {
  constructor(private readonly fe: Frontend) {}

  private tablesOf(database: string): readonly CatalogTable[] {
    this.fe.settle();
    const entry = this.fe.catalog.get(database);
    if (!entry) throw new Error(`no database named '${database}'`);
    return entry.tables;
  }

  private table(database: string, name: string): CatalogTable {
    const table = this.tablesOf(database).find((candidate) => candidate.name === name);
    if (!table) throw new Error(`no table named '${name}' in database '${database}'`);
    if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') {
      throw new Error(`table '${database}.${name}' is a ${table.type} and has no partitions`);
    }
    return table;
  }

  private replaceTable(database: string, table: CatalogTable): void {
    const tables = this.tablesOf(database).map((candidate) =>
      candidate.name === table.name ? table : candidate,
    );
    this.fe.catalog.setTables(database, tables);
  }

  private partition(table: CatalogTable, name: string): CatalogPartition {
    const partition = table.partitions.find((candidate) => candidate.name === name);
    if (!partition) throw new Error(`no partition named '${name}' in table '${table.name}'`);
    return partition;
  }

  private bytesFor(
    table: CatalogTable,
    partition: CatalogPartition | undefined,
    write: PartitionWrite,
  ): number {
    if (write.sizeBytes !== undefined) return write.sizeBytes;
    const source = partition !== undefined && partition.rows > 0 ? partition : table;
    return source.rows > 0 ? Math.round((write.rows * source.sizeBytes) / source.rows) : 0;
  }

  /**
   * A committed load of `write.rows` rows into one partition: rows and bytes grow, the visible version goes up by
   * one and its time becomes now (the txn's commit: transaction/OlapTableTxnLogApplier.java). A load of no rows
   * leaves the partition alone: its tablet writers are aborted and it joins no transaction
   * (be/src/runtime/local_tablets_channel.cpp `_commit_tablets`, research §4.5; UNVERIFIED live).
   */
  load(database: string, tableName: string, partitionName: string, write: PartitionWrite): EmulatorPartition {
    const table = this.table(database, tableName);
    const partition = this.partition(table, partitionName);
    if (write.rows === 0) return { ...partition };
    const updated: CatalogPartition = {
      ...partition,
      rows: partition.rows + write.rows,
      sizeBytes: partition.sizeBytes + this.bytesFor(table, partition, write),
      visibleVersion: partition.visibleVersion + 1,
      visibleVersionTime: this.fe.now(),
    };
    this.replaceTable(
      database,
      withPartitions(
        table,
        table.partitions.map((candidate) => (candidate.name === partitionName ? updated : candidate)),
      ),
    );
    return { ...updated };
  }

  /**
   * `ALTER TABLE … ADD PARTITION`: a new partition with a new id, empty at PARTITION_INIT_VERSION 1 unless the
   * description gives rows (then as if loaded once: version 2). Refused for an unpartitioned table.
   */
  addPartition(database: string, tableName: string, partition: ScenarioPartition): EmulatorPartition {
    const table = this.table(database, tableName);
    if (!isPartitioned(table)) throw new Error(`Alter table [${tableName}] failed. Not a partitioned table`);
    if (table.partitions.some((candidate) => candidate.name === partition.name)) {
      throw new Error(`Duplicate partition name ${partition.name}`);
    }
    const added = toCatalogPartition(partition, this.fe.catalog.context);
    this.replaceTable(database, withPartitions(table, [...table.partitions, added]));
    return { ...added };
  }

  /**
   * `ALTER TABLE … DROP PARTITION p [FORCE]` (server/LocalMetastore.dropPartition): only range and list tables
   * can drop partitions, `Alter table [<t>] failed. Not a partitioned table` otherwise.
   */
  dropPartition(database: string, tableName: string, partitionName: string): void {
    const table = this.table(database, tableName);
    if (!isPartitioned(table)) throw new Error(`Alter table [${tableName}] failed. Not a partitioned table`);
    this.partition(table, partitionName);
    this.replaceTable(
      database,
      withPartitions(
        table,
        table.partitions.filter((candidate) => candidate.name !== partitionName),
      ),
    );
  }

  /**
   * TRUNCATE TABLE / PARTITION (`write` absent or no rows) or INSERT OVERWRITE: the partition is replaced by a
   * new one under the same name with a NEW PARTITION_ID, whose version restarts (1 when empty, 2 once the
   * overwrite's rows are loaded) and can so go DOWN (research §4.5). The range or values stay.
   */
  replacePartition(
    database: string,
    tableName: string,
    partitionName: string,
    write: PartitionWrite = { rows: 0 },
  ): EmulatorPartition {
    const table = this.table(database, tableName);
    const old = this.partition(table, partitionName);
    const replaced: CatalogPartition = {
      ...old,
      id: this.fe.catalog.context.nextId(),
      rows: write.rows,
      sizeBytes: write.rows === 0 ? (write.sizeBytes ?? 0) : this.bytesFor(table, old, write),
      visibleVersion: write.rows > 0 ? 2 : 1,
      visibleVersionTime: this.fe.now(),
    };
    this.replaceTable(
      database,
      withPartitions(
        table,
        table.partitions.map((candidate) => (candidate.name === partitionName ? replaced : candidate)),
      ),
    );
    return { ...replaced };
  }

  /**
   * A schema change (ALTER TABLE ADD COLUMN, …): the table's schema text changes, partition versions do not
   * (no updateVisibleVersion in alter/SchemaChangeJobV2 on shared-nothing, research §4.5).
   * @returns the new schema text (default: the old one with `'` appended)
   */
  alterSchema(database: string, tableName: string, schema?: string): string {
    const table = this.table(database, tableName);
    const next = schema ?? `${table.schema}'`;
    if (next === table.schema)
      throw new Error(`table '${database}.${tableName}' already has schema '${next}'`);
    this.replaceTable(database, { ...table, schema: next });
    return next;
  }

  /** CREATE TABLE: a new table (new table and partition ids) from its scenario description. */
  createTable(database: string, table: ScenarioTable): EmulatorTableContents {
    const tables = this.tablesOf(database);
    if (tables.some((candidate) => candidate.name === table.name)) {
      throw new Error(`Table '${table.name}' already exists`);
    }
    const created = toCatalogTable(table, this.fe.catalog.context);
    this.fe.catalog.setTables(database, [...tables, created]);
    return describeContents(created);
  }

  /** DROP TABLE [FORCE]. */
  dropTable(database: string, tableName: string): void {
    const tables = this.tablesOf(database);
    if (!tables.some((candidate) => candidate.name === tableName)) {
      throw new Error(`Unknown table '${tableName}'`);
    }
    this.fe.catalog.setTables(
      database,
      tables.filter((candidate) => candidate.name !== tableName),
    );
  }

  /** The database's tables with their partitions now, or undefined when it does not exist. */
  contents(database: string): EmulatorTableContents[] | undefined {
    this.fe.settle();
    return this.fe.catalog.get(database)?.tables.map(describeContents);
  }
}
