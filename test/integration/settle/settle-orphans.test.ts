import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManifestStore } from '#domain/catalog/manifest-store.ts';
import { toClusterSettings } from '#domain/config/index.ts';
import { MANIFEST_FORMAT_VERSION } from '#domain/differential/manifest.ts';
import type { InheritedLease } from '#domain/lock/index.ts';
import { createLockStore } from '#domain/lock/index.ts';
import { silentLogger } from '#domain/logger.ts';
import { buildSnapshotLabel, withStarRocksClientSession } from '#domain/starrocks/index.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';
import {
  type SettleOrphansDeps,
  SUBMISSION_WINDOW_SECONDS,
  settleEnded,
  settleInherited,
} from '#functions/SettleOrphans/core.ts';
import {
  database,
  SLOT,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

// SettleOrphans against the emulator and dynalite, called directly (the fault matrix drives it through the ASL).
// About 2 s.

const GONE = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:gone';
const ME = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:me';
const PREVIOUS_SLOT = new Date(SLOT.getTime() - 86_400_000);

let harness: WorkflowHarness;
let counter = 0;
let name: string;

beforeAll(async () => {
  harness = await startWorkflowHarness({
    version: '3.5',
    repositories: [{ name: 's3_repo', location: 's3://b/p' }],
    databases: [],
  });
});

afterAll(async () => {
  await harness.close();
});

beforeEach(() => {
  counter += 1;
  name = `settle_${counter}`;
  harness.emulator.state.addDatabase(database(name, { durationMs: 10 * 60_000 }));
});

function cluster() {
  return toClusterSettings(harness.config(), harness.clusterName);
}

/** A lock store that knows GONE has ended and everyone else runs. */
function lockStore() {
  const gone = new Set([GONE]);
  return createLockStore({
    client: harness.dynamo.client,
    tableName: harness.dynamo.locksTableName,
    clock: harness.clock,
    livenessOf: async (holder) => (gone.has(holder) ? 'ended' : 'running'),
  });
}

function deps(): SettleOrphansDeps {
  return {
    starRocks: (settings, work) =>
      withStarRocksClientSession(
        {
          host: settings.host,
          port: settings.port,
          user: settings.user,
          password: '',
          connectTimeoutMs: 2000,
          statementTimeoutMs: 5000,
        },
        work,
      ),
    locks: lockStore(),
    catalog: harness.catalog,
    manifests: createManifestStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    }),
    clock: harness.clock,
    logger: silentLogger,
  };
}

/** The lock of the test's database as the gone holder left it, with a submission noted at `submittedAt`. */
async function goneHolderLock(submittedAt: number): Promise<{ label: string }> {
  const label = buildSnapshotLabel({
    cluster: harness.clusterName,
    schedule: 'nightly',
    database: name,
    scheduledTime: PREVIOUS_SLOT,
  });
  const held = await harness.locks.acquireLock({
    cluster: harness.clusterName,
    database: name,
    holder: GONE,
    leaseSeconds: 600,
    label,
    purpose: {
      runId: 'run-gone',
      schedule: 'nightly',
      scheduledTime: PREVIOUS_SLOT.toISOString(),
      database: name,
      label,
    },
  });
  await harness.locks.noteSubmission({
    cluster: harness.clusterName,
    database: name,
    holder: GONE,
    token: held.token,
    label,
    labelAttempt: 1,
    submittedAt,
    extendSeconds: 600,
  });
  return { label };
}

async function submitAs(label: string): Promise<void> {
  await withStarRocksClientSession(
    {
      host: harness.emulator.host,
      port: harness.emulator.port,
      user: 'root',
      password: '',
      connectTimeoutMs: 2000,
      statementTimeoutMs: 2000,
    },
    async (client) =>
      client.submitBackup({
        database: name,
        label,
        repository: 's3_repo',
        timeoutSeconds: 86_400,
        type: 'FULL',
        version: await client.currentVersion(),
      }),
  );
}

