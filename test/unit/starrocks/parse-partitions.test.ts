// Time: about 0.05 s of tests (13 cases); pure functions over row fixtures.
import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError, StarRocksResultShapeError } from '#domain/errors.ts';
import type { TableInfo } from '#domain/starrocks/parse-listings.ts';
import {
  assembleManifest,
  parsePartitionsMeta,
  parseShowPartitions,
  sessionDateTimeToIso,
  tableFingerprint,
  tableManifestOf,
} from '#domain/starrocks/parse-partitions.ts';
import type { ResultTable } from '#domain/starrocks/result-table.ts';
import { buildDropPartitionStatement, buildPartitionsMetaStatement } from '#domain/starrocks/statements.ts';

const META_COLUMNS = [
  'DB_NAME',
  'TABLE_NAME',
  'PARTITION_NAME',
  'PARTITION_ID',
  'VISIBLE_VERSION',
  'VISIBLE_VERSION_TIME',
  'PARTITION_KEY',
  'PARTITION_VALUE',
  'DISTRIBUTION_KEY',
  'IS_TEMP',
];

/** partitions_meta rows: [table, partition, id, version, time, key, value, distribution, isTemp]. */
function meta(rows: readonly (readonly (string | null)[])[]): ResultTable {
  return { columns: META_COLUMNS, rows: rows.map((row) => ['dw', ...row]) };
}

