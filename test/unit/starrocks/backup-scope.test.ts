import { describe, expect, it } from 'vitest';
import {
  capabilitiesOf,
  classifyTable,
  planBackupScope,
  type TableInfo,
  withRefusal,
} from '#domain/starrocks/index.ts';

const table = (name: string, tableType: string, engine: string | null): TableInfo => ({
  name,
  tableType,
  engine,
  kind: classifyTable(tableType, engine),
});
const MIXED = [
  table('facts', 'BASE TABLE', 'StarRocks'),
  table('mv', 'VIEW', 'StarRocks'),
  table('v', 'VIEW', null),
  table('ext', 'BASE TABLE', 'MySQL'),
];
const at = (version: string) => {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return capabilitiesOf({ major, minor, patch });
};

describe('planBackupScope', () => {
  it('backs up a database of OLAP tables whole on every version (with its UDFs from 3.4)', () => {
    for (const [version, objects] of [
      ['3.0', ['TABLE']],
      ['3.3', ['TABLE']],
      ['3.4', ['TABLE', 'FUNCTION']],
      ['4.1', ['TABLE', 'FUNCTION']],
    ] as const) {
      const scope = planBackupScope(at(version), [table('t', 'BASE TABLE', 'StarRocks')]);
      expect(scope).toMatchObject({ objects, omitted: [] });
      expect('on' in scope ? scope.on : undefined).toBeUndefined();
    }
  });

  it('on 3.0 and 3.1 lists only the OLAP tables, leaving out the MV, the view and the external table', () => {
    const scope = planBackupScope(at('3.1'), MIXED);
    expect(scope).toMatchObject({ on: [{ name: 'facts' }], objects: ['TABLE'] });
    expect('omitted' in scope ? scope.omitted.map((o) => [o.name, o.why]) : []).toEqual([
      ['mv', 'materialized-view-before-3.2'],
      ['v', 'view-before-3.4'],
      ['ext', 'external-table'],
    ]);
  });

  it('on 3.2 and 3.3 keeps the MV in the ON list (PR #29164)', () => {
    expect(planBackupScope(at('3.2'), MIXED)).toMatchObject({
      on: [{ name: 'facts' }, { name: 'mv', type: 'MATERIALIZED_VIEW' }],
      objects: ['TABLE', 'MATERIALIZED_VIEW'],
    });
  });

  it('from 3.4 tries the whole database first (it also carries UDFs)', () => {
    const scope = planBackupScope(at('3.4'), MIXED);
    expect(scope).toMatchObject({ objects: ['TABLE', 'MATERIALIZED_VIEW', 'VIEW', 'FUNCTION'], omitted: [] });
    expect('on' in scope ? scope.on : undefined).toBeUndefined();
  });

  it('says nothing can be backed up when only views are there before 3.4, without calling it a failure', () => {
    expect(planBackupScope(at('3.3'), [table('v', 'VIEW', null)])).toMatchObject({
      nothing: true,
      failure: false,
    });
  });

  it('refuses to guess about an object of unknown type before 3.4', () => {
    expect(
      planBackupScope(at('3.3'), [
        table('facts', 'BASE TABLE', 'StarRocks'),
        table('odd', 'BASE TABLE', null),
      ]),
    ).toEqual({
      unclassifiable: [expect.objectContaining({ name: 'odd' })],
    });
    expect(planBackupScope(at('3.4'), [table('odd', 'BASE TABLE', null)])).toMatchObject({ omitted: [] });
  });
});

describe('withRefusal', () => {
  it('from 3.4 narrows a refused whole database to an explicit list with ALL FUNCTIONS, leaving out the external table', () => {
    const first = planBackupScope(at('3.5'), MIXED);
    if (!('objects' in first)) throw new Error('expected a scope');
    const scope = withRefusal(at('3.5'), MIXED, first, [{ name: 'ext', kind: 'EXTERNAL', why: 'refused' }]);
    expect(scope).toMatchObject({
      on: [{ name: 'facts' }, { name: 'mv', type: 'MATERIALIZED_VIEW' }, { name: 'v', type: 'VIEW' }],
      allFunctions: true,
      omitted: [expect.objectContaining({ name: 'ext' })],
    });
  });

  it('leaves a refused list-partitioned table out, and calls it a failure when nothing else is left', () => {
    const tables = [table('by_city', 'BASE TABLE', 'StarRocks')];
    const first = planBackupScope(at('3.3'), tables);
    if (!('objects' in first)) throw new Error('expected a scope');
    expect(
      withRefusal(at('3.3'), tables, first, [{ name: 'by_city', kind: 'OLAP', why: 'list-partitioned' }]),
    ).toMatchObject({
      nothing: true,
      failure: true,
    });
  });
});