/** This execution took the test database's lock over from the gone holder; its state as SettleOrphans sees it. */
async function takeOver(): Promise<BackupDatabaseState> {
  const taken = await lockStore().acquireLock({
    cluster: harness.clusterName,
    database: name,
    holder: ME,
    leaseSeconds: 600,
  });
  return {
    runId: 'run-me',
    cluster: cluster(),
    schedule: 'nightly',
    scheduledTime: SLOT.toISOString(),
    database: name,
    label: buildSnapshotLabel({
      cluster: harness.clusterName,
      schedule: 'nightly',
      database: name,
      scheduledTime: SLOT,
    }),
    execution: { id: ME, name: 'me' },
    lock: { token: taken.token, leaseExpiresAt: taken.leaseExpiresAt, takenOver: taken.takenOver },
  } as BackupDatabaseState;
}

describe('SettleOrphans after a takeover', () => {
  it('cancels a job the ended holder left running for another slot, records it FAILED and alerts it once', async () => {
    // Prepare
    const { label } = await goneHolderLock(harness.clock.now());
    await submitAs(label);
    harness.clock.advance((SUBMISSION_WINDOW_SECONDS + 1) * 1000);
    const state = await takeOver();

    // Act
    const settled = await settleInherited(state, deps());

    // Assess
    expect(harness.statements('CANCEL').filter((sql) => sql.includes(name))).toHaveLength(1);
    expect(settled.settled).toEqual([
      { holder: GONE, database: name, action: 'cancelled', label, state: 'FAILED' },
    ]);
    expect(settled.alerts).toHaveLength(1);
    expect(settled.alerts[0]).toMatchObject({
      runId: 'run-gone',
      label,
      alertOnce: true,
      record: { state: 'FAILED' },
    });
    const recorded = await harness.catalog.listAttemptsAt({
      cluster: harness.clusterName,
      database: name,
      scheduledTime: PREVIOUS_SLOT.toISOString(),
    });
    expect(recorded.map((item) => [item.label, item.state, item.executionId])).toEqual([
      [label, 'FAILED', GONE],
    ]);
    expect(recorded[0]?.reason).toMatch(
      /^orphaned: execution gone ended while its backup ran; me cancelled the job$/,
    );
  });

  it('defers a noted submission StarRocks does not show yet, and decides it on the second pass', async () => {
    // Prepare: noted a moment ago, never sent (or still on its way).
    const { label } = await goneHolderLock(harness.clock.now());
    const state = await takeOver();

    // Act
    const first = await settleInherited(state, deps());
    const second = await settleInherited({ ...state, orphans: first }, deps());

    // Assess
    expect(first.recheckAfterSeconds).toBe(SUBMISSION_WINDOW_SECONDS);
    expect(first.settled).toEqual([{ holder: GONE, database: name, action: 'pending', label, state: null }]);
    expect(first.alerts).toEqual([]);
    expect(second.recheckAfterSeconds).toBeUndefined();
    expect(second.settled.map((entry) => [entry.action, entry.state])).toEqual([['recorded', 'FAILED']]);
    expect(second.alerts).toHaveLength(1);
  });

  it('proves a job the ended holder finished and records it FINISHED, with no alert and no CANCEL', async () => {
    // Prepare
    const { label } = await goneHolderLock(harness.clock.now());
    await submitAs(label);
    harness.clock.advance(60 * 60_000);
    const state = await takeOver();

    // Act
    const settled = await settleInherited(state, deps());

    // Assess
    expect(harness.statements('CANCEL').filter((sql) => sql.includes(name))).toEqual([]);
    expect(settled.settled.map((entry) => [entry.action, entry.state])).toEqual([['recorded', 'FINISHED']]);
    expect(settled.alerts).toEqual([]);
    const [item] = await harness.catalog.listAttemptsAt({
      cluster: harness.clusterName,
      database: name,
      scheduledTime: PREVIOUS_SLOT.toISOString(),
    });
    expect(item).toMatchObject({ label, state: 'FINISHED', verified: true });
    expect(item?.snapshotTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/);
    expect(item?.mode).toBeUndefined();
  });

  it("records a differential schedule's job as the differential its manifest head says, never as a full", async () => {
    // Prepare: the gone holder wrote its label's manifest (head: a differential of a full) before its BACKUP.
    const { label } = await goneHolderLock(harness.clock.now());
    await createManifestStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    }).writeManifest(
      { cluster: harness.clusterName, database: name, label },
      { formatVersion: MANIFEST_FORMAT_VERSION, tables: [], others: [] },
      { mode: 'differential', baseLabel: 'nightly_full_of_last_week' },
    );
    await submitAs(label);
    harness.clock.advance(60 * 60_000);
    const state = await takeOver();

    // Act
    const settled = await settleInherited(state, deps());

    // Assess
    expect(settled.settled.map((entry) => [entry.action, entry.state])).toEqual([['recorded', 'FINISHED']]);
    const [item] = await harness.catalog.listAttemptsAt({
      cluster: harness.clusterName,
      database: name,
      scheduledTime: PREVIOUS_SLOT.toISOString(),
    });
    expect(item).toMatchObject({
      label,
      state: 'FINISHED',
      mode: 'differential',
      baseLabel: 'nightly_full_of_last_week',
    });
  });
});

