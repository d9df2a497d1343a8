import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotLabel } from '#domain/starrocks/index.ts';
import {
  database,
  SLOT,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

// A run whose queue spans several pages and whose lanes hand over to new generations, through the real ASL, the
// real handlers, dynalite and the emulator (pages of 2, 2 claims per lane generation). About 3 s.

const NAMES = ['a_small', 'b_huge', 'c_mid', 'd_tiny', 'e_large', 'f_new', 'g_mid2'];
/** What the catalog says each took last time (f_new was never backed up). */
const HISTORY_SECONDS: Record<string, number> = {
  a_small: 120,
  b_huge: 7200,
  c_mid: 900,
  d_tiny: 30,
  e_large: 3600,
  g_mid2: 1000,
};

describe('nightly backup in lanes over a paged queue', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version: '3.5',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: NAMES.map((name) => database(name)),
    });
    // Earlier nights: each database's last good backup and its duration.
    const earlier = new Date(SLOT.getTime() - 86_400_000);
    for (const name of Object.keys(HISTORY_SECONDS)) {
      await harness.catalog.recordAttempt({
        cluster: harness.clusterName,
        database: name,
        label: buildSnapshotLabel({
          cluster: harness.clusterName,
          schedule: 'nightly',
          database: name,
          scheduledTime: earlier,
        }),
        repository: 's3_repo',
        schedule: 'nightly',
        scheduledTime: earlier.toISOString(),
        runId: 'earlier-run',
        executionId: `earlier-${name}`,
        attempt: 1,
        state: 'FINISHED',
        reason: null,
        startedAt: null,
        finishedAt: earlier.toISOString(),
        durationSeconds: HISTORY_SECONDS[name] ?? null,
        snapshotTimestamp: '2026-11-23-18-00-00-000',
        verified: true,
        sizeBytes: 1024,
        tableCount: 2,
        starRocksJobId: null,
      });
    }
  });

  afterEach(async () => {
    expect(await harness.cleanEndOfRuns()).toEqual({ notOneItem: [], heldByRuns: [] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('backs up every database once, the unknown and the longest first, across pages and lane generations', async () => {
    // Act
    const run = await harness.run({
      cluster: { maxConcurrentBackups: 2 },
      tuning: { pageSize: 2, laneIterations: 2 },
    });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.results.map((r) => [r.database, r.state])).toEqual(NAMES.map((name) => [name, 'FINISHED']));
    const order = harness
      .statements('BACKUP')
      .map((sql) => NAMES.find((name) => sql.includes(`\`${name}\``)))
      .filter((name) => name !== undefined);
    expect(order).toHaveLength(NAMES.length);
    // Two lanes take the queue in order: unknown first, then longest expected first.
    expect(order.slice(0, 2).sort()).toEqual(['b_huge', 'f_new']);
    expect(order.slice(2, 4).sort()).toEqual(['e_large', 'g_mid2']);
    expect(order.slice(-1)).toEqual(['d_tiny']);
    const lanes = run.events.filter(
      (e) => e.stateMachine === 'backupLane' && e.event.type === 'ExecutionStarted',
    );
    expect(new Set(lanes.map((e) => e.executionName.split('-g')[0])).size).toBe(2);
    expect(lanes.length).toBeGreaterThanOrEqual(4);
  });
});
