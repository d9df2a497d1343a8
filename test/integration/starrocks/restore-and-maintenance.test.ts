import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BackupAlreadyRunningError,
  SnapshotInUseError,
  SnapshotNotFoundError,
  SnapshotNotOwnedError,
  StarRocksAccessDeniedError,
  StarRocksSqlError,
  UnsupportedVersionError,
} from '#domain/errors.ts';
import { createStarRocksClient, type FullStarRocksClient } from '#domain/starrocks/client.ts';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type ManualClock,
  type ProfileId,
  startEmulator,
} from '#local/emulator/index.ts';
import { PASSWORD, scenarioFor, settingsFor, statementsSince } from './support.ts';

const PROFILES: readonly ProfileId[] = ['3.3', '3.4', '3.5', '4.2'];
const RESTORE_MS = 60_000;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe.each(PROFILES)('restores, drills and pruning against the %s emulator', (version) => {
  let clock: ManualClock;
  let emulator: EmulatorHandle;
  let client: FullStarRocksClient;
  let snapshotTimestamp: string;

  async function start(overrides: Partial<EmulatorScenario> = {}): Promise<void> {
    clock = createManualClock();
    emulator = await startEmulator({
      clock,
      scenario: scenarioFor(version, {
        users: [
          { name: 'backup', password: PASSWORD },
          { name: 'no_repo', password: PASSWORD, privileges: { export: 'all' } },
          {
            name: 'orders_only',
            password: PASSWORD,
            privileges: { repository: true, export: ['sales.orders'] },
          },
        ],
        snapshots: [
          { repository: 'repo', name: 'snap1', database: 'sales', createdAt: '2026-11-20T00:00:00.143Z' },
        ],
        defaultRestoreDurationMs: RESTORE_MS,
        ...overrides,
      }),
    });
    client = createStarRocksClient(settingsFor(emulator));
    snapshotTimestamp = (await client.showSnapshot('repo', 'snap1'))?.timestamps[0] ?? '';
  }

  const restoreRequest = (overrides: object = {}) => ({
    database: 'sales',
    label: 'snap1',
    repository: 'repo',
    snapshotTimestamp,
    asDatabase: 'drill_sales',
    timeoutSeconds: 3600,
    ...overrides,
  });

  beforeEach(async () => {
    await start();
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('runs a restore drill: restore into a scratch database, count the rows, drop it', async () => {
    // Prepare
    await client.createDatabase('drill_sales', { ifNotExists: true });

    // Act
    await client.submitRestore(restoreRequest());
    const running = await client.showRestore('drill_sales');
    clock.advance(RESTORE_MS);
    const finished = await client.showRestore('drill_sales');
    const counts = [
      await client.countRows('drill_sales', 'orders'),
      await client.countRows('drill_sales', 'customers'),
    ];
    await client.dropDatabase('drill_sales');
    await client.dropDatabase('drill_sales');

    // Assess
    expect(snapshotTimestamp).toBe('2026-11-20-08-00-00-143');
    expect(running).toMatchObject({ label: 'snap1', dbName: 'drill_sales', state: 'PENDING', jobId: '-1' });
    expect(finished).toMatchObject({
      state: 'FINISHED',
      timestamp: snapshotTimestamp,
      status: { code: 'OK' },
      replicationNum: 3,
      timeoutSeconds: 3600,
    });
    expect(finished?.finishedTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(counts).toEqual([10, 5]);
    expect(await client.showDatabases()).not.toContain('drill_sales');
  });

  it('restores only the named tables, under new names', async () => {
    // Prepare
    await client.createDatabase('drill_sales', { ifNotExists: true });

    // Act
    await client.submitRestore(restoreRequest({ tables: [{ name: 'orders', alias: 'orders_check' }] }));
    clock.advance(RESTORE_MS);

    // Assess
    expect(await client.countRows('drill_sales', 'orders_check')).toBe(10);
    expect((await client.listTables('drill_sales')).map((table) => table.name)).toEqual(['orders_check']);
  });

  it('raises SnapshotNotFoundError for a wrong timestamp or a table the snapshot lacks', async () => {
    // Prepare
    await client.createDatabase('drill_sales', { ifNotExists: true });

    // Act
    const timestamp = await rejection(
      client.submitRestore(restoreRequest({ snapshotTimestamp: '2026-11-20-08-00-00-144' })),
    );
    const table = await rejection(client.submitRestore(restoreRequest({ tables: ['nope'] })));

    // Assess
    expect(timestamp).toBeInstanceOf(SnapshotNotFoundError);
    expect(timestamp.message).toContain('Maybe specified wrong backup timestamp');
    expect(table).toBeInstanceOf(SnapshotNotFoundError);
    expect(table.message).toContain('Table nope does not exist in snapshot snap1');
  });

  it('shares the database slot with backups: a restore waits for a running backup', async () => {
    // Prepare
    await client.submitBackup({
      database: 'sales',
      label: 'running',
      repository: 'repo',
      timeoutSeconds: 600,
    });

    // Act
    const error = await rejection(client.submitRestore(restoreRequest({ asDatabase: 'sales' })));

    // Assess
    expect(error).toBeInstanceOf(BackupAlreadyRunningError);
    expect(error.message).toContain('Can only run one backup or restore job of a database at same time');
  });

  it('cancels a running restore and answers when there is nothing to cancel', async () => {
    // Prepare
    await client.createDatabase('drill_sales', { ifNotExists: true });
    const nothing = await client.cancelRestore('drill_sales');
    await client.submitRestore(restoreRequest());

    // Act
    const cancelled = await client.cancelRestore('drill_sales');
    const job = await client.showRestore('drill_sales');
    const again = await client.cancelRestore('drill_sales');

    // Assess
    expect(nothing).toEqual({
      outcome: 'no-running-job',
      message: expect.stringContaining('No restore is currently running'),
    });
    expect(cancelled).toEqual({ outcome: 'cancelled' });
    expect(job).toMatchObject({
      state: 'CANCELLED',
      status: { code: 'COMMON_ERROR', msg: 'user cancelled, current state: PENDING' },
    });
    expect(again).toMatchObject({ outcome: 'already-ended', state: 'CANCELLED', label: 'snap1' });
  });

  it('refuses to create a database that exists unless asked to tolerate it', async () => {
    // Act
    const error = await rejection(client.createDatabase('sales'));
    await client.createDatabase('sales', { ifNotExists: true });

    // Assess
    expect(error).toBeInstanceOf(StarRocksSqlError);
    expect(error.message).toContain("Can't create database 'sales'; database exists");
  });

  it('reads run_mode: shared_nothing here, shared_data on a shared-data cluster', async () => {
    // Prepare
    const here = await client.runMode();
    await emulator.close();
    await start({ runMode: 'shared_data' });

    // Act
    const shared = await client.runMode();

    // Assess
    expect([here, shared]).toEqual(['shared_nothing', 'shared_data']);
  });

  it('raises StarRocksAccessDeniedError for a missing REPOSITORY, EXPORT or OPERATE privilege', async () => {
    // Prepare
    const noRepository = createStarRocksClient(settingsFor(emulator, { user: 'no_repo' }));
    const ordersOnly = createStarRocksClient(settingsFor(emulator, { user: 'orders_only' }));

    // Act
    const errors = await Promise.all([
      rejection(
        noRepository.submitBackup({
          database: 'sales',
          label: 's1',
          repository: 'repo',
          timeoutSeconds: 600,
        }),
      ),
      rejection(noRepository.showBackup('sales')),
      rejection(noRepository.showSnapshot('repo', 'snap1')),
      rejection(
        ordersOnly.submitBackup({ database: 'sales', label: 's2', repository: 'repo', timeoutSeconds: 600 }),
      ),
      rejection(ordersOnly.runMode()),
    ]);

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(StarRocksAccessDeniedError);
      expect(error.message).toMatch(/Access denied|command denied to user/);
      expect(error.message).not.toContain(PASSWORD);
    }
    expect(errors[3]?.message).toMatch(/EXPORT (command denied|privilege\(s\) on TABLE customers)/);
  });

  if (version === '4.2') {
    it('drops a snapshot this cluster wrote, and refuses one it cannot prove it owns unless forced', async () => {
      // Prepare
      await client.submitBackup({
        database: 'sales',
        label: 'fresh',
        repository: 'repo',
        timeoutSeconds: 600,
      });
      clock.advance(RESTORE_MS);

      // Act
      await client.dropSnapshot('repo', 'fresh');
      const foreign = await rejection(client.dropSnapshot('repo', 'snap1'));
      await client.dropSnapshot('repo', 'snap1', { force: true });
      const missing = await rejection(client.dropSnapshot('repo', 'snap1'));

      // Assess
      expect(foreign).toBeInstanceOf(SnapshotNotOwnedError);
      expect(missing).toBeInstanceOf(SnapshotNotFoundError);
      expect(await client.showSnapshot('repo', 'fresh')).toMatchObject({
        ok: false,
        status: 'ERROR: no snapshot',
      });
    });

    it('raises SnapshotInUseError while a restore reads the snapshot', async () => {
      // Prepare
      await client.submitRestore(restoreRequest());

      // Act
      const error = await rejection(client.dropSnapshot('repo', 'snap1', { force: true }));

      // Assess
      expect(error).toBeInstanceOf(SnapshotInUseError);
    });
  } else {
    it('refuses DROP SNAPSHOT before 4.2 without sending it', async () => {
      // Prepare
      const from = emulator.statements.length;

      // Act
      const error = await rejection(client.dropSnapshot('repo', 'snap1'));

      // Assess
      expect(error).toBeInstanceOf(UnsupportedVersionError);
      expect(statementsSince(emulator, from)).toEqual(['SELECT current_version()']);
    });
  }
});
