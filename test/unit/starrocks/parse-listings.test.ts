import { describe, expect, it } from 'vitest';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import {
  classifyTable,
  parseDatabases,
  parseRepositories,
  parseTables,
} from '#domain/starrocks/parse-listings.ts';

describe('classifyTable', () => {
  it('tells OLAP tables from external ones although both are BASE TABLE', () => {
    expect(classifyTable('BASE TABLE', 'StarRocks')).toBe('OLAP');
    expect(classifyTable('BASE TABLE', 'Hive')).toBe('EXTERNAL');
    expect(classifyTable('BASE TABLE', 'MySQL')).toBe('EXTERNAL');
  });

  it('accepts the TABLE type some 3.4 builds report for OLAP tables', () => {
    expect(classifyTable('TABLE', 'StarRocks')).toBe('OLAP');
  });

  it('tells views (no engine) from materialized views (StarRocks engine)', () => {
    expect(classifyTable('VIEW', '')).toBe('VIEW');
    expect(classifyTable('VIEW', null)).toBe('VIEW');
    expect(classifyTable('VIEW', 'StarRocks')).toBe('MATERIALIZED_VIEW');
  });

  it('marks schema tables as SYSTEM and an engine-less table as UNKNOWN', () => {
    expect(classifyTable('SYSTEM VIEW', 'MEMORY')).toBe('SYSTEM');
    expect(classifyTable('BASE TABLE', '')).toBe('UNKNOWN');
  });
});

describe('parseTables', () => {
  it('reads the aliased information_schema columns', () => {
    const tables = parseTables({
      columns: ['table_name', 'table_type', 'engine'],
      rows: [
        ['orders', 'BASE TABLE', 'StarRocks'],
        ['v_orders', 'VIEW', null],
      ],
    });
    expect(tables).toEqual([
      { name: 'orders', tableType: 'BASE TABLE', engine: 'StarRocks', kind: 'OLAP' },
      { name: 'v_orders', tableType: 'VIEW', engine: null, kind: 'VIEW' },
    ]);
  });

  it('reads upper-case labels too, in case the FE ignores the alias case', () => {
    const tables = parseTables({
      columns: ['TABLE_NAME', 'TABLE_TYPE', 'ENGINE'],
      rows: [['t', 'BASE TABLE', 'StarRocks']],
    });
    expect(tables[0]?.kind).toBe('OLAP');
  });

  it('refuses an answer without the engine column', () => {
    expect(() => parseTables({ columns: ['table_name', 'table_type'], rows: [] })).toThrow(
      StarRocksResultShapeError,
    );
  });
});

describe('parseDatabases', () => {
  it('lists the Database column in order', () => {
    expect(parseDatabases({ columns: ['Database'], rows: [['_statistics_'], ['sales']] })).toEqual([
      '_statistics_',
      'sales',
    ]);
  });
});

describe('parseRepositories', () => {
  it('reads SHOW REPOSITORIES, read-only flag and error message', () => {
    const repos = parseRepositories({
      columns: ['RepoId', 'RepoName', 'CreateTime', 'IsReadOnly', 'Location', 'Broker', 'ErrMsg'],
      rows: [
        ['10001', 's3_repo', '2024-01-02 03:04:05', 'false', 's3a://bucket/backups', '', null],
        ['10002', 'ro', '2024-01-02 03:04:05', 'true', 's3a://bucket/ro', '', '2024-01-03 00:00:00: boom'],
      ],
    });
    expect(repos[0]).toEqual({
      repoId: '10001',
      name: 's3_repo',
      createTime: '2024-01-02 03:04:05',
      readOnly: false,
      location: 's3a://bucket/backups',
      broker: '',
      errMsg: null,
    });
    expect(repos[1]?.readOnly).toBe(true);
    expect(repos[1]?.errMsg).toBe('2024-01-03 00:00:00: boom');
  });
});
