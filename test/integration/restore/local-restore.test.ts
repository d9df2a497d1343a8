import { afterEach, describe, expect, it } from 'vitest';
import {
  RestoreInterruptedError,
  RestoreTargetExistsError,
  SlotUnavailableError,
  SnapshotNotFoundError,
} from '#domain/errors.ts';
import type { EmulatorScenario, ProfileId } from '#local/emulator/index.ts';
import {
  executeLocalRestore,
  type PreparedRestore,
  prepareLocalRestore,
  type Sleep,
} from '#local/runner/run-restore.ts';
import { restoreContext, seedVerifiedSnapshot, statementsStartingWith } from '#test/support/drill-harness.ts';
import { database, startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';

const RESTORE_MS = 10 * 60_000;
const LABEL = 'nightly_sales_seeded';

function scenario(version: ProfileId): EmulatorScenario {
  return {
    version,
    feTimeZone: 'Asia/Shanghai',
    repositories: [{ name: 's3_repo', location: 's3a://restores/backups' }],
    databases: [database('sales', { tables: ['orders', 'customers'] })],
    defaultRestoreDurationMs: RESTORE_MS,
    snapshots: [
      { repository: 's3_repo', name: LABEL, database: 'sales', createdAt: '2026-11-24T18:00:04.143Z' },
    ],
  };
}

/** A sleep on the harness's virtual clock; `during` runs at each wait (the restore is in flight then). */
function virtualSleep(
  harness: WorkflowHarness,
  during: (waits: number) => void | Promise<void> = () => undefined,
): Sleep {
  let waits = 0;
  return async (ms, signal) => {
    if (signal?.aborted) throw signal.reason;
    harness.clock.advance(ms);
    waits += 1;
    await during(waits);
    if (signal?.aborted) throw signal.reason;
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

async function prepare(harness: WorkflowHarness, request: { as?: string; snapshot?: string } = {}) {
  return prepareLocalRestore(restoreContext(harness, harness.config()), { database: 'sales', ...request });
}

describe.each(['3.3', '3.5'] as const)('an on-demand restore on the %s emulator', (version) => {
  let harness: WorkflowHarness;

  afterEach(async () => {
    await harness.close();
  });

  it('restores the latest verified snapshot under a new name while holding the slot and the target lock labelled with the snapshot', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario(version));
    const snapshot = await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL, tableCount: 2 });
    const prepared = await prepare(harness, { as: 'sales_restored' });
    const heldMeanwhile: Awaited<ReturnType<WorkflowHarness['locks']['listHeld']>>[] = [];
    const sleep = virtualSleep(harness, async (waits) => {
      if (waits === 1) heldMeanwhile.push(await harness.locks.listHeld(harness.clusterName));
    });

    // Act
    const result = await executeLocalRestore(restoreContext(harness, harness.config()), prepared, { sleep });

    // Assess
    expect(result).toMatchObject({ state: 'FINISHED', reason: null, droppedEmptyTarget: false });
    expect(result.check).toMatchObject({ passed: true, tableCount: 2, rowCount: 2000 });
    expect(result.durationSeconds).toBeGreaterThanOrEqual(RESTORE_MS / 1000);
    expect(result.durationSeconds).toBeLessThan((RESTORE_MS / 1000) * 1.1);
    expect(harness.emulator.state.tables('sales_restored')?.map((table) => table.rows)).toEqual([1000, 1000]);
    const [held] = heldMeanwhile;
    expect(held?.locks).toMatchObject([{ database: 'sales_restored', label: LABEL }]);
    expect(held?.slots).toHaveLength(1);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
    const restores = statementsStartingWith(harness, 'RESTORE');
    expect(restores).toEqual([prepared.statement]);
    expect(prepared.statement).toContain(`"backup_timestamp" = '${snapshot.snapshotTimestamp}'`);
    // On every version the target is created first, never left to the FE (which release creates it is unknown).
    expect(statementsStartingWith(harness, 'CREATE DATABASE')).toEqual([
      'CREATE DATABASE IF NOT EXISTS `sales_restored`',
    ]);
  });

  it('holds the snapshot in its source cluster too (--to-cluster), so that cluster’s retention keeps it while it is read', async () => {
    // Prepare: the snapshot is recorded by cluster "origin", whose repository is the same location.
    harness = await startWorkflowHarness(scenario(version));
    await seedVerifiedSnapshot(harness, {
      database: 'sales',
      label: LABEL,
      tableCount: 2,
      cluster: 'origin',
    });
    const prepared = await prepareLocalRestore(restoreContext(harness, harness.config()), {
      database: 'sales',
      as: 'sales_dr',
      fromCluster: 'origin',
    });
    const originMeanwhile: Awaited<ReturnType<WorkflowHarness['locks']['inspectLocks']>>[] = [];
    const sleep = virtualSleep(harness, async (waits) => {
      if (waits === 1) originMeanwhile.push(await harness.locks.inspectLocks('origin'));
    });

    // Act
    const result = await executeLocalRestore(restoreContext(harness, harness.config()), prepared, { sleep });

    // Assess
    expect(result.state).toBe('FINISHED');
    expect(originMeanwhile[0]?.locks).toEqual([
      expect.objectContaining({
        database: expect.stringMatching(/^~restore-source:sales:/),
        label: LABEL,
        expired: false,
      }),
    ]);
    expect((await harness.locks.inspectLocks('origin')).locks.filter((lock) => lock.holder !== null)).toEqual(
      [],
    );
  });

  it('ends FAILED with StarRocks’ status, drops the empty target again and releases everything when StarRocks cancels the restore', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario(version));
    await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    const prepared = await prepare(harness, { as: 'sales_restored' });
    const status = '[COMMON_ERROR, msg: failed to download snapshot files of tablet 10042]';
    harness.emulator.faults.cancelNextRestore('sales_restored', status);

    // Act
    const result = await executeLocalRestore(restoreContext(harness, harness.config()), prepared, {
      sleep: virtualSleep(harness),
    });

    // Assess
    expect(result).toMatchObject({ state: 'FAILED', reason: status, droppedEmptyTarget: true, check: null });
    expect(await harness.emulator.state.tables('sales_restored')).toBeUndefined();
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });
});

