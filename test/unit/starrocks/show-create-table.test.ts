// Time: about 0.01 s of tests (4 cases); pure functions over DDL texts.
import { describe, expect, it } from 'vitest';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import {
  createTableWithoutPartitions,
  parseShowCreateTable,
  tableFingerprint,
} from '#domain/starrocks/parse-partitions.ts';
import { buildShowCreateTableStatement } from '#domain/starrocks/statements.ts';

/** The layout AstToStringBuilder.getDdlStmt writes (UNVERIFIED characters); a comment holds parentheses. */
function ddl(columns: string, partitions: string): string {
  return [
    'CREATE TABLE `sales` (',
    columns,
    ') ENGINE=OLAP',
    'DUPLICATE KEY(`dt`)',
    'PARTITION BY RANGE(`dt`)',
    partitions,
    'DISTRIBUTED BY HASH(`dt`) BUCKETS 8',
    'PROPERTIES (',
    '"replication_num" = "3"',
    ');',
  ].join('\n');
}

const COLUMNS = '  `dt` date NOT NULL COMMENT "day (UTC)",\n  `amount` int NULL COMMENT ""';
const TWO =
  '(PARTITION p1 VALUES [("2026-11-21"), ("2026-11-22")),\nPARTITION p2 VALUES [("2026-11-22"), ("2026-11-23")))';
const ONE = '(PARTITION p2 VALUES [("2026-11-22"), ("2026-11-23")))';

describe('SHOW CREATE TABLE in the table fingerprint', () => {
  it('builds the statement with quoted names', () => {
    expect(buildShowCreateTableStatement('dw', 'sales')).toEqual({
      kind: 'SHOW CREATE TABLE',
      sql: 'SHOW CREATE TABLE `dw`.`sales`',
    });
  });

  it('removes exactly the partition list (range brackets and quoted parentheses respected)', () => {
    expect(createTableWithoutPartitions(ddl(COLUMNS, TWO))).toBe(ddl(COLUMNS, ''));
    expect(createTableWithoutPartitions(ddl(COLUMNS, TWO))).toBe(
      createTableWithoutPartitions(ddl(COLUMNS, ONE)),
    );
    const unpartitioned =
      'CREATE TABLE `d` (\n  `id` int NULL\n) ENGINE=OLAP\nDISTRIBUTED BY HASH(`id`) BUCKETS 1';
    expect(createTableWithoutPartitions(unpartitioned)).toBe(unpartitioned);
  });

  it('changes the fingerprint for a column change, not for a partition change', () => {
    const withColumn = `${COLUMNS},\n  \`source\` varchar(16) NULL COMMENT ""`;
    expect(tableFingerprint('RANGE', [], ddl(COLUMNS, TWO))).toBe(
      tableFingerprint('RANGE', [], ddl(COLUMNS, ONE)),
    );
    expect(tableFingerprint('RANGE', [], ddl(withColumn, TWO))).not.toBe(
      tableFingerprint('RANGE', [], ddl(COLUMNS, TWO)),
    );
  });

  it('reads the Create Table cell and refuses an empty answer', () => {
    expect(
      parseShowCreateTable({ columns: ['Table', 'Create Table'], rows: [['sales', 'CREATE TABLE x']] }),
    ).toBe('CREATE TABLE x');
    expect(() => parseShowCreateTable({ columns: ['Table', 'Create Table'], rows: [] })).toThrow(
      StarRocksResultShapeError,
    );
  });
});
