/**
 * Builders for every statement the scheduler sends. Each returns `{ kind, sql }`: `kind` names the statement in
 * errors and logs, `sql` is one statement of plain text (no trailing semicolon, never several statements).
 * Names are validated and quoted by identifiers.ts, so a builder throws InvalidIdentifierError before any SQL
 * exists for a name that cannot be valid.
 */
import { assertValidIdentifier, quoteIdentifier, quoteStringLiteral } from './identifiers.ts';
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
  | 'CURRENT VERSION';

/** One statement ready to send with `query()`. */
export interface Statement {
  readonly kind: StatementKind;
  readonly sql: string;
}

/** A table to name in `ON (...)`, optionally restricted to some partitions. */
export interface BackupTableRef {
  readonly name: string;
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
  /** StarRocks' own timeout in whole seconds (≥ 600); see backup-timeout.ts. */
  readonly timeoutSeconds: number;
  readonly type?: BackupType;
  /** Chooses the grammar: 3.4+ names the database with `DATABASE db`, older versions with `db.label`. */
  readonly version: Pick<StarRocksVersion, 'major' | 'minor'>;
}

/** StarRocks refuses a smaller BACKUP timeout (`timeout must be at least 10 min`). */
export const MIN_BACKUP_TIMEOUT_SECONDS = 600;

function tableClause(table: string | BackupTableRef, typedObjects: boolean): string {
  const ref: BackupTableRef = typeof table === 'string' ? { name: table } : table;
  const name = `${typedObjects ? 'TABLE ' : ''}${quoteIdentifier('table', ref.name)}`;
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
    for (const table of input.tables) {
      tableClause(table, false);
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
    on = ` ON (${input.tables.map((table) => tableClause(table, newBackupSyntax)).join(', ')})`;
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

/** `SHOW DATABASES`. */
export function buildShowDatabasesStatement(): Statement {
  return { kind: 'SHOW DATABASES', sql: 'SHOW DATABASES' };
}

/**
 * The database's tables with their type and engine, from information_schema (reference §16: SHOW FULL TABLES
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
