import { hasPartitionsMeta, type VersionProfile } from '../profiles.ts';
import type {
  Partitioning,
  ScenarioDatabase,
  ScenarioPartition,
  ScenarioTable,
  TableType,
} from '../scenario.ts';
import { isValidDatabaseName } from './names.ts';

/**
 * A partition as the FE holds it (catalog/Partition with its one PhysicalPartition): immutable, replaced by a new
 * object on every change, so a snapshot that keeps the object keeps the partition as it was at backup time.
 */
export interface CatalogPartition {
  readonly name: string;
  /** PARTITION_ID (the physical partition's id); a TRUNCATE or INSERT OVERWRITE gives a new one. */
  readonly id: number;
  readonly rows: number;
  /** One replica's bytes: SHOW PARTITIONS' DataSize and what a BACKUP of the partition uploads. */
  readonly sizeBytes: number;
  readonly visibleVersion: number;
  /** VisibleVersionTime, epoch ms. */
  readonly visibleVersionTime: number;
  /** RANGE tables: `[from, to)`. */
  readonly range?: { readonly from: string; readonly to: string };
  /** LIST tables: the values. */
  readonly values?: readonly string[];
}

/** A table as the FE's catalog holds it. `SYSTEM_VIEW` is a schema table of information_schema / sys. */
export interface CatalogTable {
  /** The table id (a DROP and CREATE, or a RESTORE creating it, gives a new one). */
  readonly id: number;
  readonly name: string;
  readonly type: TableType | 'SYSTEM_VIEW';
  /** The sum of the partitions' bytes (the scenario's `sizeBytes` for a table declared without partitions). */
  readonly sizeBytes: number;
  /** The sum of the partitions' rows. */
  readonly rows: number;
  readonly replicaCount: number;
  readonly partitioning: Partitioning;
  /** Opaque schema text (scenario `schema`): what RestoreJob's signature and column checks compare. */
  readonly schema: string;
  readonly replicationNum: number;
  /** Views, external and schema tables have none. */
  readonly partitions: readonly CatalogPartition[];
}

/** Where ids and the clock come from when the catalog makes tables and partitions. */
export interface CatalogContext {
  /** The FE's next id (tables and partitions share StarRocks' one id generator). */
  nextId(): number;
  now(): number;
}

/** The table with these partitions, its rows and bytes recomputed as their sums. */
export function withPartitions(table: CatalogTable, partitions: readonly CatalogPartition[]): CatalogTable {
  return {
    ...table,
    partitions,
    rows: partitions.reduce((sum, partition) => sum + partition.rows, 0),
    sizeBytes: partitions.reduce((sum, partition) => sum + partition.sizeBytes, 0),
  };
}

/** A new partition from its scenario description (a new id). */
export function toCatalogPartition(partition: ScenarioPartition, context: CatalogContext): CatalogPartition {
  const rows = partition.rows ?? 0;
  return {
    name: partition.name,
    id: context.nextId(),
    rows,
    sizeBytes: partition.sizeBytes ?? 0,
    // catalog/Partition.PARTITION_INIT_VERSION = 1; each committed load adds one.
    visibleVersion: partition.visibleVersion ?? (rows > 0 ? 2 : 1),
    visibleVersionTime:
      partition.visibleVersionTime === undefined ? context.now() : Date.parse(partition.visibleVersionTime),
    ...(partition.range === undefined ? {} : { range: partition.range }),
    ...(partition.values === undefined ? {} : { values: partition.values }),
  };
}

/** A database with its FE id. */
export interface CatalogDatabase {
  readonly id: number;
  readonly name: string;
  readonly system: boolean;
  /** A name today's FeNameFormat refuses (scenario `legacyName`): every statement naming it fails the analyzer. */
  readonly legacyName: boolean;
  readonly tables: readonly CatalogTable[];
  /** Per-database BACKUP behaviour from the scenario. */
  readonly backup: ScenarioDatabase['backup'];
  /** Per-database RESTORE behaviour (for restores into this database). */
  readonly restore: ScenarioDatabase['restore'];
}

/**
 * A scenario table as the catalog holds it (views and external tables store nothing), with new ids. A table
 * declared without partitions gets one partition named after it (an unpartitioned table's only partition is
 * named after the table in StarRocks too) holding its rows and bytes at visible version 2.
 */
export function toCatalogTable(table: ScenarioTable, context: CatalogContext): CatalogTable {
  const stores = table.type !== 'VIEW' && table.type !== 'EXTERNAL';
  const base: CatalogTable = {
    id: context.nextId(),
    name: table.name,
    type: table.type ?? 'OLAP',
    sizeBytes: stores ? (table.sizeBytes ?? 0) : 0,
    rows: table.rows ?? 0,
    replicaCount: stores ? (table.replicaCount ?? 3) : 0,
    partitioning: table.partitioning ?? 'UNPARTITIONED',
    schema: table.schema ?? 'v1',
    replicationNum: table.replicationNum ?? 3,
    partitions: [],
  };
  if (!stores) return base;
  if (table.partitions !== undefined) {
    return withPartitions(
      base,
      table.partitions.map((partition) => toCatalogPartition(partition, context)),
    );
  }
  return {
    ...base,
    partitions: [
      {
        name: table.name,
        id: context.nextId(),
        rows: base.rows,
        sizeBytes: base.sizeBytes,
        visibleVersion: 2,
        visibleVersionTime: context.now(),
      },
    ],
  };
}

