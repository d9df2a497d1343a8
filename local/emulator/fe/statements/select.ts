import { hasClusterSnapshots } from '#local/emulator/profiles.ts';
import type { Expr, SelectStatement } from '#local/emulator/sql/ast.ts';
import { engineOf } from '../catalog.ts';
import { analyzerError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import type { Cell, ColumnType, Reply, ResultColumn } from '../result.ts';
import type { Session } from '../session.ts';
import { likeToRegExp } from './like.ts';
import { partitionsMetaColumns, partitionsMetaRows } from './partitions.ts';

type Value = string | number | boolean | null;
type Row = ReadonlyMap<string, Value>;

/** information_schema.tables columns, in MySQL's order (the ones StarRocks fills are listed in the docs). */
const TABLES_COLUMNS: readonly { name: string; type: ColumnType }[] = [
  { name: 'TABLE_CATALOG', type: 'varchar' },
  { name: 'TABLE_SCHEMA', type: 'varchar' },
  { name: 'TABLE_NAME', type: 'varchar' },
  { name: 'TABLE_TYPE', type: 'varchar' },
  { name: 'ENGINE', type: 'varchar' },
  { name: 'VERSION', type: 'bigint' },
  { name: 'ROW_FORMAT', type: 'varchar' },
  { name: 'TABLE_ROWS', type: 'bigint' },
  { name: 'AVG_ROW_LENGTH', type: 'bigint' },
  { name: 'DATA_LENGTH', type: 'bigint' },
  { name: 'MAX_DATA_LENGTH', type: 'bigint' },
  { name: 'INDEX_LENGTH', type: 'bigint' },
  { name: 'DATA_FREE', type: 'bigint' },
  { name: 'AUTO_INCREMENT', type: 'bigint' },
  { name: 'CREATE_TIME', type: 'varchar' },
  { name: 'UPDATE_TIME', type: 'varchar' },
  { name: 'CHECK_TIME', type: 'varchar' },
  { name: 'TABLE_COLLATION', type: 'varchar' },
  { name: 'CHECKSUM', type: 'bigint' },
  { name: 'CREATE_OPTIONS', type: 'varchar' },
  { name: 'TABLE_COMMENT', type: 'varchar' },
];

/** information_schema.cluster_snapshot_jobs (catalog/system/information/ClusterSnapshotJobsTable.java). */
const CLUSTER_SNAPSHOT_JOBS_COLUMNS: readonly { name: string; type: ColumnType }[] = [
  { name: 'SNAPSHOT_NAME', type: 'varchar' },
  { name: 'JOB_ID', type: 'bigint' },
  { name: 'CREATED_TIME', type: 'bigint' },
  { name: 'FINISHED_TIME', type: 'bigint' },
  { name: 'STATE', type: 'varchar' },
  { name: 'DETAIL_INFO', type: 'varchar' },
  { name: 'ERROR_MESSAGE', type: 'varchar' },
];

/**
 * information_schema.cluster_snapshots. Two layouts are in StarRocks' history: CREATED_TIME and FINISHED_TIME as
 * BIGINT epoch seconds (be/src/exec/schema_scanner/schema_cluster_snapshots_scanner.cpp), and CREATED_TIME as
 * DATETIME without FINISHED_TIME (catalog/system/information/ClusterSnapshotsTable.java, newer). UNVERIFIED: which
 * release switched; the emulator gives 4.0 and later the DATETIME layout.
 */
function clusterSnapshotColumns(fe: Frontend): readonly { name: string; type: ColumnType }[] {
  const datetime = fe.profile.id.startsWith('4.');
  return [
    { name: 'SNAPSHOT_NAME', type: 'varchar' },
    { name: 'SNAPSHOT_TYPE', type: 'varchar' },
    { name: 'CREATED_TIME', type: datetime ? 'varchar' : 'bigint' },
    ...(datetime ? [] : [{ name: 'FINISHED_TIME', type: 'bigint' as const }]),
    { name: 'FE_JOURNAL_ID', type: 'bigint' },
    { name: 'STARMGR_JOURNAL_ID', type: 'bigint' },
    { name: 'PROPERTIES', type: 'varchar' },
    { name: 'STORAGE_VOLUME', type: 'varchar' },
    { name: 'STORAGE_PATH', type: 'varchar' },
  ];
}

/** Session/global variables a client may read with `SELECT @@x` (a Map: the name comes from the client). */
function systemVariables(fe: Frontend, session: Session, global: boolean): ReadonlyMap<string, Value> {
  return new Map<string, Value>(
    Object.entries({
      // UNVERIFIED beyond the reference's `StarRocks version <version>`.
      version_comment: `StarRocks version ${fe.profile.version}`,
      version: fe.profile.mysqlServerVersion,
      autocommit: 1,
      auto_increment_increment: 1,
      character_set_client: 'utf8',
      character_set_connection: 'utf8',
      character_set_results: 'utf8',
      collation_connection: 'utf8_general_ci',
      interactive_timeout: 3600,
      lower_case_table_names: 0,
      max_allowed_packet: 33_554_432,
      net_write_timeout: 60,
      query_timeout: 300,
      sql_mode: 'ONLY_FULL_GROUP_BY',
      system_time_zone: fe.zone.id,
      time_zone: global ? fe.globalTimeZone.id : fe.sessionZone(session).id,
      transaction_isolation: 'REPEATABLE-READ',
      tx_isolation: 'REPEATABLE-READ',
      transaction_read_only: 0,
      tx_read_only: 0,
      wait_timeout: 28_800,
    }),
  );
}

interface EvaluationContext {
  readonly fe: Frontend;
  readonly session: Session;
  readonly row: Row | undefined;
}

function columnName(expr: Extract<Expr, { type: 'column' }>): string {
  return expr.parts[expr.parts.length - 1] as string;
}

function truthy(value: Value): boolean {
  return value !== null && value !== false && value !== 0 && value !== '0';
}

function compare(left: Value, right: Value): number | null {
  if (left === null || right === null) return null;
  if (typeof left === 'number' || typeof right === 'number') {
    const a = Number(left);
    const b = Number(right);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const a = String(left);
  const b = String(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

function callFunction(name: string, args: readonly Value[], context: EvaluationContext): Value {
  const { fe, session } = context;
  switch (name.toLowerCase()) {
    case 'current_version':
      return `${fe.profile.version} ${fe.profile.commit}`;
    case 'version':
      return fe.profile.mysqlServerVersion;
    case 'database':
    case 'schema':
      return session.database ?? null;
    case 'user':
      return `'${session.user}'@'127.0.0.1'`;
    case 'current_user':
      return `'${session.user}'@'%'`;
    case 'connection_id':
      return session.connectionId;
    case 'now':
    case 'current_timestamp':
      return fe.sessionZone(session).dateTime(fe.now());
    case 'lower':
      return args[0] === null || args[0] === undefined ? null : String(args[0]).toLowerCase();
    case 'upper':
      return args[0] === null || args[0] === undefined ? null : String(args[0]).toUpperCase();
    default:
      // UNVERIFIED: the analyzer's text for an unknown function.
      throw analyzerError(`No matching function with signature: ${name}()`);
  }
}

function evaluate(expr: Expr, context: EvaluationContext): Value {
  switch (expr.type) {
    case 'string':
      return expr.value;
    case 'number':
      return Number(expr.value);
    case 'null':
      return null;
    case 'boolean':
      return expr.value;
    case 'column': {
      const name = columnName(expr);
      const value = context.row?.get(name.toUpperCase());
      // UNVERIFIED: the analyzer's text for an unknown column.
      if (value === undefined) throw analyzerError(`Column '${name}' cannot be resolved`);
      return value;
    }
    case 'variable': {
      const global = /^@@global\./i.test(expr.name);
      const name = expr.name.replace(/^@@(global\.|session\.|local\.)?/i, '').toLowerCase();
      const value = systemVariables(context.fe, context.session, global).get(name);
      if (value === undefined)
        throw analyzerError(`Unknown system variable '${name}'`, 'ERR_UNKNOWN_SYSTEM_VARIABLE');
      return value;
    }
    case 'function':
      if (expr.star || expr.name.toLowerCase() === 'count') {
        throw analyzerError(
          `'${expr.name}(*)' is only supported over information_schema.tables by the emulator`,
        );
      }
      return callFunction(
        expr.name,
        expr.args.map((arg) => evaluate(arg, context)),
        context,
      );
    case 'comparison': {
      const left = evaluate(expr.left, context);
      const right = evaluate(expr.right, context);
      if (expr.op === '<=>') return (left === null && right === null) || compare(left, right) === 0;
      const order = compare(left, right);
      if (order === null) return null;
      switch (expr.op) {
        case '=':
          return order === 0;
        case '!=':
        case '<>':
          return order !== 0;
        case '<':
          return order < 0;
        case '>':
          return order > 0;
        case '<=':
          return order <= 0;
        default:
          return order >= 0;
      }
    }
    case 'in': {
      const value = evaluate(expr.value, context);
      if (value === null) return null;
      const found = expr.list.some((item) => compare(value, evaluate(item, context)) === 0);
      return expr.not ? !found : found;
    }
    case 'like': {
      const value = evaluate(expr.value, context);
      const pattern = evaluate(expr.pattern, context);
      if (value === null || pattern === null) return null;
      const matched = likeToRegExp(String(pattern)).test(String(value));
      return expr.not ? !matched : matched;
    }
    case 'is-null': {
      const isNull = evaluate(expr.value, context) === null;
      return expr.not ? !isNull : isNull;
    }
    case 'and': {
      const left = evaluate(expr.left, context);
      if (left !== null && !truthy(left)) return false;
      const right = evaluate(expr.right, context);
      if (right !== null && !truthy(right)) return false;
      return left === null || right === null ? null : true;
    }
    case 'or': {
      const left = evaluate(expr.left, context);
      if (left !== null && truthy(left)) return true;
      const right = evaluate(expr.right, context);
      if (right !== null && truthy(right)) return true;
      return left === null || right === null ? null : false;
    }
    case 'not': {
      const value = evaluate(expr.value, context);
      return value === null ? null : !truthy(value);
    }
  }
}

function toCell(value: Value): Cell {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function typeOf(expr: Expr, value: Value): ColumnType {
  if (typeof value === 'boolean') return 'tinyint';
  if (typeof value !== 'number') return 'varchar';
  if (expr.type === 'number' && Number.isInteger(value) && value >= -128 && value <= 127) return 'tinyint';
  return 'bigint';
}

function informationSchemaRows(fe: Frontend): Row[] {
  const rows: Row[] = [];
  for (const database of fe.catalog.all()) {
    for (const table of database.tables) {
      let tableType =
        table.type === 'SYSTEM_VIEW' ? 'SYSTEM VIEW' : table.type === 'VIEW' ? 'VIEW' : 'BASE TABLE';
      if (table.type === 'MATERIALIZED_VIEW') tableType = 'VIEW';
      if (tableType === 'BASE TABLE' && fe.profile.reportsTableTypeAsTable) tableType = 'TABLE';
      const stored = table.type === 'OLAP' || table.type === 'MATERIALIZED_VIEW';
      const values: Record<string, Value> = {
        TABLE_CATALOG: 'def',
        TABLE_SCHEMA: database.name,
        TABLE_NAME: table.name,
        TABLE_TYPE: tableType,
        ENGINE: engineOf(table),
        VERSION: null,
        ROW_FORMAT: null,
        TABLE_ROWS: stored ? table.rows : null,
        AVG_ROW_LENGTH: stored && table.rows > 0 ? Math.floor(table.sizeBytes / table.rows) : null,
        DATA_LENGTH: stored ? table.sizeBytes : null,
        MAX_DATA_LENGTH: null,
        INDEX_LENGTH: null,
        DATA_FREE: null,
        AUTO_INCREMENT: null,
        CREATE_TIME: fe.zone.dateTime(fe.startedAt),
        UPDATE_TIME: null,
        CHECK_TIME: null,
        TABLE_COLLATION: 'utf8_general_ci',
        CHECKSUM: null,
        CREATE_OPTIONS: null,
        TABLE_COMMENT: '',
      };
      rows.push(new Map(Object.entries(values)));
    }
  }
  return rows;
}

/** The information_schema tables the emulator can query. */
type SchemaTableName = 'tables' | 'cluster_snapshots' | 'cluster_snapshot_jobs' | 'partitions_meta';
const SCHEMA_TABLES: readonly SchemaTableName[] = [
  'tables',
  'cluster_snapshots',
  'cluster_snapshot_jobs',
  'partitions_meta',
];

/** The information_schema table `parts` names (`information_schema.t`, `default_catalog.information_schema.t`). */
function schemaTableOf(parts: readonly string[], session: Session): SchemaTableName | undefined {
  const lower = parts.map((part) => part.toLowerCase());
  let name: string | undefined;
  if (lower.length === 2 && lower[0] === 'information_schema') name = lower[1];
  else if (lower.length === 3 && lower[0] === 'default_catalog' && lower[1] === 'information_schema')
    name = lower[2];
  else if (lower.length === 1 && session.database?.toLowerCase() === 'information_schema') name = lower[0];
  return SCHEMA_TABLES.find((candidate) => candidate === name);
}

function clusterSnapshotRows(fe: Frontend, session: Session): Row[] {
  const datetime = fe.profile.id.startsWith('4.');
  return fe.clusterSnapshots.snapshots().map((snapshot) => {
    const values: Record<string, Value> = {
      SNAPSHOT_NAME: snapshot.snapshotName,
      // ClusterSnapshot.getInfo: type.name(), AUTOMATED (StarRocks' page prints it in lower case).
      SNAPSHOT_TYPE: 'AUTOMATED',
      CREATED_TIME: datetime
        ? fe.sessionZone(session).dateTime(snapshot.createdAt)
        : Math.floor(snapshot.createdAt / 1000),
      ...(datetime ? {} : { FINISHED_TIME: Math.floor(snapshot.createdAt / 1000) }),
      FE_JOURNAL_ID: snapshot.feJournalId,
      STARMGR_JOURNAL_ID: snapshot.starMgrJournalId,
      PROPERTIES: '',
      STORAGE_VOLUME: snapshot.storageVolume,
      STORAGE_PATH: snapshot.storagePath,
    };
    return new Map(Object.entries(values));
  });
}

function clusterSnapshotJobRows(fe: Frontend): Row[] {
  return fe.clusterSnapshots.jobs().map((job) => {
    const values: Record<string, Value> = {
      SNAPSHOT_NAME: job.snapshotName,
      JOB_ID: job.jobId,
      // ClusterSnapshotJob.getInfo: createdTimeMs / 1000 and finishedTimeMs / 1000 (-1 / 1000 is 0 in Java).
      CREATED_TIME: Math.floor(job.createdAt / 1000),
      FINISHED_TIME: job.finishedAt === undefined ? 0 : Math.floor(job.finishedAt / 1000),
      STATE: job.state,
      DETAIL_INFO: '',
      ERROR_MESSAGE: job.errorMessage,
    };
    return new Map(Object.entries(values));
  });
}

function schemaTable(
  fe: Frontend,
  name: SchemaTableName,
  session: Session,
): { columns: readonly { name: string; type: ColumnType }[]; rows: Row[] } {
  if (name === 'tables') return { columns: TABLES_COLUMNS, rows: informationSchemaRows(fe) };
  if (name === 'partitions_meta') {
    return { columns: partitionsMetaColumns(fe), rows: partitionsMetaRows(fe, session) };
  }
  if (!hasClusterSnapshots(fe.profile)) {
    // UNVERIFIED: the analyzer's text for an information_schema table the version lacks.
    throw analyzerError(`Unknown table 'information_schema.${name}'`, 'ERR_BAD_TABLE_ERROR');
  }
  return name === 'cluster_snapshots'
    ? { columns: clusterSnapshotColumns(fe), rows: clusterSnapshotRows(fe, session) }
    : { columns: CLUSTER_SNAPSHOT_JOBS_COLUMNS, rows: clusterSnapshotJobRows(fe) };
}

/**
 * `SELECT COUNT(*) FROM [db.]tbl` answers the table's row count (the restore drill checks restored tables have
 * rows); any other query of table data is refused, since the emulator holds none. The SELECT privilege is
 * checked after the table is resolved.
 */
function selectFromTable(
  fe: Frontend,
  statement: SelectStatement,
  parts: readonly string[],
  session: Session,
): Reply {
  const tableName = parts[parts.length - 1] as string;
  const databaseName = parts.length > 1 ? (parts[parts.length - 2] as string) : session.database;
  if (databaseName === undefined) throw analyzerError('No database selected', 'ERR_NO_DB_ERROR');
  const database = fe.catalog.get(databaseName);
  if (!database) throw analyzerError(`Unknown database '${databaseName}'`, 'ERR_BAD_DB_ERROR');
  const table = database.tables.find((candidate) => candidate.name === tableName);
  if (!table) {
    // UNVERIFIED: the analyzer's exact text for a missing table.
    throw analyzerError(`Unknown table '${databaseName}.${tableName}'`, 'ERR_BAD_TABLE_ERROR');
  }
  fe.access.require(session, 'SELECT', { type: 'TABLE', database: database.name, name: table.name });
  const counts = statement.items.flatMap((item) =>
    !item.star && item.expr.type === 'function' && item.expr.star && isCountStar(item.expr)
      ? [item.label]
      : [],
  );
  const stored = table.type === 'OLAP' || table.type === 'MATERIALIZED_VIEW';
  if (stored && statement.where === undefined && counts.length === statement.items.length) {
    const columns: ResultColumn[] = counts.map((name) => ({ name, type: 'bigint' }));
    const cells = counts.map(() => String(table.rows));
    return { type: 'rows', columns, rows: statement.limit === 0 ? [] : [cells] };
  }
  throw analyzerError(
    `The StarRocks emulator holds no table data; only COUNT(*) of a table and information_schema.tables can be queried (${databaseName}.${tableName})`,
  );
}

/** ORDER BY may name a select-list alias (it wins over a column of the same name, as in MySQL). */
function resolveAlias(expr: Expr, statement: SelectStatement): Expr {
  if (expr.type !== 'column' || expr.parts.length !== 1) return expr;
  const name = columnName(expr).toLowerCase();
  const item = statement.items.find((candidate) => !candidate.star && candidate.label.toLowerCase() === name);
  return item && !item.star ? item.expr : expr;
}

function isCountStar(expr: Expr): boolean {
  return expr.type === 'function' && expr.name.toLowerCase() === 'count';
}

/** `SELECT` of constants, functions and variables, or over information_schema.tables. */
export function executeSelect(fe: Frontend, statement: SelectStatement, session: Session): Reply {
  if (statement.from === undefined) {
    const context: EvaluationContext = { fe, session, row: undefined };
    const columns: ResultColumn[] = [];
    const cells: Cell[] = [];
    for (const item of statement.items) {
      // UNVERIFIED: StarRocks' text for `SELECT *` without FROM.
      if (item.star) throw analyzerError('No tables used');
      const value = evaluate(item.expr, context);
      columns.push({ name: item.label, type: typeOf(item.expr, value) });
      cells.push(toCell(value));
    }
    const rows = statement.limit === 0 ? [] : [cells];
    return { type: 'rows', columns, rows };
  }

  const schemaName = schemaTableOf(statement.from.parts, session);
  if (schemaName === undefined) {
    return selectFromTable(fe, statement, statement.from.parts, session);
  }

  const source = schemaTable(fe, schemaName, session);
  let rows = source.rows;
  if (statement.where) {
    const where = statement.where;
    rows = rows.filter((row) => truthy(evaluate(where, { fe, session, row })));
  }
  for (const order of [...(statement.orderBy ?? [])].reverse()) {
    const expr = resolveAlias(order.expr, statement);
    rows = [...rows].sort((a, b) => {
      const result = compare(
        evaluate(expr, { fe, session, row: a }),
        evaluate(expr, { fe, session, row: b }),
      );
      const value = result ?? 0;
      return order.descending ? -value : value;
    });
  }

  const items = statement.items;
  if (items.some((item) => !item.star && isCountStar(item.expr))) {
    const columns: ResultColumn[] = [];
    const cells: Cell[] = [];
    for (const item of items) {
      if (item.star || !isCountStar(item.expr))
        throw analyzerError('The emulator supports COUNT(*) only on its own');
      columns.push({ name: item.label, type: 'bigint' });
      cells.push(String(rows.length));
    }
    return { type: 'rows', columns, rows: statement.limit === 0 ? [] : [cells] };
  }

  if (statement.limit !== undefined) rows = rows.slice(0, statement.limit);
  const columns: ResultColumn[] = [];
  const projections: ((row: Row) => Cell)[] = [];
  for (const item of items) {
    if (item.star) {
      for (const column of source.columns) {
        columns.push(column);
        projections.push((row) => toCell(row.get(column.name) ?? null));
      }
      continue;
    }
    const expr = item.expr;
    const known =
      expr.type === 'column'
        ? source.columns.find((column) => column.name === columnName(expr).toUpperCase())
        : undefined;
    if (expr.type === 'column' && !known)
      throw analyzerError(`Column '${columnName(expr)}' cannot be resolved`);
    columns.push({ name: item.label, type: known?.type ?? 'varchar' });
    projections.push((row) => toCell(evaluate(expr, { fe, session, row })));
  }
  return { type: 'rows', columns, rows: rows.map((row) => projections.map((project) => project(row))) };
}
