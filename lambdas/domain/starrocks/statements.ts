/**
 * Builders for every statement the scheduler sends. Each returns `{ kind, sql }`: `kind` names the statement in
 * errors and logs, `sql` is one statement of plain text (no trailing semicolon, never several statements).
 * Names are validated and quoted by identifiers.ts, so a builder throws InvalidIdentifierError before any SQL
 * exists for a name that cannot be valid.
 */
import { MIN_BACKUP_TIMEOUT_SECONDS } from '#domain/config/backup-timeout.ts';
import {
  assertValidIdentifier,
  quoteIdentifier,
  quoteStringLiteral,
  quoteUserIdentity,
} from './identifiers.ts';
import { capabilitiesOf, type StarRocksVersion } from './version.ts';

/** The statements we send, as named in error messages. */
export type StatementKind =
  | 'BACKUP'
  | 'SHOW BACKUP'
  | 'CANCEL BACKUP'
  | 'SHOW SNAPSHOT'
  | 'SHOW DATABASES'
  | 'LIST TABLES'
  | 'USE'
  | 'SHOW DATA'
  | 'SHOW REPOSITORIES'
  | 'CURRENT VERSION'
  | 'RESTORE'
  | 'SHOW RESTORE'
  | 'CANCEL RESTORE'
  | 'DROP SNAPSHOT'
  | 'CREATE DATABASE'
  | 'DROP DATABASE'
  | 'COUNT ROWS'
  | 'SHOW FRONTEND CONFIG'
  | 'SET TIME ZONE'
  | 'SHOW PARTITIONS'
  | 'CLUSTER SNAPSHOTS'
  | 'CLUSTER SNAPSHOT JOBS'
  | 'GRANT'
  | 'SHOW PROC'
  | 'PARTITIONS META'
  | 'DROP PARTITION'
  | 'SHOW CREATE TABLE';

/** One statement ready to send with `query()`. */
export interface Statement {
  readonly kind: StatementKind;
  readonly sql: string;
}

/**
 * What an `ON (...)` entry names. Before 3.4 every entry is a plain name (tables and, from 3.2, MVs); from 3.4 the
 * grammar types each one (`TABLE t`, `MATERIALIZED VIEW m`, `VIEW v`, `ALL FUNCTIONS`; PR #52729, StarRocks.g4).
 */
export type BackupObjectType = 'TABLE' | 'MATERIALIZED_VIEW' | 'VIEW';

/** A table (or MV, or view) to name in `ON (...)`, optionally restricted to some partitions. */
export interface BackupTableRef {
  readonly name: string;
  /** Default `TABLE`. */
  readonly type?: BackupObjectType;
  readonly partitions?: readonly string[];
}

/** BACKUP's `type` property. */
export type BackupType = 'FULL' | 'INCREMENTAL';

/** Everything a BACKUP statement says. */
export interface BackupStatementInput {
  readonly database: string;
  readonly label: string;
  readonly repository: string;
  /** Tables to back up; omitted means the whole database. An empty list is refused (it would back up nothing). */
  readonly tables?: readonly (string | BackupTableRef)[];
  /** 3.4+ with an ON list: add `ALL FUNCTIONS`, so the explicit list still carries the database's UDFs. */
  readonly allFunctions?: boolean;
  /** StarRocks' own timeout in whole seconds (≥ 600); see backupTimeoutPropertySeconds in shared/config. */
  readonly timeoutSeconds: number;
  readonly type?: BackupType;
  /** Chooses the grammar: 3.4+ names the database with `DATABASE db`, older versions with `db.label`. */
  readonly version: Pick<StarRocksVersion, 'major' | 'minor'>;
}

/** StarRocks refuses a smaller BACKUP or RESTORE timeout (`timeout must be at least 10 min`); one rule for both. */
export { MIN_BACKUP_TIMEOUT_SECONDS };

const OBJECT_KEYWORDS: Readonly<Record<BackupObjectType, string>> = {
  TABLE: 'TABLE',
  MATERIALIZED_VIEW: 'MATERIALIZED VIEW',
  VIEW: 'VIEW',
};

