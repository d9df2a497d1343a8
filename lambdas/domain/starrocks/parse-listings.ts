/** Parsers for the simple listings: SHOW DATABASES, the information_schema table listing, SHOW REPOSITORIES. */
import { type ResultTable, readRows } from './result-table.ts';

/** Database names from SHOW DATABASES, in the FE's order. */
export function parseDatabases(table: ResultTable): string[] {
  return readRows(table, 'SHOW DATABASES', ['Database']).map((row) => row.text('Database'));
}

/**
 * What a table is, as far as BACKUP cares:
 * - `OLAP`: a native table (ENGINE `StarRocks`, not a view; catalog/Table.getEngine: every OlapTable, so a
 *   shared-data LakeTable too);
 * - `MATERIALIZED_VIEW`: ENGINE `StarRocks` with TABLE_TYPE `VIEW` (MaterializedView extends OlapTable);
 * - `VIEW`: a logical view (no ENGINE, TABLE_TYPE `VIEW`);
 * - `SYSTEM`: a schema table (ENGINE `MEMORY` or TABLE_TYPE `SYSTEM VIEW`);
 * - `EXTERNAL`: MySQL, Hive, Iceberg, JDBC, Elasticsearch, … tables (another ENGINE);
 * - `UNKNOWN`: no ENGINE and not a view: we cannot tell, so callers must not count it as backupable.
 */
export type TableKind = 'OLAP' | 'MATERIALIZED_VIEW' | 'VIEW' | 'SYSTEM' | 'EXTERNAL' | 'UNKNOWN';

/** One row of the table listing. */
export interface TableInfo {
  readonly name: string;
  /** TABLE_TYPE verbatim: `BASE TABLE` (or `TABLE` on some 3.4 builds), `VIEW`, `SYSTEM VIEW`. */
  readonly tableType: string | null;
  /** ENGINE verbatim: `StarRocks`, `MySQL`, `Hive`, …, or empty/NULL for views. */
  readonly engine: string | null;
  readonly kind: TableKind;
}

/**
 * Classifies a table from ENGINE first (information_schema.tables: TABLE_TYPE says `BASE TABLE` for OLAP and external tables
 * alike, and some 3.4 builds say `TABLE`), using TABLE_TYPE only to tell views from tables.
 */
export function classifyTable(tableType: string | null, engine: string | null): TableKind {
  const type = (tableType ?? '').trim().toUpperCase();
  const engineName = (engine ?? '').trim().toUpperCase();
  const isView = type === 'VIEW';
  if (engineName === 'STARROCKS') {
    return isView ? 'MATERIALIZED_VIEW' : 'OLAP';
  }
  if (engineName === 'MEMORY' || type === 'SYSTEM VIEW') {
    return 'SYSTEM';
  }
  if (engineName === '') {
    return isView ? 'VIEW' : 'UNKNOWN';
  }
  return 'EXTERNAL';
}

/** Parses the answer of the statement built by `buildListTablesStatement`. */
export function parseTables(table: ResultTable): TableInfo[] {
  return readRows(table, 'LIST TABLES', ['table_name', 'table_type', 'engine']).map((row) => {
    const tableType = row.nullable('table_type');
    const engine = row.nullable('engine');
    return { name: row.text('table_name'), tableType, engine, kind: classifyTable(tableType, engine) };
  });
}

/** One row of SHOW REPOSITORIES (backup/Repository.java, its info row). */
export interface RepositoryInfo {
  readonly repoId: string;
  readonly name: string;
  /** `yyyy-MM-dd HH:mm:ss` in the session's zone (UTC, pinned; TimeUtils.longToTimeString), verbatim. */
  readonly createTime: string | null;
  readonly readOnly: boolean;
  readonly location: string;
  /** `""` for a broker-less repository. */
  readonly broker: string;
  /** NULL, or `<time>: <err>` after a failed ping. */
  readonly errMsg: string | null;
}

/** Parses SHOW REPOSITORIES. */
export function parseRepositories(table: ResultTable): RepositoryInfo[] {
  return readRows(table, 'SHOW REPOSITORIES', [
    'RepoId',
    'RepoName',
    'CreateTime',
    'IsReadOnly',
    'Location',
    'Broker',
    'ErrMsg',
  ]).map((row) => {
    const errMsg = row.nullable('ErrMsg');
    return {
      repoId: row.nullable('RepoId') ?? '',
      name: row.text('RepoName'),
      createTime: row.nullable('CreateTime'),
      readOnly: (row.nullable('IsReadOnly') ?? '').trim().toLowerCase() === 'true',
      location: row.nullable('Location') ?? '',
      broker: row.nullable('Broker') ?? '',
      errMsg: errMsg === '' ? null : errMsg,
    };
  });
}
