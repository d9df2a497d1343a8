import type { Statement } from '#local/emulator/sql/ast.ts';
import { type CatalogDatabase, showTablesType } from '../catalog.ts';
import { analyzerError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { type Cell, type Reply, readableSize, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';

/** FeConstants.default_db_data_quota_bytes (Long.MAX_VALUE) and default_db_replica_quota_size. */
const DEFAULT_DATA_QUOTA_BYTES = 2 ** 63 - 1;
const DEFAULT_REPLICA_QUOTA = 1_073_741_824;

/** `SHOW DATABASES`: column `Database`, sorted, system databases included. */
export function showDatabases(fe: Frontend): Reply {
  const names = fe.catalog
    .all()
    .map((database) => database.name)
    .sort();
  return varcharResult(
    ['Database'],
    names.map((name) => [name]),
  );
}

function resolveDatabase(fe: Frontend, name: string | undefined, session: Session): CatalogDatabase {
  const databaseName = name ?? session.database;
  if (databaseName === undefined) throw analyzerError('No database selected', 'ERR_NO_DB_ERROR');
  const database = fe.catalog.get(databaseName);
  if (!database) throw analyzerError(`Unknown database '${databaseName}'`, 'ERR_BAD_DB_ERROR');
  return database;
}

/** `SHOW [FULL] TABLES [FROM db]`: `Tables_in_<db>` [, `Table_type`] (external tables show BASE TABLE). */
export function showTables(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_TABLES' }>,
  session: Session,
): Reply {
  const database = resolveDatabase(fe, statement.database, session);
  const tables = [...database.tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header = `Tables_in_${database.name}`;
  if (!statement.full) {
    return varcharResult(
      [header],
      tables.map((table) => [table.name]),
    );
  }
  return varcharResult(
    [header, 'Table_type'],
    tables.map((table) => [table.name, showTablesType(table)]),
  );
}

/**
 * `SHOW DATA` (current database): TableName, Size, ReplicaCount per OLAP table/MV, then Total, Quota, Left.
 * `SHOW DATA FROM [db.]tbl`: TableName, IndexName, Size, ReplicaCount, RowCount with a Total row.
 */
export function showData(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_DATA' }>,
  session: Session,
): Reply {
  const database = resolveDatabase(fe, statement.database, session);
  if (statement.table !== undefined) {
    const table = database.tables.find((candidate) => candidate.name === statement.table);
    if (!table) throw analyzerError(`Unknown table '${statement.table}'`, 'ERR_BAD_TABLE_ERROR');
    if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') {
      throw analyzerError(`Table '${table.name}' is not a OLAP table`, 'ERR_NOT_OLAP_TABLE');
    }
    const size = readableSize(table.sizeBytes);
    const replicas = String(table.replicaCount);
    return varcharResult(
      ['TableName', 'IndexName', 'Size', 'ReplicaCount', 'RowCount'],
      [
        [table.name, table.name, size, replicas, String(table.rows)],
        ['', 'Total', size, replicas, ''],
      ],
    );
  }
  const stored = database.tables
    .filter((table) => table.type === 'OLAP' || table.type === 'MATERIALIZED_VIEW')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows: Cell[][] = stored.map((table) => [
    table.name,
    readableSize(table.sizeBytes),
    String(table.replicaCount),
  ]);
  const totalSize = stored.reduce((sum, table) => sum + table.sizeBytes, 0);
  const totalReplicas = stored.reduce((sum, table) => sum + table.replicaCount, 0);
  rows.push(['Total', readableSize(totalSize), String(totalReplicas)]);
  rows.push(['Quota', readableSize(DEFAULT_DATA_QUOTA_BYTES), String(DEFAULT_REPLICA_QUOTA)]);
  rows.push([
    'Left',
    readableSize(Math.max(0, DEFAULT_DATA_QUOTA_BYTES - totalSize)),
    String(DEFAULT_REPLICA_QUOTA - totalReplicas),
  ]);
  return varcharResult(['TableName', 'Size', 'ReplicaCount'], rows);
}

/**
 * `SHOW REPOSITORIES`: RepoId, RepoName, CreateTime (Repository.getInfo: TimeUtils.longToTimeString, the session's
 * time_zone), IsReadOnly, Location, Broker (`""` broker-less), ErrMsg (NULL).
 */
export function showRepositories(fe: Frontend, session: Session): Reply {
  return varcharResult(
    ['RepoId', 'RepoName', 'CreateTime', 'IsReadOnly', 'Location', 'Broker', 'ErrMsg'],
    [...fe.repositories.values()].map((repository) => [
      String(repository.id),
      repository.name,
      fe.sessionZone(session).dateTime(repository.createdAt),
      String(repository.readOnly),
      repository.location,
      '',
      null,
    ]),
  );
}