function tableClause(table: string | BackupTableRef, typedObjects: boolean): string {
  const ref: BackupTableRef = typeof table === 'string' ? { name: table } : table;
  const type = ref.type ?? 'TABLE';
  if (!typedObjects && type === 'VIEW') {
    throw new RangeError(`StarRocks before 3.4 cannot name view ${JSON.stringify(ref.name)} in ON (...)`);
  }
  if (type !== 'TABLE' && ref.partitions !== undefined) {
    throw new RangeError(`${OBJECT_KEYWORDS[type]} ${JSON.stringify(ref.name)} has no partitions to list`);
  }
  const name = `${typedObjects ? `${OBJECT_KEYWORDS[type]} ` : ''}${quoteIdentifier('table', ref.name)}`;
  if (ref.partitions === undefined) {
    return name;
  }
  if (ref.partitions.length === 0) {
    throw new RangeError(`Table ${JSON.stringify(ref.name)} lists an empty set of partitions`);
  }
  const partitions = ref.partitions.map((partition) => quoteIdentifier('partition', partition)).join(', ');
  return `${name} PARTITION (${partitions})`;
}

/**
 * Checks everything a BACKUP statement says except the version: names (InvalidIdentifierError), the timeout,
 * the type and the table list (RangeError). Lets a caller refuse a request before connecting to learn the version.
 */
export function assertBackupInput(input: Omit<BackupStatementInput, 'version'>): void {
  assertValidIdentifier('database', input.database);
  assertValidIdentifier('label', input.label);
  assertValidIdentifier('repository', input.repository);
  if (!Number.isInteger(input.timeoutSeconds) || input.timeoutSeconds < MIN_BACKUP_TIMEOUT_SECONDS) {
    throw new RangeError(
      `BACKUP timeout must be a whole number of seconds ≥ ${MIN_BACKUP_TIMEOUT_SECONDS}, got ${input.timeoutSeconds}`,
    );
  }
  if (input.type !== undefined && input.type !== 'FULL' && input.type !== 'INCREMENTAL') {
    throw new RangeError(`BACKUP type must be FULL or INCREMENTAL, got ${String(input.type)}`);
  }
  if (input.tables !== undefined) {
    if (input.tables.length === 0) {
      throw new RangeError(
        'BACKUP with an empty table list would back up nothing; omit tables for the whole database',
      );
    }
    // Names and partitions only: whether the version may name a view is the builder's check.
    for (const table of input.tables) {
      tableClause(table, true);
    }
  }
}

/**
 * `BACKUP SNAPSHOT` of a whole database, or of some tables with `ON (...)`.
 *
 * - 3.0–3.3: ``BACKUP SNAPSHOT `db`.`label` TO `repo` [ON (`t` [PARTITION (`p`, ..)], ..)] PROPERTIES (..)``
 * - 3.4+: ``BACKUP DATABASE `db` SNAPSHOT `label` TO `repo` [ON (TABLE `t` [PARTITION (..)], ..)] PROPERTIES (..)``
 *   (the 3.4 grammar's own form; naming the database both ways is rejected, so only `DATABASE` is used).
 */
export function buildBackupStatement(input: BackupStatementInput): Statement {
  const { newBackupSyntax } = capabilitiesOf(input.version);
  assertBackupInput(input);
  const database = quoteIdentifier('database', input.database);
  const label = quoteIdentifier('label', input.label);
  const repository = quoteIdentifier('repository', input.repository);

  const target = newBackupSyntax
    ? `BACKUP DATABASE ${database} SNAPSHOT ${label} TO ${repository}`
    : `BACKUP SNAPSHOT ${database}.${label} TO ${repository}`;

  let on = '';
  if (input.tables !== undefined) {
    const objects = input.tables.map((table) => tableClause(table, newBackupSyntax));
    if (newBackupSyntax && input.allFunctions === true) objects.push('ALL FUNCTIONS');
    on = ` ON (${objects.join(', ')})`;
  }

  const properties = [
    ...(input.type === undefined ? [] : [`"type" = "${input.type}"`]),
    `"timeout" = "${input.timeoutSeconds}"`,
  ];
  return { kind: 'BACKUP', sql: `${target}${on} PROPERTIES (${properties.join(', ')})` };
}

