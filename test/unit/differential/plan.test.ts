// Runs in milliseconds: pure planning over in-memory manifests, no I/O.
import { describe, expect, it } from 'vitest';
import { type ObjectPlan, planDifferential } from '#domain/differential/index.ts';
import { dailyPartitions, manifest, mv, part, table, view, withPartition } from './manifest-builders.ts';

const fact = table('fact', dailyPartitions(365));
const dim = table('dim', [part('dim', 500, 7)], 'UNPARTITIONED');
const full = manifest([fact, dim], [view('v_fact'), mv('mv_daily')]);

function entry(plan: { objects: readonly ObjectPlan[] }, name: string): ObjectPlan {
  const found = plan.objects.find((object) => object.name === name);
  if (!found) throw new Error(`no plan for ${name}`);
  return found;
}

describe('planDifferential', () => {
  it('finds nothing to back up when nothing changed: the run is skipped as unchanged', () => {
    const plan = planDifferential(full, structuredClone(full));
    expect(plan.unchanged).toBe(true);
    expect(plan.backup).toEqual([]);
    expect(plan.droppedTables).toEqual([]);
    expect(plan.objects.map((object) => object.change)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('backs up a new partition of a range table, and only it', () => {
    const now = manifest(
      [{ ...fact, partitions: [...fact.partitions, part('p0365', 20_000, 2)] }, dim],
      full.others,
    );
    const plan = planDifferential(full, now);
    expect(plan.unchanged).toBe(false);
    expect(entry(plan, 'fact')).toEqual({
      name: 'fact',
      kind: 'OLAP',
      change: 'partitions',
      partitions: ['p0365'],
      replacedPartitions: [],
      droppedPartitions: [],
    });
    expect(plan.backup).toEqual([{ name: 'fact', kind: 'OLAP', partitions: ['p0365'] }]);
    expect(entry(plan, 'dim').change).toBe('unchanged');
  });

  it('backs up a partition whose visible version moved, and a late update of an old partition', () => {
    let changed = withPartition(fact, 'p0364', part('p0364', 10_364, 3));
    changed = withPartition(changed, 'p0007', part('p0007', 10_007, 9));
    const plan = planDifferential(full, manifest([changed, dim], full.others));
    expect(plan.backup).toEqual([{ name: 'fact', kind: 'OLAP', partitions: ['p0007', 'p0364'] }]);
  });

  it('backs up a partition replaced under the same name even when its version went down', () => {
    // INSERT OVERWRITE / TRUNCATE: new PARTITION_ID, version may be lower (research §4.5).
    const now = manifest([withPartition(fact, 'p0100', part('p0100', 30_000, 1)), dim], full.others);
    const plan = entry(planDifferential(full, now), 'fact');
    expect(plan).toMatchObject({
      change: 'partitions',
      partitions: ['p0100'],
      replacedPartitions: ['p0100'],
    });
  });

  it('records a dropped partition: nothing to back up for the table, but the run is not unchanged', () => {
    const now = manifest([withPartition(fact, 'p0000', null), dim], full.others);
    const plan = planDifferential(full, now);
    expect(plan.unchanged).toBe(false);
    expect(entry(plan, 'fact')).toMatchObject({
      change: 'partitions',
      partitions: [],
      droppedPartitions: ['p0000'],
    });
    expect(plan.backup).toEqual([]);
  });

  it('takes a new table whole', () => {
    const now = manifest([fact, dim, table('events', [part('e1', 1, 2)])], full.others);
    const plan = planDifferential(full, now);
    expect(entry(plan, 'events')).toEqual({
      name: 'events',
      kind: 'OLAP',
      change: 'whole',
      why: 'new-table',
    });
    expect(plan.backup).toEqual([{ name: 'events', kind: 'OLAP', partitions: null }]);
  });

  it('takes a table whose schema changed whole, although no partition version moved', () => {
    const now = manifest([{ ...fact, fingerprint: 'fp-fact-with-new-column' }, dim], full.others);
    const plan = planDifferential(full, now);
    expect(entry(plan, 'fact')).toMatchObject({ change: 'whole', why: 'schema-changed' });
    expect(plan.unchanged).toBe(false);
  });

  it('takes a table whose partitioning changed whole', () => {
    const now = manifest([{ ...fact, partitioning: 'LIST' }, dim], full.others);
    expect(entry(planDifferential(full, now), 'fact')).toMatchObject({
      change: 'whole',
      why: 'schema-changed',
    });
  });

  it('lists tables dropped since the full, and the run is not unchanged', () => {
    const plan = planDifferential(full, manifest([fact], full.others));
    expect(plan.droppedTables).toEqual(['dim']);
    expect(plan.unchanged).toBe(false);
    expect(plan.objects.map((object) => object.name)).not.toContain('dim');
  });

  it('takes a list-partitioned table whole when it gained a partition (RESTORE cannot add one)', () => {
    const list = table('by_region', [part('eu', 1, 2), part('us', 2, 2)], 'LIST');
    const before = manifest([list]);
    const now = manifest([{ ...list, partitions: [...list.partitions, part('apac', 3, 2)] }]);
    const plan = planDifferential(before, now);
    expect(entry(plan, 'by_region')).toMatchObject({ change: 'whole', why: 'not-range-partitioned' });
    expect(plan.backup).toEqual([{ name: 'by_region', kind: 'OLAP', partitions: null }]);
  });

  it('takes a list-partitioned table whole when a partition was replaced', () => {
    const list = table('by_region', [part('eu', 1, 2), part('us', 2, 2)], 'LIST');
    const now = manifest([withPartition(list, 'us', part('us', 9, 2))]);
    expect(entry(planDifferential(manifest([list]), now), 'by_region')).toMatchObject({ change: 'whole' });
  });

  it('backs up only the moved partitions of a list table whose partition set is the same (overwrite in place)', () => {
    const list = table('by_region', [part('eu', 1, 2), part('us', 2, 2)], 'LIST');
    const now = manifest([withPartition(list, 'us', part('us', 2, 5))]);
    expect(planDifferential(manifest([list]), now).backup).toEqual([
      { name: 'by_region', kind: 'OLAP', partitions: ['us'] },
    ]);
  });

  it('takes a changed unpartitioned table whole', () => {
    const now = manifest([fact, withPartition(dim, 'dim', part('dim', 500, 8))], full.others);
    expect(entry(planDifferential(full, now), 'dim')).toMatchObject({
      change: 'whole',
      why: 'not-range-partitioned',
    });
  });

  it('takes a table whole when a changed partition has several physical partitions', () => {
    const before = table('auto', [part('a', 1, 2, 2), part('b', 2, 2)]);
    const now = table('auto', [part('a', 1, 3, 2), part('b', 2, 2)]);
    expect(entry(planDifferential(manifest([before]), manifest([now])), 'auto')).toMatchObject({
      change: 'whole',
      why: 'automatic-bucketing',
    });
    // An unchanged one with several physical partitions does not matter.
    const other = table('auto', [part('a', 1, 2, 2), part('b', 2, 3)]);
    expect(planDifferential(manifest([before]), manifest([other])).backup).toEqual([
      { name: 'auto', kind: 'OLAP', partitions: ['b'] },
    ]);
  });

  it('ignores shadow ($) partitions of automatic-partition tables', () => {
    const before = table('auto', [part('$shadow', 1, 1), part('p1', 2, 2)], 'EXPR_RANGE');
    const now = table('auto', [part('$shadow', 1, 5), part('p1', 2, 2)], 'EXPR_RANGE');
    expect(planDifferential(manifest([before]), manifest([now])).unchanged).toBe(true);
  });

  it('takes new views whole, and views and MVs whose definition changed', () => {
    const now = manifest([fact, dim], [view('v_fact', 'def-2'), mv('mv_daily', 'def-2'), view('v_new')]);
    const plan = planDifferential(full, now);
    expect(entry(plan, 'v_fact')).toMatchObject({ kind: 'VIEW', change: 'whole', why: 'definition-changed' });
    expect(entry(plan, 'mv_daily')).toMatchObject({ change: 'whole', why: 'definition-changed' });
    expect(entry(plan, 'v_new')).toMatchObject({ change: 'whole', why: 'new-table' });
  });

  it('leaves unchanged MVs out by default, and takes them whole on request without making the run changed', () => {
    expect(entry(planDifferential(full, full), 'mv_daily').change).toBe('unchanged');
    const plan = planDifferential(full, full, { materializedViews: 'whole' });
    expect(entry(plan, 'mv_daily')).toMatchObject({ change: 'whole', why: 'materialized-view' });
    expect(plan.unchanged).toBe(true);
    const changed = manifest([withPartition(fact, 'p0001', part('p0001', 10_001, 3)), dim], full.others);
    expect(planDifferential(full, changed, { materializedViews: 'whole' }).backup.map((o) => o.name)).toEqual(
      ['fact', 'mv_daily'],
    );
  });

  it('treats an object that changed kind under the same name as a schema change', () => {
    const now = manifest([fact, dim, table('v_fact', [part('x', 1, 2)])], [mv('mv_daily')]);
    expect(entry(planDifferential(full, now), 'v_fact')).toMatchObject({
      change: 'whole',
      why: 'schema-changed',
    });
  });
});
