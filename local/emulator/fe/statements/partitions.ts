import type { Statement } from '#local/emulator/sql/ast.ts';
import { analyzerError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { type Cell, type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';

/**
 * common/proc/PartitionsProcDir.createTitleNames for a shared-nothing table: the eighth column is `List` for a
 * list-partitioned table (PartitionType.LIST, explicit or automatic) and `Range` otherwise. Shared-data tables
 * have their own column set (CompactVersion, NextVersion, …, AvgCS, P50CS, MaxCS).
 */
function titles(list: boolean, cloudNative: boolean): string[] {
  const kind = list ? 'List' : 'Range';
  return cloudNative
    ? [
        'PartitionId',
        'PartitionName',
        'CompactVersion',
        'VisibleVersion',
        'NextVersion',
        'State',
        'PartitionKey',
        kind,
        'DistributionKey',
        'Buckets',
        'DataSize',
        'RowCount',
        'EnableDataCache',
        'AsyncWrite',
        'AvgCS',
        'P50CS',
        'MaxCS',
      ]
    : [
        'PartitionId',
        'PartitionName',
        'VisibleVersion',
        'VisibleVersionTime',
        'VisibleVersionHash',
        'State',
        'PartitionKey',
        kind,
        'DistributionKey',
        'Buckets',
        'ReplicationNum',
        'StorageMedium',
        'CooldownTime',
        'LastConsistencyCheckTime',
        'DataSize',
        'IsInMemory',
        'RowCount',
      ];
}

/**
 * `SHOW [TEMPORARY] PARTITIONS FROM [db.]table`: one row per partition (the emulator's tables have one partition,
 * named after the table); temporary partitions: none. Needs SELECT on the table (StarRocks' SHOW PARTITIONS page:
 * "Since v3.0, this operation requires the SELECT privilege"; the check's source line is UNVERIFIED). Texts for a
 * missing or non-OLAP table are UNVERIFIED.
 */
export function showPartitions(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_PARTITIONS' }>,
  session: Session,
): Reply {
  const databaseName = statement.database ?? session.database;
  if (databaseName === undefined) throw analyzerError('No database selected', 'ERR_NO_DB_ERROR');
  const database = fe.catalog.get(databaseName);
  if (!database) throw analyzerError(`Unknown database '${databaseName}'`, 'ERR_BAD_DB_ERROR');
  const table = database.tables.find((candidate) => candidate.name === statement.table);
  if (!table) throw analyzerError(`Unknown table '${statement.table}'`, 'ERR_BAD_TABLE_ERROR');
  if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') {
    throw analyzerError(`Table[${table.name}] is not a OLAP/LAKE table`);
  }
  fe.access.require(session, 'SELECT', { type: 'TABLE', database: database.name, name: table.name });
  const list = table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST';
  const cloudNative = fe.runMode === 'shared_data';
  const columns = titles(list, cloudNative);
  if (statement.temporary) return varcharResult(columns, []);
  const key = table.partitioning === 'UNPARTITIONED' ? '' : 'dt';
  // UNVERIFIED: the exact rendering of a partition's range or list values.
  const values =
    table.partitioning === 'UNPARTITIONED'
      ? ''
      : list
        ? "(('2026-11-24'))"
        : '[types: [DATE]; keys: [0000-01-01]; ..)';
  const id = String(table.name.length + 20_000);
  const row: Cell[] = cloudNative
    ? [
        id,
        table.name,
        '1',
        '2',
        '3',
        'NORMAL',
        key,
        values,
        'id',
        '8',
        `${table.sizeBytes}B`,
        String(table.rows),
      ]
    : [
        id,
        table.name,
        '2',
        fe.sessionZone(session).dateTime(fe.startedAt),
        '0',
        'NORMAL',
        key,
        values,
        'id',
        '8',
      ];
  row.push(
    ...(cloudNative
      ? ['true', 'false', '0.0', '0.0', '0.0']
      : [String(table.replicaCount), 'HDD', '9999-12-31 23:59:59', null, `${table.sizeBytes}B`, 'false']),
  );
  if (!cloudNative) row.push(String(table.rows));
  return varcharResult(columns, [row]);
}
