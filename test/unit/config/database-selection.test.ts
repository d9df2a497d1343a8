import { describe, expect, it } from 'vitest';
import { SYSTEM_DATABASES, selectDatabases } from '#domain/config/index.ts';

describe('selectDatabases', () => {
  it('skips the system databases even when included by name', () => {
    const names = ['information_schema', 'sys', '_statistics_', 'starrocks_audit_db__', 'sales'];
    const selection = selectDatabases(names, { include: ['*', 'sys', '_statistics_'], exclude: [] });
    expect(selection.selected).toEqual(['sales']);
    expect(selection.excluded).toEqual([
      { name: 'information_schema', reason: 'system' },
      { name: 'sys', reason: 'system' },
      { name: '_statistics_', reason: 'system' },
      { name: 'starrocks_audit_db__', reason: 'system' },
    ]);
    expect([...SYSTEM_DATABASES].sort()).toEqual([
      '_statistics_',
      'information_schema',
      'starrocks_audit_db__',
      'sys',
    ]);
  });

  it('lets an exclude pattern win over include and names the pattern', () => {
    const selection = selectDatabases(['sales', 'scratch_1', 'tmp_x'], {
      include: ['*'],
      exclude: ['tmp_*', 'scratch_*'],
    });
    expect(selection).toEqual({
      selected: ['sales'],
      excluded: [
        { name: 'scratch_1', reason: 'excluded-by-pattern', pattern: 'scratch_*' },
        { name: 'tmp_x', reason: 'excluded-by-pattern', pattern: 'tmp_*' },
      ],
    });
  });

  it('leaves out what no include pattern matches, keeping input order', () => {
    const selection = selectDatabases(['web', 'sales_eu', 'sales_us', 'hr'], {
      include: ['sales_*', 'hr'],
      exclude: [],
    });
    expect(selection.selected).toEqual(['sales_eu', 'sales_us', 'hr']);
    expect(selection.excluded).toEqual([{ name: 'web', reason: 'not-included' }]);
  });

  it('matches case-sensitively and against the whole name', () => {
    const selection = selectDatabases(['Sales', 'sales', 'presales', 'sales.v2'], {
      include: ['sales*'],
      exclude: [],
    });
    expect(selection.selected).toEqual(['sales', 'sales.v2']);
  });

  it('supports ?, character classes and alternatives', () => {
    const names = ['db1', 'db2', 'db10', 'dbx', 'eu', 'us', 'apac'];
    expect(selectDatabases(names, { include: ['db?'], exclude: [] }).selected).toEqual(['db1', 'db2', 'dbx']);
    expect(selectDatabases(names, { include: ['db[0-9]'], exclude: [] }).selected).toEqual(['db1', 'db2']);
    expect(selectDatabases(names, { include: ['db[^0-9]'], exclude: [] }).selected).toEqual(['dbx']);
    expect(selectDatabases(names, { include: ['{eu,us}'], exclude: [] }).selected).toEqual(['eu', 'us']);
  });

  it('treats a leading ! literally rather than as negation', () => {
    expect(selectDatabases(['sales'], { include: ['!sales'], exclude: [] }).selected).toEqual([]);
  });
});
