import type { VersionProfile } from '../profiles.ts';
import type { Partitioning, ScenarioDatabase, ScenarioTable, TableType } from '../scenario.ts';
import { isValidDatabaseName } from './names.ts';

/** A table as the FE's catalog holds it. `SYSTEM_VIEW` is a schema table of information_schema / sys. */
export interface CatalogTable {
  readonly name: string;
  readonly type: TableType | 'SYSTEM_VIEW';
  readonly sizeBytes: number;
  readonly rows: number;
  readonly replicaCount: number;
  readonly partitioning: Partitioning;
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

/** A scenario table as the catalog holds it (views and external tables store nothing). */
export function toCatalogTable(table: ScenarioTable): CatalogTable {
  const stores = table.type !== 'VIEW' && table.type !== 'EXTERNAL';
  return {
    name: table.name,
    type: table.type ?? 'OLAP',
    sizeBytes: stores ? (table.sizeBytes ?? 0) : 0,
    rows: table.rows ?? 0,
    replicaCount: stores ? (table.replicaCount ?? 3) : 0,
    partitioning: table.partitioning ?? 'UNPARTITIONED',
  };
}

const schemaTable = (name: string): CatalogTable => ({
  name,
  type: 'SYSTEM_VIEW',
  sizeBytes: 0,
  rows: 0,
  replicaCount: 0,
  partitioning: 'UNPARTITIONED',
});
const statisticsTable = (name: string): CatalogTable => ({
  name,
  type: 'OLAP',
  sizeBytes: 0,
  rows: 0,
  replicaCount: 3,
  partitioning: 'UNPARTITIONED',
});

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

  constructor(profile: VersionProfile, scenarioDatabases: readonly ScenarioDatabase[]) {
    this.addSystem('information_schema', INFORMATION_SCHEMA_TABLES.map(schemaTable));
    if (profile.hasSysDatabase) this.addSystem('sys', SYS_TABLES.map(schemaTable));
    this.addSystem('_statistics_', STATISTICS_TABLES.map(statisticsTable));
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
      tables: database.tables.map(toCatalogTable),
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

  /** Puts tables into a database, replacing tables of the same name (a RESTORE taking effect). */
  putTables(name: string, tables: readonly CatalogTable[]): void {
    const database = this.databases.get(name);
    if (!database) return;
    const replaced = new Set(tables.map((table) => table.name));
    this.databases.set(name, {
      ...database,
      tables: [...database.tables.filter((table) => !replaced.has(table.name)), ...tables],
    });
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
