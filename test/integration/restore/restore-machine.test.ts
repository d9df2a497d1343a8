/**
 * The deployed on-demand restore (statemachines/restore.asl.json, started by `sr-backup restore --stack …
 * --execute`) in the local interpreter with the real Lambdas, dynalite and the FE emulator. About 10 s: restores
 * of 20 virtual minutes, a few polls each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorScenario } from '#local/emulator/index.ts';
import {
  runRestoreMachine,
  seedVerifiedSnapshot,
  statementsStartingWith,
} from '#test/support/drill-harness.ts';
import { database, startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';

const SEEDED = 'nightly_sales_seeded';

function scenario(): EmulatorScenario {
  return {
    version: '3.3',
    repositories: [{ name: 's3_repo', location: 's3a://restores/backups' }],
    databases: [database('sales', { tables: ['orders', 'customers'] })],
    defaultRestoreDurationMs: 20 * 60_000,
    snapshots: [
      { repository: 's3_repo', name: SEEDED, database: 'sales', createdAt: '2026-11-24T18:00:04.143Z' },
    ],
  };
}

function failure(outcome: Awaited<ReturnType<typeof runRestoreMachine>>['outcome']) {
  if (outcome.status === 'SUCCEEDED') throw new Error('the restore succeeded');
  return outcome;
}

describe('the on-demand Restore state machine', () => {
  let harness: WorkflowHarness;

  afterEach(async () => {
    await harness.close();
  });

  it('restores a verified snapshot into a new database under a slot and the target lock, checks it and releases both', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());
    const snapshot = await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });

    // Act
    const run = await runRestoreMachine(harness, { database: 'sales', targetDatabase: 'sales_restored' });

    // Assess
    expect(run.outcome.status).toBe('SUCCEEDED');
    const output = run.outcome.status === 'SUCCEEDED' ? run.outcome.output : null;
    expect(output).toMatchObject({
      state: 'FINISHED',
      database: 'sales',
      targetDatabase: 'sales_restored',
      snapshot: { label: SEEDED, snapshotTimestamp: snapshot.snapshotTimestamp },
      check: { passed: true, tableCount: 2, rowCount: 2000 },
    });
    expect(run.entered).toEqual(
      expect.arrayContaining(['PlanRestore', 'AcquireSlot', 'AcquireLock', 'VerifyRestore', 'ReleaseLeases']),
    );
    expect(run.entered).not.toContain('DropEmptyTarget');
    const restores = statementsStartingWith(harness, 'RESTORE');
    expect(restores).toHaveLength(1);
    expect(restores[0]).toContain(`"backup_timestamp" = '${snapshot.snapshotTimestamp}'`);
    expect(harness.emulator.state.tables('sales_restored')).toBeDefined();
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('refuses an existing database before it sends any RESTORE, leaves it untouched and holds nothing', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    const before = harness.emulator.state.tables('sales');

    // Act
    const run = await runRestoreMachine(harness, { database: 'sales' });

    // Assess
    const failed = failure(run.outcome);
    expect(failed.error).toBe('RestoreTargetExistsError');
    expect(failed.cause).toContain('database \\"sales\\" already exists');
    expect(statementsStartingWith(harness, 'RESTORE')).toEqual([]);
    expect(statementsStartingWith(harness, 'DROP')).toEqual([]);
    expect(harness.emulator.state.tables('sales')).toEqual(before);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('restores one table under a new name into the existing database and checks only that table', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });

    // Act
    const run = await runRestoreMachine(harness, {
      database: 'sales',
      label: SEEDED,
      tables: [{ name: 'orders', alias: 'orders_before' }],
    });

    // Assess
    expect(run.outcome.status).toBe('SUCCEEDED');
    const output = run.outcome.status === 'SUCCEEDED' ? run.outcome.output : null;
    expect(output).toMatchObject({ check: { passed: true, tableCount: 1, rowCount: 1000 } });
    const [restore] = statementsStartingWith(harness, 'RESTORE');
    expect(restore).toMatch(/ON \(\s*`orders` AS `orders_before`\s*\)/);
    expect(
      harness.emulator.state
        .tables('sales')
        ?.map((table) => table.name)
        .sort(),
    ).toEqual(['customers', 'orders', 'orders_before']);
  });

  it('cancels at its deadline, drops the empty database it created and fails TIMED_OUT', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    harness.emulator.faults.hangNextRestore('sales_copy');

    // Act
    const run = await runRestoreMachine(harness, {
      database: 'sales',
      targetDatabase: 'sales_copy',
      timeoutSeconds: 1800,
    });

    // Assess
    const failed = failure(run.outcome);
    expect(failed.error).toBe('RestoreTimedOutError');
    expect(failed.cause).toBe('deadline');
    expect(statementsStartingWith(harness, 'CANCEL RESTORE')).toEqual(['CANCEL RESTORE FROM `sales_copy`']);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
    expect(harness.emulator.state.tables('sales_copy')).toBeUndefined();
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it("fails with StarRocks' own status when StarRocks cancels the restore", async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    const status = '[COMMON_ERROR, msg: failed to download snapshot files of tablet 10042]';
    harness.emulator.faults.cancelNextRestore('sales_copy', status);

    // Act
    const run = await runRestoreMachine(harness, { database: 'sales', targetDatabase: 'sales_copy' });

    // Assess
    const failed = failure(run.outcome);
    expect(failed.error).toBe('RestoreFailedError');
    expect(failed.cause).toContain('failed to download snapshot files');
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('fails before taking anything when the label is not a verified snapshot of the database', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());

    // Act
    const run = await runRestoreMachine(harness, { database: 'sales', label: 'nightly_sales_unknown' });

    // Assess
    const failed = failure(run.outcome);
    expect(failed.error).toBe('SnapshotNotFoundError');
    expect(failed.cause).toContain('nightly_sales_unknown');
    expect(run.entered).not.toContain('AcquireSlot');
    expect(harness.emulator.statements.map((entry) => entry.sql)).not.toContainEqual(
      expect.stringMatching(/^RESTORE/),
    );
  });

  it('is settled when stopped mid-restore: the settlement cancels its RESTORE, frees the leases, records no backup attempt and drops nothing', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    harness.emulator.faults.hangNextRestore('sales_copy');

    // Act
    const run = await runRestoreMachine(
      harness,
      { database: 'sales', targetDatabase: 'sales_copy' },
      { stopAtCheck: 2 },
    );

    // Assess
    expect(run.outcome.status).toBe('ABORTED');
    expect(statementsStartingWith(harness, 'CANCEL RESTORE')).toEqual(['CANCEL RESTORE FROM `sales_copy`']);
    expect(statementsStartingWith(harness, 'DROP')).toEqual([]);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
    const attempts = await harness.catalog.listSnapshots({
      cluster: harness.clusterName,
      database: 'sales_copy',
      cursor: null,
      limit: 10,
    });
    expect(attempts.items).toEqual([]);
  });

  it('adopts its own running RESTORE when a retried SubmitRestore finds the new database its lost answer created', async () => {
    // Prepare: Lambda's timer fires after RESTORE was accepted, before Step Functions saw the answer.
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    let lost = false;

    // Act
    const run = await runRestoreMachine(
      harness,
      { database: 'sales', targetDatabase: 'sales_copy' },
      {
        afterTask: ({ stateName }) => {
          if (stateName !== 'SubmitRestore' || lost) return;
          lost = true;
          const timedOut = new Error('Task timed out after 120.00 seconds');
          timedOut.name = 'Sandbox.Timedout';
          throw timedOut;
        },
      },
    );

    // Assess: one RESTORE, adopted rather than refused as an existing database.
    expect(lost).toBe(true);
    expect(run.outcome.status).toBe('SUCCEEDED');
    expect(statementsStartingWith(harness, 'RESTORE')).toHaveLength(1);
    const output = run.outcome.status === 'SUCCEEDED' ? run.outcome.output : null;
    expect(output).toMatchObject({ restore: { origin: 'adopted', createsTarget: true } });
  });

  it('resubmits into the empty database its own first attempt created when the FE refused the RESTORE as busy', async () => {
    // Prepare: the first RESTORE is refused after CREATE DATABASE went through (a backup being submitted).
    harness = await startWorkflowHarness(scenario());
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    harness.emulator.faults.failStatements(
      'RESTORE SNAPSHOT',
      'Another backup or restore job is being submitted. Please wait and try again',
      { times: 1 },
    );

    // Act
    const run = await runRestoreMachine(harness, { database: 'sales', targetDatabase: 'sales_copy' });

    // Assess: the retry took the database as its own (noted on the lock) instead of refusing it as existing.
    expect(run.outcome.status).toBe('SUCCEEDED');
    expect(statementsStartingWith(harness, 'RESTORE')).toHaveLength(2);
    const output = run.outcome.status === 'SUCCEEDED' ? run.outcome.output : null;
    expect(output).toMatchObject({ check: { passed: true }, restore: { createsTarget: true } });
  });
});