/** ``SHOW BACKUP FROM `db` ``: the database's latest backup job (at most one row). */
export function buildShowBackupStatement(database: string): Statement {
  return { kind: 'SHOW BACKUP', sql: `SHOW BACKUP FROM ${quoteIdentifier('database', database)}` };
}

/** ``CANCEL BACKUP FROM `db` ``. */
export function buildCancelBackupStatement(database: string): Statement {
  return { kind: 'CANCEL BACKUP', sql: `CANCEL BACKUP FROM ${quoteIdentifier('database', database)}` };
}

/** ``SHOW SNAPSHOT ON `repo` WHERE SNAPSHOT = 'label'``: columns Snapshot, Timestamp, Status. */
export function buildShowSnapshotStatement(repository: string, label: string): Statement {
  return {
    kind: 'SHOW SNAPSHOT',
    sql: `SHOW SNAPSHOT ON ${quoteIdentifier('repository', repository)} WHERE SNAPSHOT = ${labelLiteral(label)}`,
  };
}

/**
 * ``SHOW SNAPSHOT ON `repo` WHERE SNAPSHOT = 'label' AND TIMESTAMP = 'ts'``: the detail form, with the
 * Database and Details columns.
 */
export function buildShowSnapshotDetailStatement(
  repository: string,
  label: string,
  timestamp: string,
): Statement {
  if (timestamp.length === 0) {
    throw new RangeError('SHOW SNAPSHOT detail needs a snapshot timestamp');
  }
  return {
    kind: 'SHOW SNAPSHOT',
    sql:
      `SHOW SNAPSHOT ON ${quoteIdentifier('repository', repository)} ` +
      `WHERE SNAPSHOT = ${labelLiteral(label)} AND TIMESTAMP = ${quoteStringLiteral(timestamp)}`,
  };
}

function labelLiteral(label: string): string {
  return quoteStringLiteral(assertValidIdentifier('label', label));
}

/** ``SHOW SNAPSHOT ON `repo` ``: every snapshot of the repository (what an operator reads, never the workflow). */
export function buildShowSnapshotsStatement(repository: string): Statement {
  return { kind: 'SHOW SNAPSHOT', sql: `SHOW SNAPSHOT ON ${quoteIdentifier('repository', repository)}` };
}

/** `SHOW DATABASES`. */
export function buildShowDatabasesStatement(): Statement {
  return { kind: 'SHOW DATABASES', sql: 'SHOW DATABASES' };
}

/**
 * The database's tables with their type and engine, from information_schema.tables (catalog/system/information/TablesSystemTable.java; SHOW FULL TABLES
 * cannot tell OLAP from external tables). Aliases fix the column labels, whose case StarRocks does not promise.
 */
export function buildListTablesStatement(database: string): Statement {
  const schema = quoteStringLiteral(assertValidIdentifier('database', database));
  return {
    kind: 'LIST TABLES',
    sql:
      'SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type, ENGINE AS engine ' +
      `FROM information_schema.tables WHERE TABLE_SCHEMA = ${schema}`,
  };
}

/** ``USE `db` ``: SHOW DATA reports on the current database. */
export function buildUseDatabaseStatement(database: string): Statement {
  return { kind: 'USE', sql: `USE ${quoteIdentifier('database', database)}` };
}

/** `SHOW DATA`: sizes of the current database's tables (send {@link buildUseDatabaseStatement} first). */
export function buildShowDataStatement(): Statement {
  return { kind: 'SHOW DATA', sql: 'SHOW DATA' };
}

/** `SHOW REPOSITORIES`. */
export function buildShowRepositoriesStatement(): Statement {
  return { kind: 'SHOW REPOSITORIES', sql: 'SHOW REPOSITORIES' };
}

