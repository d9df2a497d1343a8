import { hasPartitionsMeta, partitionColumnsOf } from '#local/emulator/profiles.ts';
import type { Statement } from '#local/emulator/sql/ast.ts';
import type { CatalogPartition, CatalogTable } from '../catalog.ts';
import { analyzerError, executionError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { resolveTable } from '../resolve-table.ts';
import type { ColumnType } from '../result.ts';
import { type Cell, OK, type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';
import { TableState } from '../table-state.ts';

function isList(table: CatalogTable): boolean {
  return table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST';
}

/**
 * common/proc/PartitionsProcDir.createTitleNames for a shared-nothing table: the eighth column is `List` for a
 * list-partitioned table (PartitionType.LIST, explicit or automatic) and `Range` otherwise; DataVersion,
 * VersionEpoch and VersionTxnType follow RowCount from 3.3.2, StorageSize follows DataSize from 3.4.4,
 * TabletBalanced ends the list from 4.0 (research §5). Shared-data tables have their own column set
 * (CompactVersion, NextVersion, …, AvgCS, P50CS, MaxCS).
 */
function titles(fe: Frontend, list: boolean, cloudNative: boolean): string[] {
  const kind = list ? 'List' : 'Range';
  if (cloudNative) {
    return [
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
    ];
  }
  const since = partitionColumnsOf(fe.profile);
  return [
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
    ...(since.storageSize ? ['StorageSize'] : []),
    'IsInMemory',
    'RowCount',
    ...(since.dataVersion ? ['DataVersion', 'VersionEpoch', 'VersionTxnType'] : []),
    ...(since.since40 ? ['TabletBalanced'] : []),
  ];
}

/** The partition key column the emulator shows (it models no columns). */
function partitionKey(table: CatalogTable): string {
  return table.partitioning === 'UNPARTITIONED' ? '' : 'dt';
}

/**
 * The Range / List cell. UNVERIFIED: the exact rendering; a range follows Guava's `[lower..upper)` over
 * PartitionKey.toString (`types: [DATE]; keys: [2026-11-24]; `), values are quoted in parentheses.
 */
function partitionValue(table: CatalogTable, partition: CatalogPartition): string {
  if (table.partitioning === 'UNPARTITIONED') return '';
  if (isList(table)) {
    const values = partition.values ?? ['2026-11-24'];
    return `(${values.map((value) => `('${value}')`).join(', ')})`;
  }
  if (!partition.range) return '[types: [DATE]; keys: [0000-01-01]; ..)';
  return `[types: [DATE]; keys: [${partition.range.from}]; ..types: [DATE]; keys: [${partition.range.to}]; )`;
}

/** DataSize: a ByteSizeValue text; UNVERIFIED: its exact rendering (the emulator writes `<bytes>B`). */
function dataSizeText(bytes: number): string {
  return `${bytes}B`;
}

/**
 * `SHOW [TEMPORARY] PARTITIONS FROM [db.]table`: one row per partition, in the table's order, with its id,
 * visible version, version time (session zone, TimeUtils.longToTimeString), data size and row count; temporary
 * partitions: none. Needs SELECT on the table (StarRocks' SHOW PARTITIONS page: "Since v3.0, this operation
 * requires the SELECT privilege"; the check's source line is UNVERIFIED). Texts for a missing or non-OLAP table
 * are UNVERIFIED.
 */
export function showPartitions(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_PARTITIONS' }>,
  session: Session,
): Reply {
  const { database, table } = resolveTable(fe, statement, session);
  if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') {
    throw analyzerError(`Table[${table.name}] is not a OLAP/LAKE table`);
  }
  fe.access.require(session, 'SELECT', { type: 'TABLE', database: database.name, name: table.name });
  const cloudNative = fe.runMode === 'shared_data';
  const columns = titles(fe, isList(table), cloudNative);
  if (statement.temporary) return varcharResult(columns, []);
  const since = partitionColumnsOf(fe.profile);
  const zone = fe.sessionZone(session);
  const rows = table.partitions.map((partition): Cell[] => {
    const version = String(partition.visibleVersion);
    if (cloudNative) {
      return [
        String(partition.id),
        partition.name,
        '1',
        version,
        String(partition.visibleVersion + 1),
        'NORMAL',
        partitionKey(table),
        partitionValue(table, partition),
        'id',
        '8',
        dataSizeText(partition.sizeBytes),
        String(partition.rows),
        'true',
        'false',
        '0.0',
        '0.0',
        '0.0',
      ];
    }
    return [
      String(partition.id),
      partition.name,
      version,
      zone.dateTime(partition.visibleVersionTime),
      '0',
      'NORMAL',
      partitionKey(table),
      partitionValue(table, partition),
      'id',
      '8',
      String(table.replicationNum),
      'HDD',
      '9999-12-31 23:59:59',
      null,
      dataSizeText(partition.sizeBytes),
      ...(since.storageSize ? [dataSizeText(partition.sizeBytes)] : []),
      'false',
      String(partition.rows),
      // UNVERIFIED: DataVersion equals VisibleVersion on a shared-nothing table (only shared-data compaction
      // moves one without the other, research §4.5); VersionEpoch 0; VersionTxnType TXN_NORMAL.
      ...(since.dataVersion ? [version, '0', 'TXN_NORMAL'] : []),
      ...(since.since40 ? ['true'] : []),
    ];
  });
  return varcharResult(columns, rows);
}

type Value = string | number | boolean | null;

/**
 * information_schema.partitions_meta's columns for the profile, in the FE's order
 * (catalog/system/information/PartitionsMetaSystemTable.java; research §4.2). UNVERIFIED: the research's column
 * counts are one lower than this list, which follows the 3.3 source's `.column(...)` calls (STORAGE_PATH included).
 */
export function partitionsMetaColumns(fe: Frontend): { name: string; type: ColumnType }[] {
  const since = partitionColumnsOf(fe.profile);
  return [
    { name: 'DB_NAME', type: 'varchar' },
    { name: 'TABLE_NAME', type: 'varchar' },
    { name: 'PARTITION_NAME', type: 'varchar' },
    { name: 'PARTITION_ID', type: 'bigint' },
    { name: 'COMPACT_VERSION', type: 'bigint' },
    { name: 'VISIBLE_VERSION', type: 'bigint' },
    { name: 'VISIBLE_VERSION_TIME', type: 'varchar' },
    { name: 'NEXT_VERSION', type: 'bigint' },
    ...(since.dataVersion
      ? [
          { name: 'DATA_VERSION', type: 'bigint' as const },
          { name: 'VERSION_EPOCH', type: 'bigint' as const },
          { name: 'VERSION_TXN_TYPE', type: 'varchar' as const },
        ]
      : []),
    { name: 'PARTITION_KEY', type: 'varchar' },
    { name: 'PARTITION_VALUE', type: 'varchar' },
    { name: 'DISTRIBUTION_KEY', type: 'varchar' },
    { name: 'BUCKETS', type: 'bigint' },
    { name: 'REPLICATION_NUM', type: 'bigint' },
    { name: 'STORAGE_MEDIUM', type: 'varchar' },
    { name: 'COOLDOWN_TIME', type: 'varchar' },
    { name: 'LAST_CONSISTENCY_CHECK_TIME', type: 'varchar' },
    { name: 'IS_IN_MEMORY', type: 'tinyint' },
    { name: 'IS_TEMP', type: 'tinyint' },
    { name: 'DATA_SIZE', type: since.since40 ? 'bigint' : 'varchar' },
    { name: 'ROW_COUNT', type: 'bigint' },
    { name: 'ENABLE_DATACACHE', type: 'tinyint' },
    { name: 'AVG_CS', type: 'varchar' },
    { name: 'P50_CS', type: 'varchar' },
    { name: 'MAX_CS', type: 'varchar' },
    { name: 'STORAGE_PATH', type: 'varchar' },
    ...(since.storageSize ? [{ name: 'STORAGE_SIZE', type: 'bigint' as const }] : []),
    ...(since.since40
      ? [
          { name: 'TABLET_BALANCED', type: 'tinyint' as const },
          { name: 'METADATA_SWITCH_VERSION', type: 'bigint' as const },
        ]
      : []),
  ];
}

/**
 * information_schema.partitions_meta's rows (service/InformationSchemaDataSource.generatePartitionsMetaResponse):
 * every partition of the native tables and MVs of every database, one row per (physical) partition; tables the
 * session has no privilege on at all are skipped silently (`checkAnyActionOnTableLikeObject`, research §4.4).
 * VISIBLE_VERSION_TIME in the session zone. The table does not exist before 3.1.9 / 3.2.4 or on any 3.0:
 * UNVERIFIED: the analyzer's exact text for it, the emulator's `Unknown table 'information_schema.<t>'`.
 */
export function partitionsMetaRows(fe: Frontend, session: Session): ReadonlyMap<string, Value>[] {
  if (!hasPartitionsMeta(fe.profile)) {
    throw analyzerError("Unknown table 'information_schema.partitions_meta'", 'ERR_BAD_TABLE_ERROR');
  }
  const since = partitionColumnsOf(fe.profile);
  const zone = fe.sessionZone(session);
  const rows: ReadonlyMap<string, Value>[] = [];
  for (const database of fe.catalog.all()) {
    for (const table of database.tables) {
      if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') continue;
      const visible = (['SELECT', 'EXPORT', 'INSERT'] as const).some((privilege) =>
        fe.access.allows(session, privilege, {
          type: 'TABLE',
          database: database.name,
          name: table.name,
        }),
      );
      if (!visible) continue;
      for (const partition of table.partitions) {
        const values: Record<string, Value> = {
          DB_NAME: database.name,
          TABLE_NAME: table.name,
          PARTITION_NAME: partition.name,
          PARTITION_ID: partition.id,
          COMPACT_VERSION: 0,
          VISIBLE_VERSION: partition.visibleVersion,
          VISIBLE_VERSION_TIME:
            partition.visibleVersionTime === 0 ? null : zone.dateTime(partition.visibleVersionTime),
          NEXT_VERSION: partition.visibleVersion + 1,
          ...(since.dataVersion
            ? { DATA_VERSION: partition.visibleVersion, VERSION_EPOCH: 0, VERSION_TXN_TYPE: 'TXN_NORMAL' }
            : {}),
          PARTITION_KEY: partitionKey(table),
          PARTITION_VALUE: partitionValue(table, partition),
          DISTRIBUTION_KEY: 'id',
          BUCKETS: 8,
          REPLICATION_NUM: table.replicationNum,
          STORAGE_MEDIUM: 'HDD',
          COOLDOWN_TIME: '9999-12-31 23:59:59',
          LAST_CONSISTENCY_CHECK_TIME: null,
          IS_IN_MEMORY: false,
          IS_TEMP: false,
          DATA_SIZE: since.since40 ? partition.sizeBytes : dataSizeText(partition.sizeBytes),
          ROW_COUNT: partition.rows,
          ENABLE_DATACACHE: false,
          AVG_CS: '0',
          P50_CS: '0',
          MAX_CS: '0',
          STORAGE_PATH: '',
          ...(since.storageSize ? { STORAGE_SIZE: partition.sizeBytes } : {}),
          ...(since.since40 ? { TABLET_BALANCED: true, METADATA_SWITCH_VERSION: 0 } : {}),
        };
        rows.push(new Map(Object.entries(values)));
      }
    }
  }
  return rows;
}

/**
 * `ALTER TABLE [db.]t DROP PARTITION [IF EXISTS] p [FORCE]`, executed through the state API's `dropPartition`
 * (server/LocalMetastore.dropPartition, research §8): ALTER on the table, then `Alter table [<t>] failed. Not a
 * partitioned table` for an unpartitioned table, ERR_DROP_PARTITION_NON_EXISTENT for a missing partition without
 * IF EXISTS. FORCE changes nothing the emulator shows (it models no recycle bin and no COMMITTED transactions, so
 * the refusal without FORCE never happens). UNVERIFIED: the texts for a missing table and a missing partition, and
 * the check order; whether the drop runs while a RESTORE holds the table (StarRocks refuses: not NORMAL) is not
 * modelled.
 */
export function dropPartition(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'DROP_PARTITION' }>,
  session: Session,
): Reply {
  const { database, table } = resolveTable(fe, statement, session);
  fe.access.require(session, 'ALTER', { type: 'TABLE', database: database.name, name: table.name });
  if (table.type !== 'OLAP' || table.partitioning === 'UNPARTITIONED') {
    throw executionError(`Alter table [${table.name}] failed. Not a partitioned table`);
  }
  if (!table.partitions.some((partition) => partition.name === statement.partition)) {
    if (statement.ifExists) return OK;
    throw executionError(
      `Error in list of partitions to ${statement.partition}`,
      'ERR_DROP_PARTITION_NON_EXISTENT',
    );
  }
  new TableState(fe).dropPartition(database.name, table.name, statement.partition);
  return OK;
}
