import { afterEach, describe, expect, it } from 'vitest';
import { createPauseStore } from '#domain/pause/index.ts';
import type { EmulatorScenario, ProfileId } from '#local/emulator/index.ts';
import {
  backUp,
  drillSettings,
  runDrill,
  seedVerifiedSnapshot,
  statementsStartingWith,
} from '#test/support/drill-harness.ts';
import { database, startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';

const RESTORE_MS = 20 * 60_000;
const SCRATCH = 'drill_sales_202611250300';
const SEEDED = 'nightly_sales_seeded';

function scenario(version: ProfileId, extra: Partial<EmulatorScenario> = {}): EmulatorScenario {
  return {
    version,
    feTimeZone: 'Asia/Shanghai',
    repositories: [{ name: 's3_repo', location: 's3a://drills/backups' }],
    databases: [database('sales', { tables: ['orders', 'customers'] }), database('crm')],
    defaultRestoreDurationMs: RESTORE_MS,
    snapshots: [
      { repository: 's3_repo', name: SEEDED, database: 'sales', createdAt: '2026-11-24T18:00:04.143Z' },
    ],
    ...extra,
  };
}

/** A verified snapshot of sales in the catalog, without running a backup first (faster than backUp). */
function seedSales(harness: WorkflowHarness) {
  return seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
}

/** The Slack posts the sink received, as text (title and body). */
function slackTexts(harness: WorkflowHarness): string[] {
  return harness.slack.requests.map((request) => JSON.stringify(request.body));
}

describe.each(['3.3', '3.5'] as const)('a restore drill on the %s emulator', (version) => {
  let harness: WorkflowHarness;

  afterEach(async () => {
    await harness.close();
  });

  it('restores the latest verified snapshot into a scratch database, checks its rows, records the drill with its restore time and drops the scratch database', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario(version));
    const snapshot = await backUp(harness, 'sales');
    const restoresBefore = statementsStartingWith(harness, 'RESTORE').length;

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('sales') });

    // Assess
    expect(drill.status).toBe('SUCCEEDED');
    expect(drill.drill).toMatchObject({
      kind: 'drill',
      cluster: harness.clusterName,
      database: 'sales',
      label: snapshot.label,
      snapshotTimestamp: snapshot.snapshotTimestamp,
      scratchDatabase: SCRATCH,
      state: 'FINISHED',
      reason: null,
      tableCount: 2,
      rowCount: 2000,
      emptyTables: [],
      scratchDropped: true,
    });
    const duration = drill.drill?.durationSeconds ?? 0;
    expect(duration).toBeGreaterThanOrEqual(RESTORE_MS / 1000);
    expect(duration).toBeLessThan((RESTORE_MS / 1000) * 1.1);
    const restores = statementsStartingWith(harness, 'RESTORE').slice(restoresBefore);
    expect(restores).toHaveLength(1);
    expect(restores[0]).toContain(`"backup_timestamp" = '${snapshot.snapshotTimestamp}'`);
    expect(harness.emulator.state.tables(SCRATCH)).toBeUndefined();
    const held = await harness.locks.listHeld(harness.clusterName);
    expect(held).toEqual({ locks: [], slots: [] });
    expect(harness.slack.requests).toHaveLength(0);
  });

  it('fails, records the StarRocks status, drops the scratch database and alerts when StarRocks cancels the restore', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario(version));
    await seedSales(harness);
    const status = '[COMMON_ERROR, msg: failed to download snapshot files of tablet 10042]';
    harness.emulator.faults.cancelNextRestore(SCRATCH, status);

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('sales') });

    // Assess
    expect(drill.status).toBe('FAILED');
    expect(drill.error?.name).toBe('RestoreFailedError');
    expect(drill.drill).toMatchObject({
      state: 'FAILED',
      reason: status,
      scratchDropped: true,
      durationSeconds: null,
    });
    expect(harness.emulator.state.tables(SCRATCH)).toBeUndefined();
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
    const texts = slackTexts(harness);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Restore drill FAILED');
    expect(texts[0]).toContain('failed to download snapshot files');
    expect(drill.alert).toMatchObject({ posted: true, severity: 'critical' });
  });
});

