// Runs in milliseconds: which chains a drill carries in its state and how its steps are walked, no I/O.
import { describe, expect, it } from 'vitest';
import {
  CHAIN_DROPS_MAX,
  type DrillChain,
  dropsUntilNextRestore,
  firstRestoreIndex,
  planDrillChain,
  restoreJobsOf,
  stepsLeftAfter,
} from '#domain/restore/drill-chain.ts';
import type { RestoreSnapshot } from '#domain/restore/restore-plan.ts';
import {
  dailyPartitions,
  manifest,
  part,
  table,
  view,
  withPartition,
} from '../differential/manifest-builders.ts';

function snapshot(label: string): RestoreSnapshot {
  return {
    label,
    repository: 's3_repo',
    snapshotTimestamp: `${label}-ts`,
    scheduledTime: '2026-11-25T18:00:00.000Z',
    finishedAt: null,
    tableCount: null,
    sizeBytes: null,
  };
}

const CHOICE = { kind: 'differential', snapshot: snapshot('d1'), full: snapshot('f1') } as const;

describe('planDrillChain', () => {
  it('carries the full, the drops and the differential with its partitions, without the check', () => {
    // Prepare: one partition dropped, one loaded, one added since the full.
    const facts = table('facts', dailyPartitions(3));
    const full = manifest([facts, table('dim', [part('dim', 1, 2)], 'UNPARTITIONED')]);
    let changed = withPartition(facts, 'p0000', null);
    changed = withPartition(changed, 'p0001', part('p0001', 10_001, 3));
    changed = { ...changed, partitions: [...changed.partitions, part('p0003', 20_000, 2)] };
    const differential = manifest([changed, table('dim', [part('dim', 1, 2)], 'UNPARTITIONED')]);

    // Act
    const point = planDrillChain(CHOICE, { differential, full });

    // Assess
    expect(point.kind).toBe('chain');
    const chain = (point as { chain: DrillChain }).chain;
    expect(chain.full.label).toBe('f1');
    expect(chain.steps).toEqual([
      { step: 'restore', of: 'full', tables: null },
      { step: 'drop-partitions', table: 'facts', partitions: ['p0000'], why: 'dropped-since-full' },
      { step: 'restore', of: 'differential', tables: [{ name: 'facts', partitions: ['p0001', 'p0003'] }] },
    ]);
    expect(firstRestoreIndex(chain)).toBe(0);
    expect(stepsLeftAfter(chain, 0)).toBe(true);
    expect(stepsLeftAfter(chain, 2)).toBe(false);
    expect(dropsUntilNextRestore(chain, 0)).toEqual({ drops: [chain.steps[1]], next: 2 });
    expect(dropsUntilNextRestore(chain, 2)).toEqual({ drops: [], next: null });
    expect(restoreJobsOf({ targetDatabase: 'scratch', snapshot: snapshot('d1'), chain })).toEqual([
      { targetDatabase: 'scratch', label: 'f1', snapshotTimestamp: 'f1-ts' },
      { targetDatabase: 'scratch', label: 'd1', snapshotTimestamp: 'd1-ts' },
    ]);
  });

  it('falls back to the full, saying why, for a missing manifest, a view in the differential, or too many drops', () => {
    // Prepare
    const many = table('facts', dailyPartitions(CHAIN_DROPS_MAX + 2));
    const fewer = { ...many, partitions: many.partitions.slice(CHAIN_DROPS_MAX + 1) };
    const withView = manifest([table('facts', dailyPartitions(2))], [view('v_sales')]);

    // Act
    const missing = planDrillChain(CHOICE, { differential: manifest([many]), full: undefined });
    const views = planDrillChain(CHOICE, {
      differential: withView,
      full: manifest([table('facts', dailyPartitions(2))]),
    });
    const drops = planDrillChain(CHOICE, { differential: manifest([fewer]), full: manifest([many]) });

    // Assess
    expect(missing).toEqual({
      kind: 'full',
      why: 'differential d1 (of full f1): the catalog holds no partition manifest of the full f1',
    });
    expect(views).toEqual({
      kind: 'full',
      why: 'differential d1 (of full f1): it holds views or materialized views (v_sales), which a chain restore does not restore yet',
    });
    expect(drops).toEqual({
      kind: 'full',
      why: `differential d1 (of full f1): its chain drops ${CHAIN_DROPS_MAX + 1} partitions, more than a drill drops (${CHAIN_DROPS_MAX})`,
    });
  });
});
