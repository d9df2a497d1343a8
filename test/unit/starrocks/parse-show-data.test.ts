import { describe, expect, it } from 'vitest';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { parseDataSize, parseShowData } from '#domain/starrocks/parse-show-data.ts';

const COLUMNS = ['TableName', 'Size', 'ReplicaCount'];

describe('parseDataSize', () => {
  it('converts StarRocks’ size texts to bytes with binary units', () => {
    expect(parseDataSize('900.000 B')).toBe(900);
    expect(parseDataSize('1.400 KB')).toBe(1434);
    expect(parseDataSize('1024.000 GB')).toBe(1024 ** 4);
  });

  it('reads zero with or without its unit', () => {
    expect(parseDataSize('0.000 B')).toBe(0);
    expect(parseDataSize('0.000 ')).toBe(0);
  });

  it('refuses text that is not a size', () => {
    expect(() => parseDataSize('lots')).toThrow(StarRocksResultShapeError);
    expect(() => parseDataSize('1.000 XB')).toThrow(StarRocksResultShapeError);
  });
});

describe('parseShowData', () => {
  it('separates table rows from the Total, Quota and Left summary', () => {
    const result = parseShowData({
      columns: COLUMNS,
      rows: [
        ['orders', '1.400 KB', '3'],
        ['customers', '900.000 B', '3'],
        ['Total', '2.279 KB', '6'],
        ['Quota', '1024.000 TB', ''],
        ['Left', '1023.999 TB', ''],
      ],
    });
    expect(result.tableCount).toBe(2);
    expect(result.tables.map((table) => table.tableName)).toEqual(['orders', 'customers']);
    expect(result.tables[0]).toEqual({
      tableName: 'orders',
      sizeText: '1.400 KB',
      sizeBytes: 1434,
      replicaCount: 3,
    });
    expect(result.totalSizeText).toBe('2.279 KB');
    expect(result.totalBytes).toBe(2334);
    expect(result.quotaText).toBe('1024.000 TB');
    expect(result.leftText).toBe('1023.999 TB');
  });

  it('counts a table that is itself called Total', () => {
    const result = parseShowData({
      columns: COLUMNS,
      rows: [
        ['Total', '1.000 KB', '1'],
        ['Total', '1.000 KB', '1'],
        ['Quota', '1.000 TB', ''],
        ['Left', '1.000 TB', ''],
      ],
    });
    expect(result.tableCount).toBe(1);
  });

  it('reads an empty database as zero tables', () => {
    const result = parseShowData({
      columns: COLUMNS,
      rows: [
        ['Total', '0.000 B', '0'],
        ['Quota', '1024.000 TB', ''],
        ['Left', '1024.000 TB', ''],
      ],
    });
    expect(result.tableCount).toBe(0);
  });

  it('refuses an answer without its Total row', () => {
    expect(() => parseShowData({ columns: COLUMNS, rows: [['t', '1.000 B', '1']] })).toThrow(
      StarRocksResultShapeError,
    );
  });
});
