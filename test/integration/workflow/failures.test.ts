import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseStatements } from '#local/emulator/sql/parser.ts';
import {
  database,
  expectCleanEnd,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

describe('nightly backup through the local runner: failures', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version: '3.4',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      users: [{ name: 'root', password: 'Sup3r-Secret-Pw!' }],
      databases: [
        database('alpha'),
        database('beta'),
        database('gamma'),
        database('slow'),
        database('flaky'),
        database('muted'),
        {
          name: 'odd-name~1',
          tables: [
            { name: 'we`ird; DROP DATABASE alpha; -- x', sizeBytes: 10, rows: 1 },
            { name: "it's /* not */ a comment", sizeBytes: 10, rows: 1 },
          ],
          backup: { durationMs: 60_000 },
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

  it('records a job StarRocks cancels as FAILED with its status text, alerts once, sends no CANCEL, and fails the run', async () => {
    // Prepare
    harness.emulator.faults.cancelNextBackup(
      'beta',
      '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10021. visible version: 7]',
    );
    const cancelsBefore = harness.statements('CANCEL').length;
    const requestsBefore = harness.slack.requests.length;

    // Act
    const run = await harness.run({ databases: ['alpha', 'beta', 'gamma'], password: 'Sup3r-Secret-Pw!' });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.results.map((r) => [r.database, r.state])).toEqual([
      ['alpha', 'FINISHED'],
      ['beta', 'FAILED'],
      ['gamma', 'FINISHED'],
    ]);
    expect(run.results[1]?.error).toContain('failed to choose replica to make snapshot for tablet 10021');
    const posted = harness.slack.requests.slice(requestsBefore);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.body)).toContain('beta');
    expect(harness.statements('CANCEL').length).toBe(cancelsBefore);
    expect(await expectCleanEnd(harness, run, ['alpha', 'beta', 'gamma'])).toEqual({
      terminalItemsPerDatabase: { alpha: 1, beta: 1, gamma: 1 },
      heldLocks: 0,
      heldSlots: 0,
    });
  });

  it('cancels a job that runs past timeoutSeconds with CANCEL BACKUP FROM its database, records TIMED_OUT and alerts once', async () => {
    // Prepare
    harness.emulator.faults.hangNextBackup('slow');
    const requestsBefore = harness.slack.requests.length;

    // Act
    const run = await harness.run({
      databases: ['slow'],
      cluster: { timeoutSeconds: 1800 },
      password: 'Sup3r-Secret-Pw!',
    });

    // Assess
    expect(run.results.map((r) => [r.database, r.state, r.error])).toEqual([
      ['slow', 'TIMED_OUT', 'deadline'],
    ]);
    expect(harness.statements('CANCEL')).toContain('CANCEL BACKUP FROM `slow`');
    expect(harness.emulator.state.latestJob('slow')?.state).toBe('CANCELLED');
    expect(harness.slack.requests.length - requestsBefore).toBe(1);
    expect((await expectCleanEnd(harness, run, ['slow'])).heldLocks).toBe(0);
  });

  it('records the failure in the catalog and ends the run normally when Slack answers 500', async () => {
    // Prepare
    harness.emulator.faults.cancelNextBackup('muted', '[COMMON_ERROR, msg: user cancelled]');
    harness.slack.respondWith(500);

    // Act
    const run = await harness.run({ databases: ['muted'], password: 'Sup3r-Secret-Pw!' });
    harness.slack.respondWith(200);

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.runError).toBeNull();
    expect(run.results.map((r) => [r.database, r.state])).toEqual([['muted', 'FAILED']]);
    const recorded = await harness.catalog.listRun({ runId: run.executionArn });
    expect(recorded.items.map((item) => item.reason)).toEqual(['[COMMON_ERROR, msg: user cancelled]']);
    expect((await expectCleanEnd(harness, run, ['muted'])).heldSlots).toBe(0);
  });

  it('cancels our running job before releasing the lock when check-backup keeps failing after the submit', async () => {
    // Prepare: every SHOW BACKUP of the first five (one check and its four retries) loses the connection.
    let crashed = false;
    const run = await harness.run({
      databases: ['flaky'],
      password: 'Sup3r-Secret-Pw!',
      beforeCheck: () => {
        if (crashed) return;
        crashed = true;
        harness.emulator.faults.dropConnectionOn('SHOW BACKUP FROM `flaky`', { times: 5 });
      },
    });

    // Assess
    expect(run.results.map((r) => [r.database, r.state])).toEqual([['flaky', 'FAILED']]);
    expect(run.results[0]?.error).toContain('127.0.0.1');
    expect(harness.emulator.state.latestJob('flaky')?.state).toBe('CANCELLED');
    const order = run.events
      .filter(
        (e) =>
          e.event.type === 'StateExited' &&
          ['CancelIfOurs', 'ReleaseAfterFailure'].includes(
            (e.event as { state: { name: string } }).state.name,
          ),
      )
      .map((e) => {
        const exited = e.event as { state: { name: string; output?: { cancel?: { cancelled: boolean } } } };
        return [exited.state.name, exited.state.output?.cancel?.cancelled ?? null];
      });
    expect(order).toEqual([
      ['CancelIfOurs', true],
      ['ReleaseAfterFailure', true],
    ]);
    expect(await expectCleanEnd(harness, run, ['flaky'])).toEqual({
      terminalItemsPerDatabase: { flaky: 1 },
      heldLocks: 0,
      heldSlots: 0,
    });
  });

  it('quotes hostile table names so the FE reads exactly one BACKUP with the same names, never a second statement', async () => {
    // Act
    const run = await harness.run({ databases: ['odd-name~1'], password: 'Sup3r-Secret-Pw!' });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    const sent = harness.emulator.statements.map((s) => s.sql).filter((sql) => sql.includes('odd-name~1'));
    for (const sql of sent) expect(parseStatements(sql)).toHaveLength(1);
    expect(harness.emulator.state.snapshots('s3_repo').some((s) => s.database === 'odd-name~1')).toBe(true);
    expect(harness.emulator.state.jobs('alpha').every((job) => job.state === 'FINISHED')).toBe(true);
  });

  it('refuses a database whose name cannot be valid before sending anything about it', async () => {
    // Prepare
    const sentBefore = harness.emulator.statements.length;

    // Act
    const run = await harness.run({ databases: ['bad`name'], password: 'Sup3r-Secret-Pw!' });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.results).toEqual([]);
    expect(run.runError?.name).toBe('UnknownDatabaseError');
    expect(harness.emulator.statements.slice(sentBefore).some((s) => s.sql.includes('bad`name'))).toBe(false);
  });

  it('fails the run as a whole with StarRocksUnavailableError naming host:port when the FE port is closed', async () => {
    // Act
    const run = await harness.run({ databases: ['alpha'], cluster: { port: 1 } });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.results).toEqual([]);
    expect(run.runError?.name).toBe('StarRocksUnavailableError');
    expect(run.runError?.message).toContain(`${harness.emulator.host}:1`);
  });
});