describe('SettleOrphans after an execution ended without cleaning up', () => {
  it('takes its lock, settles its job, releases its lock and slot, and records the attempt it never recorded', async () => {
    // Prepare
    const { label } = await goneHolderLock(harness.clock.now());
    await submitAs(label);
    await harness.locks.acquireSlot({
      cluster: harness.clusterName,
      capacity: 4,
      holder: GONE,
      leaseSeconds: 600,
    });
    harness.clock.advance((SUBMISSION_WINDOW_SECONDS + 1) * 1000);

    // Act
    const settled = await settleEnded(
      {
        cluster: cluster(),
        executionArn: GONE,
        status: 'ABORTED',
        settler: ME,
        attempt: {
          runId: 'run-gone',
          schedule: 'nightly',
          scheduledTime: PREVIOUS_SLOT.toISOString(),
          database: name,
          label,
        },
      },
      deps(),
    );

    // Assess
    expect(settled.settled.map((entry) => [entry.action, entry.state])).toEqual([['cancelled', 'FAILED']]);
    const held = await harness.locks.listHeld(harness.clusterName);
    expect(held.locks.filter((lock) => lock.database === name)).toEqual([]);
    expect(held.slots.filter((slot) => slot.holder === GONE)).toEqual([]);
  });

  it('keeps the lock on the ended holder’s behalf while its submission is pending, and finishes on the second pass', async () => {
    // Prepare
    await goneHolderLock(harness.clock.now());
    const request = { cluster: cluster(), executionArn: GONE, status: 'ABORTED', settler: ME };

    // Act
    const first = await settleEnded(request, deps());
    const heldMeanwhile = (await harness.locks.listHeld(harness.clusterName)).locks.find(
      (lock) => lock.database === name,
    );
    const second = await settleEnded({ ...request, recheck: true }, deps());

    // Assess
    expect(first.recheckAfterSeconds).toBe(SUBMISSION_WINDOW_SECONDS);
    expect(heldMeanwhile).toMatchObject({ holder: ME, inheritedFrom: GONE });
    expect(second.settled.map((entry) => [entry.action, entry.state])).toEqual([['recorded', 'FAILED']]);
    const after = (await harness.locks.listHeld(harness.clusterName)).locks.find(
      (lock) => lock.database === name,
    );
    expect(after).toBeUndefined();
  });
});

/** Work an ended holder inherited itself and never settled is settled by whoever inherits from it. */
describe('work carried on the lock', () => {
  it('hands a taker the older work of a holder that ended before settling it', async () => {
    // Prepare: the gone holder's job runs; a second holder takes the lock over, then ends before settling.
    const { label } = await goneHolderLock(harness.clock.now());
    await submitAs(label);
    const middle = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:middle';
    const store = lockStore();
    await store.acquireLock({
      cluster: harness.clusterName,
      database: name,
      holder: middle,
      leaseSeconds: 600,
    });
    const liveness = new Set([GONE, middle]);
    const taker = createLockStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.locksTableName,
      clock: harness.clock,
      livenessOf: async (holder) => (liveness.has(holder) ? 'ended' : 'running'),
    });

    // Act
    const taken = await taker.acquireLock({
      cluster: harness.clusterName,
      database: name,
      holder: ME,
      leaseSeconds: 600,
    });

    // Assess
    const inherited = taken.takenOver as InheritedLease;
    expect(inherited.holder).toBe(middle);
    expect(inherited.submittedLabel).toBeUndefined();
    expect(inherited.unsettled).toMatchObject({ holder: GONE, submittedLabel: label });
  });
});