/** `SELECT current_version()`: `<version> <commit>`, never `version()` (the MySQL-compatibility version). */
export function buildCurrentVersionStatement(): Statement {
  return { kind: 'CURRENT VERSION', sql: 'SELECT current_version()' };
}

/** A table to restore: optionally only some partitions, optionally under another name (`AS alias`). */
export interface RestoreTableRef {
  readonly name: string;
  readonly partitions?: readonly string[];
  /** The name the table gets in the target database. */
  readonly alias?: string;
}

/** Everything a RESTORE statement says. */
export interface RestoreStatementInput {
  /** The database the snapshot was taken of. */
  readonly database: string;
  readonly label: string;
  readonly repository: string;
  /** SHOW SNAPSHOT's Timestamp, verbatim (`yyyy-MM-dd-HH-mm-ss-SSS`; older FEs wrote seconds only). */
  readonly snapshotTimestamp: string;
  /**
   * Restore into this database instead of `database` (a drill's scratch database). Up to 3.3 the target must exist
   * (UNVERIFIED; create it first); from 3.4 StarRocks creates it.
   */
  readonly asDatabase?: string;
  /** Only these tables; omitted means every table of the snapshot. An empty list is refused. */
  readonly tables?: readonly (string | RestoreTableRef)[];
  /** StarRocks' own timeout in whole seconds (≥ 600). */
  readonly timeoutSeconds: number;
  /** Replicas of the restored tables (StarRocks' default: 3 shared-nothing, 1 shared-data). */
  readonly replicationNum?: number;
  /** Chooses the grammar: 3.4+ names the databases with `DATABASE src [AS dst]`, older versions with `dst.label`. */
  readonly version: Pick<StarRocksVersion, 'major' | 'minor'>;
}

/** A SHOW SNAPSHOT timestamp: `2026-11-24-18-00-04-143`, or seconds only as older FEs wrote it. */
const SNAPSHOT_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}(?:-\d{3})?$/;

function restoreTableClause(table: string | RestoreTableRef, typedObjects: boolean): string {
  const ref: RestoreTableRef = typeof table === 'string' ? { name: table } : table;
  const base = tableClause(
    ref.partitions === undefined ? { name: ref.name } : { name: ref.name, partitions: ref.partitions },
    typedObjects,
  );
  return ref.alias === undefined ? base : `${base} AS ${quoteIdentifier('table', ref.alias)}`;
}

/**
 * Checks everything a RESTORE statement says except the version: names (InvalidIdentifierError), the timestamp,
 * the timeout, the replica count and the table list (RangeError). Lets a caller refuse before connecting.
 */
export function assertRestoreInput(input: Omit<RestoreStatementInput, 'version'>): void {
  assertValidIdentifier('database', input.database);
  assertValidIdentifier('label', input.label);
  assertValidIdentifier('repository', input.repository);
  if (input.asDatabase !== undefined) assertValidIdentifier('database', input.asDatabase);
  if (!SNAPSHOT_TIMESTAMP_PATTERN.test(input.snapshotTimestamp)) {
    throw new RangeError(
      `RESTORE needs the snapshot timestamp SHOW SNAPSHOT reports (yyyy-MM-dd-HH-mm-ss-SSS), got ${JSON.stringify(input.snapshotTimestamp)}`,
    );
  }
  if (!Number.isInteger(input.timeoutSeconds) || input.timeoutSeconds < MIN_BACKUP_TIMEOUT_SECONDS) {
    throw new RangeError(
      `RESTORE timeout must be a whole number of seconds ≥ ${MIN_BACKUP_TIMEOUT_SECONDS}, got ${input.timeoutSeconds}`,
    );
  }
  if (
    input.replicationNum !== undefined &&
    (!Number.isInteger(input.replicationNum) || input.replicationNum < 1 || input.replicationNum > 32_767)
  ) {
    throw new RangeError(`RESTORE replicationNum must be a whole number from 1, got ${input.replicationNum}`);
  }
  if (input.tables !== undefined) {
    if (input.tables.length === 0) {
      throw new RangeError(
        'RESTORE with an empty table list would restore nothing; omit tables for all of them',
      );
    }
    for (const table of input.tables) restoreTableClause(table, false);
  }
}