const schemaTable = (name: string, context: CatalogContext): CatalogTable => ({
  ...toCatalogTable({ name, type: 'VIEW' }, context),
  type: 'SYSTEM_VIEW',
});
const statisticsTable = (name: string, context: CatalogContext): CatalogTable =>
  toCatalogTable({ name }, context);

/** information_schema tables the emulator lists (a subset; all are schema tables). */
const INFORMATION_SCHEMA_TABLES = ['columns', 'schemata', 'tables', 'tables_config', 'views'];
/** sys views (3.1+); UNVERIFIED beyond being non-OLAP. */
const SYS_TABLES = ['grants_to_roles', 'grants_to_users', 'object_dependencies', 'role_edges'];
/** `_statistics_` is an auto-created OLAP database. */
const STATISTICS_TABLES = [
  'column_statistics',
  'external_column_statistics',
  'histogram_statistics',
  'table_statistic_v1',
];

/** The FE's databases: the system ones of the profile plus the scenario's. */
export class Catalog {
  private readonly databases = new Map<string, CatalogDatabase>();
  private nextDatabaseId = 10_001;
  private nextObjectId = 20_001;
  /** Ids and time for new tables and partitions. */
  readonly context: CatalogContext;

  constructor(profile: VersionProfile, scenarioDatabases: readonly ScenarioDatabase[], now: () => number) {
    this.context = { nextId: () => this.nextObjectId++, now };
    const schema = (name: string) => schemaTable(name, this.context);
    this.addSystem(
      'information_schema',
      [...INFORMATION_SCHEMA_TABLES, ...(hasPartitionsMeta(profile) ? ['partitions_meta'] : [])]
        .sort()
        .map(schema),
    );
    if (profile.hasSysDatabase) this.addSystem('sys', SYS_TABLES.map(schema));
    this.addSystem(
      '_statistics_',
      STATISTICS_TABLES.map((name) => statisticsTable(name, this.context)),
    );
    for (const database of scenarioDatabases) this.add(database);
  }

  private addSystem(name: string, tables: CatalogTable[]): void {
    this.databases.set(name, {
      id: this.nextDatabaseId++,
      name,
      system: true,
      legacyName: false,
      tables,
      backup: undefined,
      restore: undefined,
    });
  }

  /**
   * Adds (or replaces) a database from a scenario description.
   * @throws Error when the name breaks FeNameFormat's database rule (CREATE DATABASE would have refused it) and
   * the database is not marked as a legacy name
   */
  add(database: ScenarioDatabase): CatalogDatabase {
    if (database.legacyName !== true && !isValidDatabaseName(database.name)) {
      throw new Error(`database name '${database.name}' breaks FeNameFormat's rule`);
    }
    const existing = this.databases.get(database.name);
    const entry: CatalogDatabase = {
      id: existing?.id ?? this.nextDatabaseId++,
      name: database.name,
      system: false,
      legacyName: database.legacyName === true,
      tables: database.tables.map((table) => toCatalogTable(table, this.context)),
      backup: database.backup,
      restore: database.restore,
    };
    this.databases.set(database.name, entry);
    return entry;
  }

  /** CREATE DATABASE: a new, empty database (the caller checked the name and that it is free). */
  create(name: string): CatalogDatabase {
    return this.add({ name, tables: [] });
  }

  /** DROP DATABASE. */
  drop(name: string): void {
    this.databases.delete(name);
  }

  /** Replaces a database's tables (a state change made by a test, a DDL, or a finished RESTORE). */
  setTables(name: string, tables: readonly CatalogTable[]): void {
    const database = this.databases.get(name);
    if (database) this.databases.set(name, { ...database, tables });
  }

  /** Looks a database up; `information_schema` matches in any letter case, as in StarRocks. */
  get(name: string): CatalogDatabase | undefined {
    if (name.toLowerCase() === 'information_schema') return this.databases.get('information_schema');
    return this.databases.get(name);
  }

  /** Every database, in creation (id) order. */
  all(): CatalogDatabase[] {
    return [...this.databases.values()].sort((a, b) => a.id - b.id);
  }
}

/** What `SHOW FULL TABLES` shows in Table_type: views and MVs are VIEW, OLAP and external tables BASE TABLE. */
export function showTablesType(table: CatalogTable): string {
  if (table.type === 'SYSTEM_VIEW') return 'SYSTEM VIEW';
  return table.type === 'VIEW' || table.type === 'MATERIALIZED_VIEW' ? 'VIEW' : 'BASE TABLE';
}

/** ENGINE in information_schema.tables: OLAP (and MVs, UNVERIFIED) `StarRocks`, views empty. */
export function engineOf(table: CatalogTable): string {
  switch (table.type) {
    case 'OLAP':
    case 'MATERIALIZED_VIEW':
      return 'StarRocks';
    case 'EXTERNAL':
      return 'MySQL'; // UNVERIFIED: depends on the external table's kind.
    default:
      return '';
  }
}
