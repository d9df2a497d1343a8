/**
 * What one database's BACKUP covers on a given StarRocks version: the whole database, or an explicit `ON (…)` list
 * of what the version can back up, and what is left out and why. Pure: the caller lists the tables and sends the
 * statement. The rules come from the capability table (version.ts):
 * - OLAP tables are always backed up;
 * - asynchronous MVs from 3.2 (PR #29164), logical views from 3.4 (PR #52729): before that a whole-database
 *   BACKUP holding one fails (`Table '<t>' is not a OLAP table`), so the database is backed up with `ON (…)`;
 * - external tables never (BackupHandler refuses them; whether 3.4+'s whole-database form skips them is not
 *   confirmed, so from 3.4 the whole-database form is tried first and {@link withRefusal} narrows it when refused);
 * - a table whose type cannot be told (no ENGINE, not a view) is never guessed at: before 3.4 it makes the database a
 *   failure of its own, since an `ON (…)` list would silently leave it out.
 */
import type { TableInfo, TableKind } from './parse-listings.ts';
import type { BackupObjectType, BackupTableRef } from './statements.ts';
import type { StarRocksCapabilities } from './version.ts';

/** The kinds of object a snapshot may hold (recorded in the catalog, so a restore knows). */
export type SnapshotObjectKind = 'TABLE' | 'MATERIALIZED_VIEW' | 'VIEW' | 'FUNCTION';

/** Why an object is not in the backup. */
export type OmitReason =
  | 'external-table'
  | 'view-before-3.4'
  | 'materialized-view-before-3.2'
  | 'list-partitioned'
  | 'refused'
  | 'system';

/** One object left out of a backup. */
export interface OmittedObject {
  readonly name: string;
  readonly kind: TableKind;
  readonly why: OmitReason;
  /** StarRocks' words, when it refused the object itself. */
  readonly detail?: string;
}

/** What one BACKUP of the database covers. */
export interface BackupScope {
  /** The `ON (…)` list; undefined = the whole database. */
  readonly on?: readonly BackupTableRef[];
  /** 3.4+ with an ON list: `ALL FUNCTIONS` keeps the database's UDFs in the snapshot. */
  readonly allFunctions: boolean;
  /** The kinds of object the snapshot holds (functions: those the database has, if any). */
  readonly objects: readonly SnapshotObjectKind[];
  readonly omitted: readonly OmittedObject[];
}

/** Why nothing can be backed up. `failure`: something that holds data is refused; otherwise nothing is wrong. */
export interface NothingToBackUp {
  readonly nothing: true;
  readonly failure: boolean;
  readonly reason: string;
  readonly omitted: readonly OmittedObject[];
}

/** A database the version cannot scope without guessing (an object of unknown type before 3.4). */
export interface UnclassifiableObjects {
  readonly unclassifiable: readonly TableInfo[];
}

const OBJECT_TYPE: Partial<Record<TableKind, BackupObjectType>> = {
  OLAP: 'TABLE',
  MATERIALIZED_VIEW: 'MATERIALIZED_VIEW',
  VIEW: 'VIEW',
};

const KIND_WORDS: Readonly<Record<TableKind, string>> = {
  OLAP: 'table',
  MATERIALIZED_VIEW: 'materialized view',
  VIEW: 'view',
  EXTERNAL: 'external table',
  SYSTEM: 'system table',
  UNKNOWN: 'object of unknown type',
};

const REASON_WORDS: Readonly<Record<OmitReason, string>> = {
  'external-table': 'StarRocks never backs up external tables',
  'view-before-3.4': 'StarRocks backs up views from 3.4',
  'materialized-view-before-3.2': 'StarRocks backs up materialized views from 3.2',
  'list-partitioned': 'this StarRocks patch refuses list-partitioned tables in BACKUP',
  refused: 'StarRocks refused it',
  system: 'system tables are never backed up',
};

/** Why the version leaves a kind out, or undefined when it backs it up. */
function omitReason(capabilities: StarRocksCapabilities, kind: TableKind): OmitReason | undefined {
  switch (kind) {
    case 'OLAP':
      return undefined;
    case 'MATERIALIZED_VIEW':
      return capabilities.backsUpMaterializedViews ? undefined : 'materialized-view-before-3.2';
    case 'VIEW':
      return capabilities.backsUpViews ? undefined : 'view-before-3.4';
    case 'EXTERNAL':
      return 'external-table';
    case 'SYSTEM':
      return 'system';
    case 'UNKNOWN':
      return 'refused';
  }
}

/** `views v1, v2 and external table e` style text for reasons and alerts. */
export function describeOmitted(omitted: readonly OmittedObject[], limit = 10): string {
  const shown = omitted.slice(0, limit).map((object) => {
    const why = object.detail ?? REASON_WORDS[object.why];
    return `${KIND_WORDS[object.kind]} ${object.name} (${why})`;
  });
  const more = omitted.length > limit ? ` and ${omitted.length - limit} more` : '';
  return `${shown.join(', ')}${more}`;
}

/** Whether leaving these out loses data StarRocks holds (a refused table), which deserves an alert. */
export function losesData(omitted: readonly OmittedObject[]): boolean {
  return omitted.some(
    (object) =>
      (object.why === 'list-partitioned' || object.why === 'refused') &&
      (object.kind === 'OLAP' || object.kind === 'MATERIALIZED_VIEW'),
  );
}