/**
 * `RESTORE SNAPSHOT` of a whole snapshot, or of some tables with `ON (...)`, into `asDatabase ?? database`.
 *
 * - 3.0–3.3: ``RESTORE SNAPSHOT `target`.`label` FROM `repo` [ON (`t` [PARTITION (..)] [AS `alias`], ..)] PROPERTIES (..)``
 * - 3.4+: ``RESTORE SNAPSHOT `label` FROM `repo` DATABASE `source` [AS `target`] [ON (TABLE `t` .., ..)] PROPERTIES (..)``
 *
 * Properties: `backup_timestamp` (the snapshot's Timestamp, as a quoted literal), `timeout`, `replication_num`.
 */
export function buildRestoreStatement(input: RestoreStatementInput): Statement {
  const { newBackupSyntax } = capabilitiesOf(input.version);
  assertRestoreInput(input);
  const label = quoteIdentifier('label', input.label);
  const repository = quoteIdentifier('repository', input.repository);
  const source = quoteIdentifier('database', input.database);
  const target = input.asDatabase === undefined ? undefined : quoteIdentifier('database', input.asDatabase);

  const head = newBackupSyntax
    ? `RESTORE SNAPSHOT ${label} FROM ${repository} DATABASE ${source}${target === undefined ? '' : ` AS ${target}`}`
    : `RESTORE SNAPSHOT ${target ?? source}.${label} FROM ${repository}`;
  const on =
    input.tables === undefined
      ? ''
      : ` ON (${input.tables.map((table) => restoreTableClause(table, newBackupSyntax)).join(', ')})`;
  const properties = [
    `"backup_timestamp" = ${quoteStringLiteral(input.snapshotTimestamp)}`,
    `"timeout" = "${input.timeoutSeconds}"`,
    ...(input.replicationNum === undefined ? [] : [`"replication_num" = "${input.replicationNum}"`]),
  ];
  return { kind: 'RESTORE', sql: `${head}${on} PROPERTIES (${properties.join(', ')})` };
}

/** ``SHOW RESTORE FROM `db` ``: the database's latest restore job (at most one row). */
export function buildShowRestoreStatement(database: string): Statement {
  return { kind: 'SHOW RESTORE', sql: `SHOW RESTORE FROM ${quoteIdentifier('database', database)}` };
}

/** ``CANCEL RESTORE FROM `db` ``. */
export function buildCancelRestoreStatement(database: string): Statement {
  return { kind: 'CANCEL RESTORE', sql: `CANCEL RESTORE FROM ${quoteIdentifier('database', database)}` };
}

/** ``DROP SNAPSHOT `label` ON `repo` [FORCE]`` (StarRocks 4.2+; check the version first). */
export function buildDropSnapshotStatement(
  repository: string,
  label: string,
  options: { readonly force?: boolean } = {},
): Statement {
  const sql =
    `DROP SNAPSHOT ${quoteIdentifier('label', label)} ON ${quoteIdentifier('repository', repository)}` +
    (options.force === true ? ' FORCE' : '');
  return { kind: 'DROP SNAPSHOT', sql };
}

/** ``CREATE DATABASE [IF NOT EXISTS] `db` ``. */
export function buildCreateDatabaseStatement(
  database: string,
  options: { readonly ifNotExists?: boolean } = {},
): Statement {
  const ifNotExists = options.ifNotExists === true ? 'IF NOT EXISTS ' : '';
  return {
    kind: 'CREATE DATABASE',
    sql: `CREATE DATABASE ${ifNotExists}${quoteIdentifier('database', database)}`,
  };
}

/**
 * ``DROP DATABASE IF EXISTS `db` [FORCE]``: always IF EXISTS, so dropping what is already gone succeeds.
 * FORCE skips the recycle bin.
 */
