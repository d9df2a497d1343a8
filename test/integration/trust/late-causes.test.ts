import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPauseStore, type PauseStore } from '#domain/pause/index.ts';
import { database, SLOT } from '#test/support/workflow-harness.ts';
import { sinkTexts, startTrustHarness, type TrustHarness } from './trust-harness.ts';

const HOUR = 3_600_000;
const NEXT_SLOT = new Date(SLOT.getTime() + 24 * HOUR);
const HOLDER = 'arn:aws:states:local:000000000000:execution:backupDatabase:sales-stuck-1';

describe('what counts as late besides a missed slot', () => {
  let harness: TrustHarness;
  let pauses: PauseStore;

  beforeAll(async () => {
    harness = await startTrustHarness(
      {
        version: '3.4',
        repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
        databases: [database('sales'), database('crm'), database('hr'), database('ops')],
      },
      { cluster: { freshness: { graceMinutes: 120 } } },
    );
    pauses = createPauseStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });
    const run = await harness.run({ scheduledTime: SLOT });
    if (run.status !== 'SUCCEEDED') throw new Error(`setup run ended ${run.status}`);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('counts a database whose lock is held far past our deadline as late, though its snapshot is recent', async () => {
    // Prepare: an execution takes the lock of sales an hour after the slot and never lets go
    harness.clock.set(SLOT.getTime() + HOUR);
    await harness.locks.acquireLock({
      cluster: 'test',
      database: 'sales',
      holder: HOLDER,
      leaseSeconds: 3 * 86_400,
    });
    harness.clock.set(SLOT.getTime() + 8.5 * HOUR);
    const before = harness.slack.messages.length;

    // Act
    const { check } = await harness.check();

    // Assess
    expect(check?.late).toEqual([{ database: 'sales', cause: 'stuck' }]);
    expect(check?.counts.fresh).toBe(3);
    const texts = sinkTexts(harness, before);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('A run is stuck: its lock has been held by');
    expect(texts[0]).toContain('sales-stuck-1');
  });

  it('counts the databases of a paused schedule as late, with the pause’s reason', async () => {
    // Prepare: at the next slot crm is skipped (its lock is held) and hr and ops are not run; someone pauses
    // the schedule before the slot's grace ends
    harness.clock.set(NEXT_SLOT.getTime() + 5_000);
    await harness.locks.acquireLock({ cluster: 'test', database: 'crm', holder: HOLDER, leaseSeconds: 600 });
    const skipped = await harness.run({ scheduledTime: NEXT_SLOT, databases: ['crm'] });
    harness.clock.set(NEXT_SLOT.getTime() + HOUR);
    await pauses.pause({
      cluster: 'test',
      schedule: 'nightly',
      reason: 'FE upgrade to 3.5',
      by: 'ops@example.com',
    });
    harness.clock.set(NEXT_SLOT.getTime() + 3 * HOUR);
    const before = harness.slack.messages.length;

    // Act
    const { check } = await harness.check();

    // Assess
    expect(skipped.results.map((result) => [result.database, result.state])).toEqual([['crm', 'SKIPPED']]);
    expect(check?.late).toEqual([
      { database: 'crm', cause: 'paused' },
      { database: 'hr', cause: 'paused' },
      { database: 'ops', cause: 'paused' },
      { database: 'sales', cause: 'stuck' },
    ]);
    const texts = sinkTexts(harness, before);
    expect(texts.map((text) => text.split(':').slice(0, 2).join(':'))).toEqual([
      '🚨 Backups late: test / crm',
      '🚨 Backups late: test / hr',
      '🚨 Backups late: test / ops',
    ]);
    expect(texts[1]).toContain(
      'Schedule nightly is paused by ops@example.com since 2026-11-25T19:00:00.000Z, until resumed: FE upgrade to 3.5.',
    );
  });

  it('names the skipped backup once the schedule is resumed, without a second alert', async () => {
    // Prepare
    await pauses.resume({ cluster: 'test', schedule: 'nightly' });
    harness.clock.set(NEXT_SLOT.getTime() + 4 * HOUR);
    const before = harness.slack.messages.length;

    // Act
    const { check } = await harness.check();
    const crm = (await harness.incidents.listIncidents('test')).find(
      (incident) => incident.database === 'crm',
    );

    // Assess
    expect(check?.late.map((entry) => entry.cause)).toEqual(['skipped', 'missed', 'missed', 'stuck']);
    expect(crm?.summary).toMatch(
      /The backup of that slot was skipped \(SKIPPED: lock-held by .*sales-stuck-1/,
    );
    expect(harness.slack.messages.length).toBe(before);
  });

  it('judges the catalog’s databases when the FE refuses the login, and says so, without closing incidents', async () => {
    // Prepare
    harness.emulator.faults.refuseLogins();
    harness.clock.set(NEXT_SLOT.getTime() + 5 * HOUR);

    // Act
    const result = await harness.check();
    harness.emulator.faults.clear();

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.check?.inventory).toEqual({
      source: 'catalog',
      error: expect.stringContaining('StarRocksAuthError'),
    });
    expect(result.check?.late.map((entry) => entry.database)).toEqual(['crm', 'hr', 'ops', 'sales']);
    expect(result.check?.incidents).toEqual({ opened: 0, resolved: 0, open: 4 });
  });
});
