/**
 * `SHOW CREATE TABLE [db.]t` for an OLAP table: StarRocks answers two columns, `Table` and `Create Table`
 * (sql/ast/ShowCreateTableStmt.java, META_DATA for a table; the text is built by AstToStringBuilder.getDdlStmt,
 * earlier catalog/Table getDdlStmt). UNVERIFIED: the text below follows the published shape (columns, ENGINE=OLAP,
 * the key, PARTITION BY with the partition list, DISTRIBUTED BY, PROPERTIES) but not its exact characters; the
 * scenario's opaque `schema` text stands for the columns, as the COMMENT of one column, so a schema change
 * (state.alterSchema) changes the text and a load, an added or dropped partition changes only the partition list.
 * Views and materialized views are not emulated. The privilege check is modelled as SHOW PARTITIONS' (SELECT;
 * UNVERIFIED: StarRocks accepts any privilege on the table).
 */
import type { Statement } from '#local/emulator/sql/ast.ts';
import type { CatalogPartition, CatalogTable } from '../catalog.ts';
import { analyzerError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { resolveTable } from '../resolve-table.ts';
import { type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';

function quoted(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function partitionClause(table: CatalogTable, partition: CatalogPartition): string {
  if (table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST') {
    const values = partition.values ?? [];
    return `PARTITION ${partition.name} VALUES IN (${values.map(quoted).join(', ')})`;
  }
  const range = partition.range ?? { from: '0000-01-01', to: '0000-01-02' };
  return `PARTITION ${partition.name} VALUES [(${quoted(range.from)}), (${quoted(range.to)}))`;
}

/** The `Create Table` text of one OLAP table (see the module comment: UNVERIFIED characters). */
export function createTableText(table: CatalogTable): string {
  const lines = [
    `CREATE TABLE \`${table.name}\` (`,
    '  `dt` date NOT NULL COMMENT "",',
    `  \`payload\` varchar(65533) NULL COMMENT ${quoted(`schema ${table.schema}`)}`,
    ') ENGINE=OLAP',
    'DUPLICATE KEY(`dt`)',
  ];
  if (table.partitioning !== 'UNPARTITIONED') {
    const list = table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST';
    lines.push(`PARTITION BY ${list ? 'LIST' : 'RANGE'}(\`dt\`)`);
    lines.push(`(${table.partitions.map((partition) => partitionClause(table, partition)).join(',\n')})`);
  }
  lines.push('DISTRIBUTED BY HASH(`dt`) BUCKETS 8');
  lines.push('PROPERTIES (', `"replication_num" = "${table.replicationNum}"`, ');');
  return lines.join('\n');
}

export function showCreateTable(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_CREATE_TABLE' }>,
  session: Session,
): Reply {
  const { database, table } = resolveTable(fe, statement, session);
  if (table.type !== 'OLAP') {
    throw analyzerError(`SHOW CREATE TABLE of ${table.type} '${table.name}' is not emulated`);
  }
  fe.access.require(session, 'SELECT', { type: 'TABLE', database: database.name, name: table.name });
  return varcharResult(['Table', 'Create Table'], [[table.name, createTableText(table)]]);
}