export function buildDropDatabaseStatement(
  database: string,
  options: { readonly force?: boolean } = {},
): Statement {
  const sql = `DROP DATABASE IF EXISTS ${quoteIdentifier('database', database)}${options.force === true ? ' FORCE' : ''}`;
  return { kind: 'DROP DATABASE', sql };
}

/** ``SELECT COUNT(*) AS row_count FROM `db`.`tbl` ``. */
export function buildCountRowsStatement(database: string, table: string): Statement {
  return {
    kind: 'COUNT ROWS',
    sql: `SELECT COUNT(*) AS row_count FROM ${quoteIdentifier('database', database)}.${quoteIdentifier('table', table)}`,
  };
}

/**
 * The session time zone every connection pins first: SHOW BACKUP, SHOW RESTORE and SHOW REPOSITORIES print their
 * times in the session's `time_zone` (common/util/TimeUtils.longToTimeString), which otherwise follows the FE's
 * global default. An offset is what TimeUtils.checkTimeZoneValidAndStandardize accepts on every version.
 */
export const SESSION_TIME_ZONE = '+00:00';

/** ``SET time_zone = '+00:00'``: job times in UTC from here on (SHOW SNAPSHOT's Timestamp is unaffected). */
export function buildSetTimeZoneStatement(): Statement {
  return { kind: 'SET TIME ZONE', sql: `SET time_zone = ${quoteStringLiteral(SESSION_TIME_ZONE)}` };
}

/**
 * ``SHOW PARTITIONS FROM `db`.`tbl` ``: its eighth column is titled `List` for a list-partitioned table and `Range`
 * otherwise (common/proc/PartitionsProcDir.createTitleNames). Needs SELECT on the table (StarRocks' docs).
 */
export function buildShowPartitionsStatement(database: string, table: string): Statement {
  return {
    kind: 'SHOW PARTITIONS',
    sql: `SHOW PARTITIONS FROM ${quoteIdentifier('database', database)}.${quoteIdentifier('table', table)}`,
  };
}

/** `information_schema.cluster_snapshots` (shared-data, 3.4.2+): the kept automated snapshot. */
export function buildClusterSnapshotsStatement(): Statement {
  return { kind: 'CLUSTER SNAPSHOTS', sql: 'SELECT * FROM information_schema.cluster_snapshots' };
}

/** `information_schema.cluster_snapshot_jobs` (shared-data, 3.4.2+): the recent snapshot jobs. */
export function buildClusterSnapshotJobsStatement(): Statement {
  return { kind: 'CLUSTER SNAPSHOT JOBS', sql: 'SELECT * FROM information_schema.cluster_snapshot_jobs' };
}

/**
 * `ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'`: columns Key, AliasNames, Value, Type, IsMutable, Comment; Value
 * is `shared_nothing` or `shared_data` (server/RunMode.java). Needs the OPERATE privilege.
 */
export function buildRunModeStatement(): Statement {
  return { kind: 'SHOW FRONTEND CONFIG', sql: "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'" };
}

/**
 * ``GRANT REPOSITORY ON SYSTEM TO USER 'user'@'%'``: what BACKUP, RESTORE and SHOW SNAPSHOT need (3.0+). Only
 * written into hints for a person to run: the scheduler never grants anything itself.
 */
export function buildGrantRepositoryStatement(user: string): Statement {
  return { kind: 'GRANT', sql: `GRANT REPOSITORY ON SYSTEM TO USER ${quoteUserIdentity(user)}` };
}

/**
 * ``GRANT EXPORT ON ALL TABLES IN DATABASE `db` TO USER 'user'@'%'``: what BACKUP needs on the tables (3.0+).
 * Only written into hints, as {@link buildGrantRepositoryStatement}.
 */
export function buildGrantExportStatement(database: string, user: string): Statement {
  return {
    kind: 'GRANT',
    sql: `GRANT EXPORT ON ALL TABLES IN DATABASE ${quoteIdentifier('database', database)} TO USER ${quoteUserIdentity(user)}`,
  };
}

