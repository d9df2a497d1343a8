import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPauseStore, type PauseStore } from '#domain/pause/index.ts';
import {
  type HarnessRun,
  SLOT,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';
import {
  DATABASE,
  EMULATOR_CLUSTER_ID,
  EXPECTED_REMOVED_DAYS,
  emulatorScenario,
  labelOf,
  NOW,
  RETENTION,
  seedCatalog,
  UNKNOWN_SNAPSHOT,
} from './support/thirty-snapshots.ts';

const stateNames = (run: HarnessRun, machine: 'nightlyBackup' | 'backupDatabase') =>
  run.events
    .filter((e) => e.stateMachine === machine && e.event.type === 'StateEntered')
    .map((e) => (e.event as { state: { name: string } }).state.name);

describe('a paused cluster or schedule', () => {
  let harness: WorkflowHarness;
  let store: PauseStore;

  beforeAll(async () => {
    harness = await startWorkflowHarness(
      {
        version: '3.3',
        repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
        databases: [{ name: 'sales', tables: [{ name: 'orders', sizeBytes: 1024, rows: 10 }] }],
        defaultBackupDurationMs: 60_000,
      },
      'paused',
    );
    store = createPauseStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('ends the run at once, successfully, without contacting the FE, recording a backup or alerting', async () => {
    // Prepare
    await store.pause({ cluster: 'paused', reason: 'FE upgrade to 3.4 (CHG-1234)', by: 'alice' });
    const statementsBefore = harness.emulator.statements.length;

    // Act
    const run = await harness.run();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.results).toEqual([]);
    expect(run.alerts).toEqual([]);
    expect(harness.slack.requests).toEqual([]);
    expect(harness.emulator.statements.length).toBe(statementsBefore);
    expect(stateNames(run, 'nightlyBackup')).toEqual([
      'InitRun',
      'ResolveDatabases',
      'IsPaused',
      'RunPaused',
    ]);
    const exited = run.events.find(
      (e) => e.event.type === 'ExecutionSucceeded' && e.stateMachine === 'nightlyBackup',
    );
    expect((exited?.event as { output?: unknown } | undefined)?.output).toMatchObject({
      paused: { cluster: 'paused', schedule: null, reason: 'FE upgrade to 3.4 (CHG-1234)', by: 'alice' },
      scheduledTime: SLOT.toISOString(),
    });
    expect(await harness.catalog.listRun({ runId: run.executionArn })).toMatchObject({ items: [] });
    const pausedSlots = await store.listPausedSlots({
      cluster: 'paused',
      from: new Date(SLOT.getTime() - 1),
      to: new Date(SLOT.getTime() + 1),
    });
    expect(pausedSlots).toMatchObject([
      {
        schedule: 'nightly',
        scheduledTime: SLOT.toISOString(),
        pausedSchedule: null,
        runId: run.executionArn,
      },
    ]);
  });

  it('backs up again once resumed, and a pause of another schedule does not stop this one', async () => {
    // Prepare
    await store.resume({ cluster: 'paused' });
    await store.pause({ cluster: 'paused', schedule: 'weekly', reason: 'not this schedule' });

    // Act
    const run = await harness.run();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.results.map((r) => [r.database, r.state])).toEqual([['sales', 'FINISHED']]);
  });
});

describe('cluster awareness at the start of a run', () => {
  it('refuses a shared-data cluster with a clear UnsupportedClusterError before any BACKUP', async () => {
    // Prepare
    const harness = await startWorkflowHarness({
      version: '3.4',
      runMode: 'shared_data',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [{ name: 'sales', tables: [{ name: 'orders', sizeBytes: 1024, rows: 10 }] }],
    });
    try {
      // Act
      const run = await harness.run();

      // Assess
      expect(run.status).toBe('FAILED');
      expect(run.runError?.name).toBe('UnsupportedClusterError');
      expect(run.runError?.message).toMatch(
        /^cluster test \(127\.0\.0\.1:\d+\) is a shared-data cluster \(run_mode = shared_data, StarRocks 3\.4\.3\): StarRocks does not support BACKUP or RESTORE on shared-data clusters/,
      );
      expect(harness.statements('BACKUP')).toEqual([]);
      expect(run.results).toEqual([]);
      expect(stateNames(run, 'nightlyBackup')).toEqual([
        'InitRun',
        'ResolveDatabases',
        'NotifyRunFailure',
        'RunFailed',
      ]);
    } finally {
      await harness.close();
    }
  });

  it('backs up a cluster whose run mode the backup user may not read (no OPERATE), assuming shared-nothing', async () => {
    // Prepare
    const harness = await startWorkflowHarness({
      version: '3.4',
      users: [
        {
          name: 'root',
          password: '',
          privileges: { repository: true, export: 'all', admin: false },
        },
      ],
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [{ name: 'sales', tables: [{ name: 'orders', sizeBytes: 1024, rows: 10 }] }],
      defaultBackupDurationMs: 60_000,
    });
    try {
      // Act
      const run = await harness.run();

      // Assess
      expect(
        harness.emulator.statements.filter((s) => s.sql.startsWith('ADMIN SHOW FRONTEND CONFIG')),
      ).toHaveLength(1);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    } finally {
      await harness.close();
    }
  });
});

describe('the prune step after a nightly run', () => {
  it('applies retention with DROP SNAPSHOT on StarRocks 4.2 after the backups, and the run succeeds', async () => {
    // Prepare
    const harness = await startWorkflowHarness(emulatorScenario('4.2'), 'prod');
    try {
      await seedCatalog(harness.catalog);
      harness.clock.set(NOW);

      // Act
      const run = await harness.run({
        cluster: { retention: { ...RETENTION } },
        scheduledTime: new Date(NOW - 3_600_000),
      });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(run.results.map((r) => [r.database, r.state])).toEqual([[DATABASE, 'FINISHED']]);
      expect(stateNames(run, 'nightlyBackup').slice(-5)).toEqual([
        'SummarizeRun',
        'PruneConfigured',
        'PruneSnapshots',
        'RunOutcome',
        'RunSucceeded',
      ]);
      const dropped = harness.emulator.statements
        .map((s) => /^DROP SNAPSHOT `?(\w+)`? ON/.exec(s.sql)?.[1])
        .filter((label) => label !== undefined)
        .sort();
      expect(dropped).toEqual(EXPECTED_REMOVED_DAYS.map(labelOf).sort());
      const left = harness.emulator.state.snapshots('s3_repo').map((s) => s.name);
      expect(left).toContain(UNKNOWN_SNAPSHOT);
      expect(left).toContain(run.results[0]?.snapshot);
      expect(left).toHaveLength(30 - EXPECTED_REMOVED_DAYS.length + 2);
      expect(harness.slack.requests).toEqual([]);
    } finally {
      await harness.close();
    }
  });

  it('posts one warning when the prune cannot remove a snapshot, and the run keeps its success', async () => {
    // Prepare
    const harness = await startWorkflowHarness(
      emulatorScenario('4.2', [
        {
          repository: 's3_repo',
          name: 'nightly_sales_foreign',
          database: DATABASE,
          createdAt: '2026-10-30T18:00:04.143Z',
          clusterId: EMULATOR_CLUSTER_ID + 1,
        },
      ]),
      'prod',
    );
    try {
      await seedCatalog(harness.catalog);
      await harness.catalog.recordAttempt({
        cluster: 'prod',
        database: DATABASE,
        label: 'nightly_sales_foreign',
        repository: 's3_repo',
        schedule: 'nightly',
        scheduledTime: '2026-10-30T18:00:00.000Z',
        runId: 'run-old',
        executionId: 'exec-old',
        attempt: 1,
        state: 'FINISHED',
        reason: null,
        startedAt: null,
        finishedAt: null,
        durationSeconds: 60,
        snapshotTimestamp: '2026-10-30-18-00-04-143',
        verified: true,
        sizeBytes: null,
        tableCount: null,
        starRocksJobId: null,
      });
      harness.clock.set(NOW);

      // Act
      const run = await harness.run({
        cluster: { retention: { ...RETENTION } },
        scheduledTime: new Date(NOW - 3_600_000),
      });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(stateNames(run, 'nightlyBackup').slice(-4)).toEqual([
        'PruneSnapshots',
        'NotifyPruneFailure',
        'RunOutcome',
        'RunSucceeded',
      ]);
      const [message] = await harness.slack.waitForMessages(1);
      const text = JSON.stringify(message?.body);
      expect(text).toContain('Snapshot pruning failed: prod');
      expect(text).toContain('nightly_sales_foreign');
      expect(text).toContain('FORCE');
      expect(harness.slack.messages).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });
});