/**
 * The scope of the first BACKUP of a database: the whole database when the version backs up everything it holds
 * (and, from 3.4, always: StarRocks itself decides, and {@link withRefusal} narrows a refused attempt), else the
 * `ON (…)` list of what it can back up.
 */
export function planBackupScope(
  capabilities: StarRocksCapabilities,
  tables: readonly TableInfo[],
): BackupScope | NothingToBackUp | UnclassifiableObjects {
  const unknown = tables.filter((table) => table.kind === 'UNKNOWN');
  if (!capabilities.newBackupSyntax && unknown.length > 0) return { unclassifiable: unknown };
  const kept: TableInfo[] = [];
  const omitted: OmittedObject[] = [];
  for (const table of tables) {
    const why = omitReason(capabilities, table.kind);
    if (why === undefined) kept.push(table);
    else omitted.push({ name: table.name, kind: table.kind, why });
  }
  if (capabilities.newBackupSyntax) {
    // The whole-database form first: it also carries the database's UDFs.
    return { allFunctions: false, objects: objectKinds(capabilities, tables, true), omitted: [] };
  }
  return narrowed(capabilities, kept, omitted);
}

/**
 * The scope after StarRocks refused `refused` (a table of the last attempt): an explicit list of what is left,
 * without it (and, when the last attempt was the whole database, without everything the version cannot back up).
 */
export function withRefusal(
  capabilities: StarRocksCapabilities,
  tables: readonly TableInfo[],
  previous: BackupScope,
  refused: readonly OmittedObject[],
): BackupScope | NothingToBackUp {
  const out = new Set(refused.map((object) => object.name));
  const omitted: OmittedObject[] = [...previous.omitted];
  const kept: TableInfo[] = [];
  const candidates =
    previous.on === undefined
      ? tables
      : tables.filter((table) => previous.on?.some((ref) => ref.name === table.name));
  for (const table of candidates) {
    if (out.has(table.name)) continue;
    const why = previous.on === undefined ? omitReason(capabilities, table.kind) : undefined;
    if (why === undefined) kept.push(table);
    else omitted.push({ name: table.name, kind: table.kind, why });
  }
  omitted.push(...refused.filter((object) => !omitted.some((known) => known.name === object.name)));
  return narrowed(capabilities, kept, omitted);
}

function narrowed(
  capabilities: StarRocksCapabilities,
  kept: readonly TableInfo[],
  omitted: readonly OmittedObject[],
): BackupScope | NothingToBackUp {
  if (kept.length === 0) {
    const failure = losesData(omitted);
    const reason =
      omitted.length === 0
        ? 'the database holds nothing to back up'
        : `nothing StarRocks can back up: ${describeOmitted(omitted)}`;
    return { nothing: true, failure, reason, omitted };
  }
  if (omitted.length === 0 && !capabilities.newBackupSyntax) {
    return { allFunctions: false, objects: objectKinds(capabilities, kept, false), omitted: [] };
  }
  const on = kept.map((table) => {
    const type = OBJECT_TYPE[table.kind] ?? 'TABLE';
    return type === 'TABLE' ? { name: table.name } : { name: table.name, type };
  });
  return {
    on,
    allFunctions: capabilities.newBackupSyntax,
    objects: objectKinds(capabilities, kept, capabilities.newBackupSyntax),
    omitted,
  };
}

function objectKinds(
  capabilities: StarRocksCapabilities,
  tables: readonly TableInfo[],
  functions: boolean,
): SnapshotObjectKind[] {
  const kinds = new Set<SnapshotObjectKind>();
  for (const table of tables) {
    if (table.kind === 'OLAP') kinds.add('TABLE');
    if (table.kind === 'MATERIALIZED_VIEW' && capabilities.backsUpMaterializedViews)
      kinds.add('MATERIALIZED_VIEW');
    if (table.kind === 'VIEW' && capabilities.backsUpViews) kinds.add('VIEW');
  }
  if (functions && capabilities.backsUpFunctions) kinds.add('FUNCTION');
  return [...kinds];
}

/** Type guards for the three answers of {@link planBackupScope}. */
export function isNothing(scope: unknown): scope is NothingToBackUp {
  return typeof scope === 'object' && scope !== null && 'nothing' in scope;
}

/** True for a database whose objects could not all be classified. */
export function isUnclassifiable(scope: unknown): scope is UnclassifiableObjects {
  return typeof scope === 'object' && scope !== null && 'unclassifiable' in scope;
}

/**
 * Why `database` has no scope, in the words SubmitBackup's error and `sr-backup plan --resolve` both use. `version`
 * is the FE's version as text (`3.3.9`).
 */
export function noScopeReason(
  database: string,
  version: string,
  scope: NothingToBackUp | UnclassifiableObjects,
): string {
  if (isNothing(scope)) {
    return `database ${database} has nothing StarRocks ${version} can back up: ${describeOmitted(scope.omitted)}`;
  }
  const names = scope.unclassifiable.map(
    (table) => `${table.name} (TABLE_TYPE ${table.tableType ?? 'NULL'}, ENGINE ${table.engine ?? 'NULL'})`,
  );
  return (
    `database ${database} holds objects of a type that cannot be told from information_schema.tables: ` +
    `${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}. StarRocks ` +
    `${version} backs up such a database only with an explicit ON (…) list, which would leave them out without a ` +
    'word, so it is not backed up'
  );
}