/** ``SHOW PROC '/path'``: the FE's internal state, e.g. `/statistic` for unhealthy tablets. Needs OPERATE. */
export function buildShowProcStatement(path: string): Statement {
  if (!path.startsWith('/'))
    throw new RangeError(`SHOW PROC needs an absolute path, got ${JSON.stringify(path)}`);
  return { kind: 'SHOW PROC', sql: `SHOW PROC ${quoteStringLiteral(path)}` };
}

/**
 * The columns of information_schema.partitions_meta the partition manifest reads, by name (the table's column
 * order changes between versions: docs/research/differential-backups.md §4.2). All exist from 3.1.9 / 3.2.4 / 3.3.0.
 */
export const PARTITIONS_META_COLUMNS = [
  'TABLE_NAME',
  'PARTITION_NAME',
  'PARTITION_ID',
  'VISIBLE_VERSION',
  'VISIBLE_VERSION_TIME',
  'PARTITION_KEY',
  'PARTITION_VALUE',
  'DISTRIBUTION_KEY',
  'IS_TEMP',
] as const;

/**
 * ``SELECT TABLE_NAME, PARTITION_NAME, … FROM information_schema.partitions_meta WHERE DB_NAME = 'db'``: every
 * partition (one row per physical partition from 3.2, temp and `$` shadow partitions included) of the database's
 * native tables and MVs the user has any privilege on (research §4.3, §4.4). VISIBLE_VERSION_TIME is in the session
 * zone (pinned to UTC, {@link SESSION_TIME_ZONE}). The database is validated as a name, then sent as a string literal.
 */
export function buildPartitionsMetaStatement(database: string): Statement {
  assertValidIdentifier('database', database);
  return {
    kind: 'PARTITIONS META',
    sql:
      `SELECT ${PARTITIONS_META_COLUMNS.join(', ')} FROM information_schema.partitions_meta ` +
      `WHERE DB_NAME = ${quoteStringLiteral(database)}`,
  };
}

/**
 * ``ALTER TABLE `db`.`tbl` DROP PARTITION [IF EXISTS] `p` [FORCE]``: the grammar of every supported version
 * (StarRocks.g4 `dropPartitionClause`; 3.4+ also has DROP PARTITIONS, not used). A chain restore's drop step
 * (lambdas/domain/differential/restore-steps.ts) sends it with FORCE: without it a partition with COMMITTED
 * transactions is refused and a dropped one waits in the recycle bin for `catalog_trash_expire_second`
 * (server/LocalMetastore.dropPartition, catalog/CatalogRecycleBin.java; research §8). Only range and list tables
 * have partitions to drop (`Alter table [<t>] failed. Not a partitioned table`). Needs ALTER on the table.
 */
export function buildDropPartitionStatement(
  database: string,
  table: string,
  partition: string,
  options: { readonly force?: boolean; readonly ifExists?: boolean } = {},
): Statement {
  const target = `${quoteIdentifier('database', database)}.${quoteIdentifier('table', table)}`;
  const ifExists = options.ifExists === true ? 'IF EXISTS ' : '';
  const force = options.force === true ? ' FORCE' : '';
  return {
    kind: 'DROP PARTITION',
    sql: `ALTER TABLE ${target} DROP PARTITION ${ifExists}${quoteIdentifier('partition', partition)}${force}`,
  };
}

/**
 * ``SHOW CREATE TABLE `db`.`tbl` ``: columns `Table` and `Create Table` (sql/ast/ShowCreateTableStmt.java); the
 * text is the table's DDL, read for the differential manifest's fingerprint (parse-partitions.ts
 * createTableFingerprintText).
 */
export function buildShowCreateTableStatement(database: string, table: string): Statement {
  return {
    kind: 'SHOW CREATE TABLE',
    sql: `SHOW CREATE TABLE ${quoteIdentifier('database', database)}.${quoteIdentifier('table', table)}`,
  };
}