/** A 3.0 SHOW PARTITIONS answer (17 columns; the eighth titled Range or List). */
function shown(kind: 'Range' | 'List', rows: readonly (readonly string[])[]): ResultTable {
  const columns = [
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
  return {
    columns,
    rows: rows.map(([id, name, version, time, key, value, distribution]) => [
      id ?? '',
      name ?? '',
      version ?? '',
      time ?? '',
      '0',
      'NORMAL',
      key ?? '',
      value ?? '',
      distribution ?? '',
      '8',
      '3',
      'HDD',
      '9999-12-31 23:59:59',
      null,
      '1.000 KB',
      'false',
      '10',
    ]),
  };
}

describe('partition statements', () => {
  it('selects the partitions_meta columns by name, the database as an escaped literal', () => {
    expect(buildPartitionsMetaStatement('dw').sql).toBe(
      'SELECT TABLE_NAME, PARTITION_NAME, PARTITION_ID, VISIBLE_VERSION, VISIBLE_VERSION_TIME, PARTITION_KEY, ' +
        "PARTITION_VALUE, DISTRIBUTION_KEY, IS_TEMP FROM information_schema.partitions_meta WHERE DB_NAME = 'dw'",
    );
    expect(() => buildPartitionsMetaStatement("dw' OR 1=1 --")).toThrow(InvalidIdentifierError);
  });

  it('builds ALTER TABLE … DROP PARTITION with quoted names, IF EXISTS and FORCE on request', () => {
    expect(buildDropPartitionStatement('dw', 'sales', 'p1').sql).toBe(
      'ALTER TABLE `dw`.`sales` DROP PARTITION `p1`',
    );
    expect(buildDropPartitionStatement('dw', 'odd`t', 'p`1', { force: true, ifExists: true })).toEqual({
      kind: 'DROP PARTITION',
      sql: 'ALTER TABLE `dw`.`odd``t` DROP PARTITION IF EXISTS `p``1` FORCE',
    });
  });

  it('refuses names no StarRocks version can hold before any SQL exists', () => {
    expect(() => buildDropPartitionStatement('dw', 'sales', 'p\n1')).toThrow(InvalidIdentifierError);
    expect(() => buildDropPartitionStatement('1dw', 'sales', 'p1')).toThrow(InvalidIdentifierError);
    expect(() => buildDropPartitionStatement('dw', '', 'p1')).toThrow(InvalidIdentifierError);
  });
});

describe('sessionDateTimeToIso', () => {
  it('reads a session-zone (UTC) DATETIME as ISO UTC, and unset times as null', () => {
    expect(sessionDateTimeToIso('2026-11-25 02:01:30', 'T', 'PARTITIONS META')).toBe(
      '2026-11-25T02:01:30.000Z',
    );
    expect(sessionDateTimeToIso(null, 'T', 'PARTITIONS META')).toBeNull();
    expect(sessionDateTimeToIso('', 'T', 'SHOW PARTITIONS')).toBeNull();
    expect(sessionDateTimeToIso('\\N', 'T', 'SHOW PARTITIONS')).toBeNull();
    expect(sessionDateTimeToIso('1970-01-01 00:00:00', 'T', 'SHOW PARTITIONS')).toBeNull();
  });

  it('refuses anything else as a shape error', () => {
    expect(() => sessionDateTimeToIso('yesterday', 'T', 'PARTITIONS META')).toThrow(
      StarRocksResultShapeError,
    );
  });
});

describe('parsePartitionsMeta', () => {
  it('reads ids and versions as canonical decimal text, beyond 2^53 too', () => {
    const rows = parsePartitionsMeta(
      meta([['t', 'p1', '9007199254740993', '12', '2026-11-25 02:00:00', 'dt', '[x..y)', 'id', '0']]),
    );
    expect(rows).toEqual([
      {
        table: 't',
        name: 'p1',
        id: '9007199254740993',
        visibleVersion: '12',
        visibleVersionTime: '2026-11-25T02:00:00.000Z',
        partitionKey: 'dt',
        partitionValue: '[x..y)',
        distributionKey: 'id',
        temporary: false,
      },
    ]);
  });

  it('refuses a non-numeric id and a missing column', () => {
    expect(() => parsePartitionsMeta(meta([['t', 'p1', '-1', '2', null, '', '', 'id', '0']]))).toThrow(
      StarRocksResultShapeError,
    );
    expect(() => parsePartitionsMeta({ columns: ['TABLE_NAME'], rows: [] })).toThrow(/PARTITION_NAME/);
  });
});

describe('tableManifestOf', () => {
  it('leaves out temporary and $ shadow partitions and merges physical partitions of one name', () => {
    const rows = parsePartitionsMeta(
      meta([
        ['t', 'p1', '101', '3', '2026-11-25 02:00:00', 'dt', '[a..b)', 'id', '0'],
        ['t', 'p1', '102', '2', '2026-11-25 02:00:00', 'dt', '[a..b)', 'id', '0'],
        ['t', 'tp1', '103', '2', null, 'dt', '[b..c)', 'id', '1'],
        ['t', '$shadow', '104', '1', null, 'dt', '[c..d)', 'id', '0'],
      ]),
    );
    expect(tableManifestOf('t', rows, undefined)).toEqual({
      name: 't',
      fingerprint: tableFingerprint('RANGE', rows.slice(0, 2)),
      partitioning: 'RANGE',
      partitions: [
        {
          name: 'p1',
          id: '101',
          visibleVersion: '3',
          visibleVersionTime: '2026-11-25T02:00:00.000Z',
          physicalPartitions: 2,
        },
      ],
    });
  });

  it('tells the kind: no key is UNPARTITIONED, a List title or a value list is LIST, else RANGE', () => {
    const unpartitioned = parsePartitionsMeta(meta([['d', 'd', '5', '2', null, '', '', 'id', 'false']]));
    const list = parsePartitionsMeta(meta([['l', 'p_eu', '6', '2', null, 'region', "(('eu'))", 'id', '0']]));
    expect(tableManifestOf('d', unpartitioned, undefined).partitioning).toBe('UNPARTITIONED');
    expect(tableManifestOf('l', list, undefined).partitioning).toBe('LIST');
    const listShown = parseShowPartitions(
      shown('List', [['6', 'p_eu', '2', '', 'region', "(('eu'))", 'id']]),
      'l',
    );
    expect(tableManifestOf('l', listShown.rows, listShown.listTitled).partitioning).toBe('LIST');
    const emptyRange = parseShowPartitions(shown('Range', []), 'r');
    expect(tableManifestOf('r', emptyRange.rows, emptyRange.listTitled)).toMatchObject({
      partitioning: 'RANGE',
      partitions: [],
    });
  });

  it('gives both sources the same fingerprint; ids, versions and times do not enter it', () => {
    const fromMeta = parsePartitionsMeta(
      meta([['t', 'p1', '101', '3', '2026-11-25 02:00:00', 'dt', '[a..b)', 'id', '0']]),
    );
    const fromShow = parseShowPartitions(
      shown('Range', [['999', 'p1', '7', '2026-11-26 00:00:00', 'dt', '[a..b)', 'id']]),
      't',
    );
    expect(tableManifestOf('t', fromShow.rows, fromShow.listTitled).fingerprint).toBe(
      tableManifestOf('t', fromMeta, undefined).fingerprint,
    );
    const redistributed = parsePartitionsMeta(
      meta([['t', 'p1', '101', '3', '2026-11-25 02:00:00', 'dt', '[a..b)', 'id, city', '0']]),
    );
    expect(tableManifestOf('t', redistributed, undefined).fingerprint).not.toBe(
      tableManifestOf('t', fromMeta, undefined).fingerprint,
    );
  });

  it('refuses a SHOW PARTITIONS answer without a Range or List column', () => {
    expect(() => parseShowPartitions({ columns: ['PartitionId'], rows: [] }, 't')).toThrow(
      StarRocksResultShapeError,
    );
  });
});

describe('assembleManifest', () => {
  const listing: TableInfo[] = [
    { name: 't', tableType: 'BASE TABLE', engine: 'StarRocks', kind: 'OLAP' },
    { name: 'v', tableType: 'VIEW', engine: null, kind: 'VIEW' },
    { name: 'mv', tableType: 'VIEW', engine: 'StarRocks', kind: 'MATERIALIZED_VIEW' },
    { name: 'ext', tableType: 'BASE TABLE', engine: 'Hive', kind: 'EXTERNAL' },
  ];

  it('puts views and MVs in others and leaves external tables out', () => {
    const table = tableManifestOf('t', [], false);
    const manifest = assembleManifest(listing, [table]);
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.tables).toEqual([table]);
    expect(manifest.others.map((other) => [other.name, other.kind])).toEqual([
      ['v', 'VIEW'],
      ['mv', 'MATERIALIZED_VIEW'],
    ]);
  });

  it('refuses what the manifest cannot hold as a shape error', () => {
    const table = tableManifestOf('v', [], false);
    expect(() => assembleManifest(listing, [table])).toThrow(StarRocksResultShapeError);
  });
});
