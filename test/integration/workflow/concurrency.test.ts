import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotLabel } from '#domain/starrocks/index.ts';
import { registerLocalHolder } from '#local/runner/execution-registry.ts';
import {
  database,
  expectCleanEnd,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

describe('nightly backup through the local runner: idempotency, locks and concurrency', () => {
  let harness: WorkflowHarness;
  const leftoverSlot = new Date('2026-11-20T18:00:00.000Z');

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version: '3.5',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [
        'busy',
        'wrapped',
        'held',
        'dead',
        'expired',
        'twice',
        'leftover',
        'replaced',
        'c1',
        'c2',
        'c3',
        'lost',
        'lapsed',
      ].map((name) => database(name)),
      snapshots: [
        {
          repository: 's3_repo',
          name: buildSnapshotLabel({
            cluster: 'test',
            schedule: 'nightly',
            database: 'leftover',
            scheduledTime: leftoverSlot,
          }),
          database: 'leftover',
          status: 'ERROR',
        },
      ],
    });
  });

  // Scenario 16, after every scenario: one terminal catalog item per attempted database, no lease left held.
  afterEach(async () => {
    expect(await harness.cleanEndOfRuns()).toEqual({ notOneItem: [], heldByRuns: [] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it.each([
    ['busy', false],
    ['wrapped', true],
  ])(
    'retries when StarRocks says the database %s already runs a job (wrapped: %s) and then finishes',
    async (name, wrap) => {
      // Prepare
      harness.emulator.faults.rejectBackups(name, 1, { wrapUnexpectedException: wrap });

      // Act
      const run = await harness.run({ databases: [name] });

      // Assess
      expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
      expect(harness.statements('BACKUP').filter((sql) => sql.includes(`\`${name}\``))).toHaveLength(2);
      expect((await expectCleanEnd(harness, run, [name])).heldLocks).toBe(0);
    },
  );

  it('waits for a live lock holder, then records SKIPPED with the holder and sends no alert', async () => {
    // Prepare
    const holder = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:someone-else';
    await harness.locks.acquireLock({ cluster: 'test', database: 'held', holder, leaseSeconds: 7200 });
    const requestsBefore = harness.slack.requests.length;

    // Act
    const run = await harness.run({ databases: ['held'] });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.results.map((r) => r.state)).toEqual(['SKIPPED']);
    expect(run.results[0]?.error).toContain(`lock-held by ${holder}`);
    const lockAttempts = run.events.filter(
      (e) =>
        e.event.type === 'StateRetried' &&
        (e.event as { state: { name: string } }).state.name === 'AcquireLock',
    );
    expect(lockAttempts.length).toBeGreaterThanOrEqual(5);
    expect(harness.statements('BACKUP').some((sql) => sql.includes('`held`'))).toBe(false);
    expect(harness.slack.requests.length).toBe(requestsBefore);
    const held = await harness.locks.listHeld('test');
    expect(held.locks.map((lock) => lock.holder)).toEqual([holder]);
    expect(held.slots).toHaveLength(0);
  });

  it('takes over the lock of a holder whose execution has ended and finishes the backup', async () => {
    // Prepare: a local execution of a process that no longer exists.
    const holder = 'arn:aws:states:local-2147483600:000000000000:execution:backupDatabase:crashed';
    await harness.locks.acquireLock({ cluster: 'test', database: 'dead', holder, leaseSeconds: 7200 });

    // Act
    const run = await harness.run({ databases: ['dead'] });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    expect((await expectCleanEnd(harness, run, ['dead'])).heldLocks).toBe(0);
  });

  it('takes over a lock whose lease has expired and finishes the backup', async () => {
    // Prepare
    const holder = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:stale';
    await harness.locks.acquireLock({ cluster: 'test', database: 'expired', holder, leaseSeconds: 60 });
    harness.clock.advance(61_000);

    // Act
    const run = await harness.run({ databases: ['expired'] });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
  });

  it('keeps the submission time when a SubmitBackup retry finds its own job after the first answer was lost', async () => {
    // Prepare: Lambda's timer fires after BACKUP was accepted, before Step Functions saw the answer.
    let lost = false;

    // Act
    const run = await harness.run({
      databases: ['lost'],
      afterTask: ({ stateName }) => {
        if (stateName !== 'SubmitBackup' || lost) return;
        lost = true;
        const timedOut = new Error('Task timed out after 100.00 seconds');
        timedOut.name = 'Sandbox.Timedout';
        throw timedOut;
      },
    });

    // Assess: one BACKUP, recorded as ours (no `adopted`), with its duration for the poll history.
    expect(harness.statements('BACKUP').filter((sql) => sql.includes('`lost`'))).toHaveLength(1);
    const [item] = (await harness.catalog.listRun({ runId: run.executionArn })).items;
    expect(item).toMatchObject({ database: 'lost', state: 'FINISHED', reason: null });
    expect(item?.durationSeconds).toBeGreaterThan(0);
  });

  it('keeps a running holder’s lock after its lease lapsed: a second run waits and skips', async () => {
    // Prepare: a running local execution whose lease ran out an hour ago (it renews only at its next step).
    const holder = registerLocalHolder('backupDatabase', 'slow-step');
    await harness.locks.acquireLock({
      cluster: 'test',
      database: 'lapsed',
      holder: holder.arn,
      leaseSeconds: 60,
    });
    harness.clock.advance(3_600_000);

    // Act
    const run = await harness.run({ databases: ['lapsed'] });
    const held = (await harness.locks.listHeld('test')).locks.find((lock) => lock.database === 'lapsed');
    holder.end();
    if (held) {
      await harness.locks.releaseLock({
        cluster: 'test',
        database: 'lapsed',
        holder: holder.arn,
        token: held.token,
      });
    }

    // Assess
    expect(run.results.map((r) => [r.state, r.error])).toEqual([
      ['SKIPPED', expect.stringMatching(/^lock-held by .*slow-step/)],
    ]);
    expect(held).toMatchObject({ holder: holder.arn, expired: true });
    expect(harness.statements('BACKUP').filter((sql) => sql.includes('`lapsed`'))).toEqual([]);
  });

  it('runs the same scheduled slot twice with one BACKUP in total, and both runs report success', async () => {
    // Act
    const first = await harness.run({ databases: ['twice'] });
    const second = await harness.run({ databases: ['twice'] });

    // Assess
    expect(first.results.map((r) => [r.state, r.error])).toEqual([['FINISHED', null]]);
    expect(second.results.map((r) => [r.state, r.snapshot])).toEqual([
      ['FINISHED', first.results[0]?.snapshot],
    ]);
    expect(harness.statements('BACKUP').filter((sql) => sql.includes('`twice`'))).toHaveLength(1);
    const secondItems = await harness.catalog.listRun({ runId: second.executionArn });
    expect(secondItems.items.map((item) => item.reason)).toEqual(['adopted']);
    expect((await expectCleanEnd(harness, second, ['twice'])).terminalItemsPerDatabase).toEqual({ twice: 1 });
  });

  it('moves to a new attempt suffix when an earlier attempt of the slot left a failed label behind', async () => {
    // Act
    const run = await harness.run({ databases: ['leftover'], scheduledTime: leftoverSlot });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    expect(run.results[0]?.snapshot).toMatch(/^nightly_leftover_20261120T1800Z_[0-9a-f]{12}_a2$/);
  });

  it('decides from SHOW SNAPSHOT when another job replaced our row in SHOW BACKUP after ours finished', async () => {
    // Prepare
    let replaced = false;

    // Act
    const run = await harness.run({
      databases: ['replaced'],
      beforeCheck: (name) => {
        if (name !== 'replaced' || replaced) return;
        replaced = true;
        harness.emulator.faults.replaceLatestJob('replaced', { label: 'manual_adhoc_backup' });
      },
    });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    expect(harness.emulator.state.latestJob('replaced')?.label).toBe('manual_adhoc_backup');
    expect(
      harness.statements('SHOW SNAPSHOT').some((sql) => sql.includes(run.results[0]?.snapshot ?? '?')),
    ).toBe(true);
  });

  it('never runs more jobs on the cluster than maxConcurrentBackups, across two overlapping runs', async () => {
    // Prepare
    const cluster = { maxConcurrentBackups: 1 };

    // Act
    const [a, b] = await Promise.all([
      harness.run({
        databases: ['c1', 'c2', 'c3'],
        cluster,
        scheduledTime: new Date('2026-11-10T18:00:00Z'),
        retryMs: 20,
      }),
      harness.run({
        databases: ['c1', 'c2', 'c3'],
        cluster,
        scheduledTime: new Date('2026-11-11T18:00:00Z'),
        retryMs: 20,
      }),
    ]);

    // Assess
    const states = [...a.results, ...b.results].map((r) => r.state);
    expect(states.filter((state) => state === 'FINISHED').length).toBeGreaterThanOrEqual(3);
    expect(states.every((state) => state === 'FINISHED' || state === 'SKIPPED')).toBe(true);
    const intervals = harness.emulator.state
      .jobs()
      .filter((job) => ['c1', 'c2', 'c3'].includes(job.database))
      .map((job) => [Number(job.createdAt), Number(job.finishedAt)] as const)
      .sort((x, y) => x[0] - y[0]);
    expect(intervals.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < intervals.length; i += 1) {
      expect(intervals[i]?.[0]).toBeGreaterThanOrEqual(intervals[i - 1]?.[1] ?? Number.POSITIVE_INFINITY);
    }
    expect((await expectCleanEnd(harness, a, [])).heldSlots).toBe(0);
  });
});