describe('an on-demand restore that must not or cannot finish', () => {
  let harness: WorkflowHarness;

  afterEach(async () => {
    await harness.close();
  });

  it('prints the 3.3 and the 3.4+ grammar for the same snapshot', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    const modern = await startWorkflowHarness(scenario('3.5'));
    const snapshot = await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    await seedVerifiedSnapshot(modern, { database: 'sales', label: LABEL });

    // Act
    const old = await prepare(harness, { as: 'sales_copy' });
    const current = await prepare(modern, { as: 'sales_copy' });
    await modern.close();

    // Assess
    const properties = `PROPERTIES ("backup_timestamp" = '${snapshot.snapshotTimestamp}', "timeout" = "${old.statement.match(/"timeout" = "(\d+)"/)?.[1]}")`;
    expect(old.statement).toBe(`RESTORE SNAPSHOT \`sales_copy\`.\`${LABEL}\` FROM \`s3_repo\` ${properties}`);
    expect(current.statement).toBe(
      `RESTORE SNAPSHOT \`${LABEL}\` FROM \`s3_repo\` DATABASE \`sales\` AS \`sales_copy\` ${properties}`,
    );
    expect(old.targetExists).toBe(false);
    expect(statementsStartingWith(harness, 'RESTORE')).toEqual([]);
  });

  it('cancels the restore at our deadline and ends TIMED_OUT', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    const prepared = await prepareLocalRestore(restoreContext(harness, harness.config()), {
      database: 'sales',
      as: 'sales_restored',
      deadlineSeconds: 1800,
    });
    harness.emulator.faults.hangNextRestore('sales_restored');

    // Act
    const result = await executeLocalRestore(restoreContext(harness, harness.config()), prepared, {
      sleep: virtualSleep(harness),
    });

    // Assess
    expect(result).toMatchObject({ state: 'TIMED_OUT', reason: 'deadline', droppedEmptyTarget: true });
    expect(statementsStartingWith(harness, 'CANCEL RESTORE')).toEqual([
      'CANCEL RESTORE FROM `sales_restored`',
    ]);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
  });

  it('refuses to restore into a database that exists, and sends no RESTORE', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    const prepared: PreparedRestore = await prepare(harness);

    // Act
    const attempt = executeLocalRestore(restoreContext(harness, harness.config()), prepared, {
      sleep: virtualSleep(harness),
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RestoreTargetExistsError);
    expect(prepared.targetExists).toBe(true);
    expect(statementsStartingWith(harness, 'RESTORE')).toEqual([]);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('accepts only a verified snapshot of the catalog for --snapshot', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    await harness.catalog.recordAttempt({
      cluster: harness.clusterName,
      database: 'sales',
      label: 'nightly_sales_failed',
      repository: 's3_repo',
      schedule: 'nightly',
      scheduledTime: '2026-11-23T18:00:00.000Z',
      runId: 'r',
      executionId: 'e',
      attempt: 1,
      state: 'FAILED',
      reason: '[COMMON_ERROR, msg: x]',
      startedAt: null,
      finishedAt: null,
      durationSeconds: null,
      snapshotTimestamp: null,
      verified: false,
      sizeBytes: null,
      tableCount: null,
      starRocksJobId: null,
    });

    // Act
    const failed = await rejection(prepare(harness, { as: 'x', snapshot: 'nightly_sales_failed' }));
    const unknown = await rejection(prepare(harness, { as: 'x', snapshot: 'nightly_sales_nope' }));
    const chosen = await prepare(harness, { as: 'x', snapshot: LABEL });

    // Assess
    expect(failed).toBeInstanceOf(SnapshotNotFoundError);
    expect(failed.message).toMatch(/"nightly_sales_failed" of database "sales" is FAILED/);
    expect(unknown).toBeInstanceOf(SnapshotNotFoundError);
    expect(unknown.message).toMatch(/"nightly_sales_nope" is not in the catalog/);
    expect(chosen.plan.snapshot.label).toBe(LABEL);
  });

  it('waits for a free slot while backups hold them all, then gives up without sending anything', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    const config = harness.config({ maxConcurrentBackups: 1 });
    const prepared = await prepareLocalRestore(restoreContext(harness, config), {
      database: 'sales',
      as: 'y',
    });
    await harness.locks.acquireSlot({
      cluster: harness.clusterName,
      capacity: 1,
      holder: 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:busy',
      leaseSeconds: 86_400,
    });
    const waits: string[] = [];

    // Act
    const attempt = executeLocalRestore(restoreContext(harness, config), prepared, {
      sleep: virtualSleep(harness),
      waitSeconds: 300,
      onProgress: (event) => {
        if (event.kind === 'waiting') waits.push(event.for);
      },
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SlotUnavailableError);
    expect(waits.length).toBeGreaterThan(1);
    expect(new Set(waits)).toEqual(new Set(['slot']));
    expect(statementsStartingWith(harness, 'RESTORE')).toEqual([]);
  });

  it('cancels its RESTORE and releases everything when interrupted', async () => {
    // Prepare
    harness = await startWorkflowHarness(scenario('3.3'));
    await seedVerifiedSnapshot(harness, { database: 'sales', label: LABEL });
    const prepared = await prepare(harness, { as: 'sales_restored' });
    const abort = new AbortController();
    const sleep = virtualSleep(harness, (waits) => {
      if (waits === 2) abort.abort(new RestoreInterruptedError('interrupted'));
    });

    // Act
    const attempt = executeLocalRestore(restoreContext(harness, harness.config()), prepared, {
      sleep,
      signal: abort.signal,
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RestoreInterruptedError);
    expect(statementsStartingWith(harness, 'CANCEL RESTORE')).toEqual([
      'CANCEL RESTORE FROM `sales_restored`',
    ]);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });
});