describe('a restore drill that cannot prove the restore', () => {
  let harness: WorkflowHarness;

  afterEach(async () => {
    await harness.close();
  });

  it('cancels the restore at the drill deadline, records TIMED_OUT and alerts', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedSales(harness);
    harness.emulator.faults.hangNextRestore(SCRATCH);

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('sales', { timeoutSeconds: 1800 }) });

    // Assess
    expect(drill.status).toBe('FAILED');
    expect(drill.error?.name).toBe('RestoreTimedOutError');
    expect(drill.drill).toMatchObject({ state: 'TIMED_OUT', reason: 'deadline', scratchDropped: true });
    expect(statementsStartingWith(harness, 'CANCEL RESTORE')).toEqual([`CANCEL RESTORE FROM \`${SCRATCH}\``]);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
    expect(harness.emulator.state.tables(SCRATCH)).toBeUndefined();
    expect(slackTexts(harness)[0]).toContain('Restore drill TIMED OUT');
  });

  it('fails the check when a restored table is empty while the source table has rows', async () => {
    // Prepare
    harness = await startWorkflowHarness(
      scenario('3.5', {
        snapshots: [
          {
            repository: 's3_repo',
            name: 'sales_lost_rows',
            database: 'sales',
            createdAt: '2026-11-24T18:00:04.143Z',
            tables: [
              { name: 'orders', rows: 1000 },
              { name: 'customers', rows: 0 },
            ],
          },
        ],
      }),
    );
    await seedVerifiedSnapshot(harness, { database: 'sales', label: 'sales_lost_rows', tableCount: 2 });

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('sales') });

    // Assess
    expect(drill.error?.name).toBe('RestoreCheckFailedError');
    expect(drill.drill).toMatchObject({
      state: 'FAILED',
      tableCount: 2,
      rowCount: 1000,
      emptyTables: ['customers'],
      scratchDropped: true,
    });
    expect(drill.drill?.reason).toContain('empty while the same table of sales has rows: "customers"');
    expect(harness.emulator.state.tables(SCRATCH)).toBeUndefined();
  });

  it('records a failed drill and alerts when the catalog holds no verified snapshot, without taking a slot', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('crm') });

    // Assess
    expect(drill.error?.name).toBe('RestoreFailedError');
    expect(drill.drill).toMatchObject({
      database: 'crm',
      label: '(none)',
      state: 'FAILED',
      scratchDropped: true,
    });
    expect(drill.drill?.reason).toContain('no verified snapshot of database "crm"');
    expect(statementsStartingWith(harness, 'RESTORE')).toEqual([]);
    expect(slackTexts(harness)[0]).toContain('Restore drill FAILED');
  });

  it('is skipped without an alert when another execution of the same slot holds the scratch database', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedSales(harness);
    await harness.locks.acquireLock({
      cluster: harness.clusterName,
      database: SCRATCH,
      holder: 'arn:aws:states:eu-west-1:123456789012:execution:RestoreDrill:other',
      leaseSeconds: 3600,
    });

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('sales') });

    // Assess
    expect(drill.status).toBe('SUCCEEDED');
    expect(drill.drill).toMatchObject({ state: 'SKIPPED' });
    expect(drill.drill?.reason).toContain('lock-held by arn:aws:states:eu-west-1:123456789012');
    expect(statementsStartingWith(harness, 'RESTORE')).toEqual([]);
    expect(harness.slack.requests).toHaveLength(0);
    const held = await harness.locks.listHeld(harness.clusterName);
    expect(held.slots).toEqual([]);
  });

  it('does not run while the cluster is paused: no slot, no FE statement, no record, no alert; one schedule paused does not stop it', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedSales(harness);
    const pauses = createPauseStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });
    await pauses.pause({ cluster: harness.clusterName, reason: 'FE upgrade to 3.5', by: 'ops' });
    const statementsBefore = harness.emulator.statements.length;

    // Act
    const paused = await runDrill(harness, { cluster: drillSettings('sales') });
    const statementsWhilePaused = harness.emulator.statements.length - statementsBefore;
    await pauses.resume({ cluster: harness.clusterName });
    await pauses.pause({ cluster: harness.clusterName, schedule: 'nightly', reason: 'nightly only' });
    const scheduleOnly = await runDrill(harness, { cluster: drillSettings('sales') });

    // Assess
    expect(paused.status).toBe('SUCCEEDED');
    expect(paused.paused).toContain('FE upgrade to 3.5');
    expect(paused.drill).toBeNull();
    expect(statementsWhilePaused).toBe(0);
    const entered = paused.events
      .filter((event) => event.event.type === 'StateEntered')
      .map((event) => (event.event as { state: { name: string } }).state.name);
    expect(entered).toEqual(['Init', 'PlanDrill', 'DrillPaused']);
    expect(harness.slack.requests).toHaveLength(0);
    expect(scheduleOnly.paused).toBeNull();
    expect(scheduleOnly.drill).toMatchObject({ state: 'FINISHED' });
  });
});
