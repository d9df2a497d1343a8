import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

/** A snapshot of `sales` (orders: 10 rows, customers: 5 rows) taken at 2026-11-20 00:00:00.143 UTC. */
const SNAPSHOT = {
  repository: 'repo',
  name: 'snap1',
  database: 'sales',
  createdAt: '2026-11-20T00:00:00.143Z',
};
const TIMESTAMP = '2026-11-20-00-00-00-143';
const RESTORE_MS = 10_000;

interface Harness {
  emulator: EmulatorHandle;
  connection: mysql.Connection;
  clock: ManualClock;
}

let harness: Harness | undefined;

async function start(overrides: Partial<EmulatorScenario> = {}): Promise<Harness> {
  const clock = createManualClock();
  const emulator = await startEmulator({
    clock,
    scenario: testScenario({ snapshots: [SNAPSHOT], defaultRestoreDurationMs: RESTORE_MS, ...overrides }),
  });
  harness = { emulator, connection: await connect(emulator), clock };
  return harness;
}

afterEach(async () => {
  await harness?.connection.end();
  await harness?.emulator.close();
  harness = undefined;
});

async function restoreRow(connection: mysql.Connection, database: string): Promise<Record<string, unknown>> {
  const result = await rows(connection, `SHOW RESTORE FROM ${database}`);
  if (result.length !== 1)
    throw new Error(`expected one SHOW RESTORE row for ${database}, got ${result.length}`);
  return result[0] as Record<string, unknown>;
}

const properties = (extra = '') => `PROPERTIES ('backup_timestamp' = '${TIMESTAMP}'${extra})`;

describe('RESTORE on the 3.3 profile', () => {
  it('walks through every state, then creates the tables with the snapshot row counts when it finishes', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    await connection.query('CREATE DATABASE scratch');
    await connection.query(`RESTORE SNAPSHOT scratch.snap1 FROM repo ${properties()}`);
    const seen: { state: unknown; jobId: unknown; tables: number }[] = [];

    // Act
    for (let elapsed = 0; elapsed <= RESTORE_MS + 500; elapsed += 100) {
      const row = await restoreRow(connection, 'scratch');
      seen.push({
        state: row.State,
        jobId: row.JobId,
        tables: emulator.state.tables('scratch')?.length ?? -1,
      });
      clock.advance(100);
    }
    const [count] = await rows(connection, 'SELECT COUNT(*) AS n FROM `scratch`.`orders`');

    // Assess
    const states = seen.map((sample) => sample.state).filter((state, index, all) => state !== all[index - 1]);
    expect(states).toEqual([
      'PENDING',
      'SNAPSHOTING',
      'DOWNLOAD',
      'DOWNLOADING',
      'COMMIT',
      'COMMITTING',
      'FINISHED',
    ]);
    expect(seen.filter((sample) => sample.state === 'PENDING').every((sample) => sample.jobId === '-1')).toBe(
      true,
    );
    expect(seen.filter((sample) => sample.state !== 'FINISHED').every((sample) => sample.tables === 0)).toBe(
      true,
    );
    expect(emulator.state.tables('scratch')?.map((table) => [table.name, table.rows])).toEqual([
      ['orders', 10],
      ['customers', 5],
    ]);
    expect(count).toEqual({ n: 10 });
  });

  it('shows the 18 SHOW RESTORE columns of a finished job', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query(`RESTORE SNAPSHOT sales.snap1 FROM repo ${properties(", 'timeout' = '3600'")}`);

    // Act
    clock.advance(RESTORE_MS);
    const row = await restoreRow(connection, 'sales');

    // Assess
    expect(row).toEqual({
      JobId: expect.stringMatching(/^\d+$/),
      Label: 'snap1',
      Timestamp: TIMESTAMP,
      DbName: 'sales',
      State: 'FINISHED',
      AllowLoad: 'false',
      ReplicationNum: '3',
      RestoreObjs: 'orders, customers', // Java HashMap order of the info file's tables
      CreateTime: '2026-11-25 02:00:00',
      MetaPreparedTime: '2026-11-25 02:00:00',
      SnapshotFinishedTime: '2026-11-25 02:00:01',
      DownloadFinishedTime: '2026-11-25 02:00:07',
      FinishedTime: '2026-11-25 02:00:10',
      UnfinishedTasks: '',
      Progress: '',
      TaskErrMsg: '',
      Status: '[OK]',
      Timeout: '3600',
    });
  });

  it('shows per-BE download progress while DOWNLOADING', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query(`RESTORE SNAPSHOT sales.snap1 FROM repo ${properties()}`);

    // Act
    clock.advance(RESTORE_MS * 0.5);
    const row = await restoreRow(connection, 'sales');

    // Assess
    expect(row).toMatchObject({ State: 'DOWNLOADING', SnapshotFinishedTime: expect.any(String) });
    expect(String(row.Progress)).toMatch(/^\[\d+: \d+\/\d+\](, \[\d+: \d+\/\d+\])*$/);
    expect(String(row.UnfinishedTasks)).toMatch(/^\d+=\d+/);
  });

  it.each([
    ["PROPERTIES ('timeout' = '3600')", 'Missing backup_timestamp property'],
    [properties(", 'replication' = '1', 'x' = 'y'"), 'Unknown restore job properties: [replication, x]'],
    [properties(", 'allow_load' = 'yes'"), 'Invalid allow load value: yes'],
    [properties(", 'replication_num' = 'three'"), 'Invalid meta version format: three'],
    [properties(", 'timeout' = '60'"), 'timeout must be at least 10 min'],
    [`ON (orders, orders) ${properties()}`, 'Duplicated table: orders'],
    [`ON (orders AS customers, customers) ${properties()}`, 'Duplicated alias name: customers'],
  ])('rejects %s in the analyzer', async (tail, message) => {
    // Prepare
    const { connection } = await start();

    // Act
    const error = await sqlError(connection, `RESTORE SNAPSHOT sales.snap1 FROM repo ${tail}`);

    // Assess
    expect(error).toEqual(legacyError(message));
  });

  it('checks the repository, the database, the snapshot timestamp and its tables when executing', async () => {
    // Prepare
    const { connection } = await start();

    // Act
    const repository = await sqlError(connection, `RESTORE SNAPSHOT sales.snap1 FROM nope ${properties()}`);
    const database = await sqlError(connection, `RESTORE SNAPSHOT nowhere.snap1 FROM repo ${properties()}`);
    const wrongTime = await sqlError(
      connection,
      "RESTORE SNAPSHOT sales.snap1 FROM repo PROPERTIES ('backup_timestamp' = '2026-11-20-00-00-01-000')",
    );
    const prefix = await sqlError(
      connection,
      "RESTORE SNAPSHOT sales.snap1 FROM repo PROPERTIES ('backup_timestamp' = '2026-11-20-00-00-00')",
    );
    const table = await sqlError(
      connection,
      `RESTORE SNAPSHOT sales.snap1 FROM repo ON (nope) ${properties()}`,
    );

    // Assess
    const info = 's3a://bucket/backups/__starrocks_repository_repo/__ss_snap1/__info_';
    expect(repository).toEqual(legacyError('Repository nope does not exist'));
    expect(database).toEqual(legacyError("Unknown database 'nowhere'"));
    expect(wrongTime).toEqual(
      legacyError(
        `Failed to get info of snapshot 'snap1' because: Expected one file with path: ${info}2026-11-20-00-00-01-000. get: 0. Maybe specified wrong backup timestamp`,
      ),
    );
    expect(prefix).toEqual(
      legacyError(
        `Failed to get info of snapshot 'snap1' because: File does not exist: ${info}2026-11-20-00-00-00. Maybe specified wrong backup timestamp`,
      ),
    );
    expect(table).toEqual(legacyError('Table nope does not exist in snapshot snap1'));
  });

  it('shares the one job slot of a database with BACKUP, both ways', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query(
      `RESTORE SNAPSHOT sales.snap1 FROM repo ON (orders AS orders_copy) ${properties()}`,
    );

    // Act
    const backupDuringRestore = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');
    const showBackup = await rows(connection, 'SHOW BACKUP FROM sales');
    clock.advance(RESTORE_MS);
    await connection.query('BACKUP SNAPSHOT sales.s2 TO repo');
    const restoreDuringBackup = await sqlError(
      connection,
      `RESTORE SNAPSHOT sales.snap1 FROM repo ${properties()}`,
    );
    const showRestore = await rows(connection, 'SHOW RESTORE FROM sales');

    // Assess
    const busy = legacyError('Can only run one backup or restore job of a database at same time');
    expect(backupDuringRestore).toEqual(busy);
    expect(restoreDuringBackup).toEqual(busy);
    expect(showBackup).toEqual([]);
    expect(showRestore).toEqual([]);
    expect(harness?.emulator.state.tables('sales')?.map((table) => table.name)).toEqual([
      'orders',
      'customers',
      'orders_copy',
    ]);
  });

  it('cancels a running restore, which then leaves no table behind', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    await connection.query('CREATE DATABASE scratch');
    const nothing = await sqlError(connection, 'CANCEL RESTORE FROM scratch');
    await connection.query(`RESTORE SNAPSHOT scratch.snap1 FROM repo ${properties()}`);
    clock.advance(RESTORE_MS * 0.5);

    // Act
    await connection.query('CANCEL RESTORE FROM scratch');
    const cancelBackup = await sqlError(connection, 'CANCEL BACKUP FROM scratch');
    clock.advance(RESTORE_MS);
    const row = await restoreRow(connection, 'scratch');
    const again = await sqlError(connection, 'CANCEL RESTORE FROM scratch');

    // Assess
    expect(nothing).toEqual(legacyError('No restore is currently running'));
    expect(cancelBackup).toEqual(legacyError('No backup job is currently running'));
    expect(row).toMatchObject({
      State: 'CANCELLED',
      Status: '[COMMON_ERROR, msg: user cancelled, current state: DOWNLOADING]',
      FinishedTime: '2026-11-25 02:00:05',
    });
    expect(again).toEqual(
      legacyError('Failed to cancel job: Job with label snap1 can not be cancelled. state: CANCELLED'),
    );
    expect(emulator.state.tables('scratch')).toEqual([]);
  });

  it('cancels a restore that outlives its timeout property with the TIMEOUT status', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    emulator.faults.hangNextRestore('sales');
    await connection.query(`RESTORE SNAPSHOT sales.snap1 FROM repo ${properties(", 'timeout' = '600'")}`);

    // Act
    clock.advance(599_000);
    const hanging = await restoreRow(connection, 'sales');
    clock.advance(2_000);
    const timedOut = await restoreRow(connection, 'sales');

    // Assess
    expect(hanging.State).toBe('DOWNLOADING');
    expect(timedOut).toMatchObject({
      State: 'CANCELLED',
      Status: '[TIMEOUT, msg: restore job with label: snap1  timeout.]',
    });
  });

  it('ends a restore CANCELLED with an injected status', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    emulator.faults.cancelNextRestore('sales', '[COMMON_ERROR, msg: Failed to read backup meta from file]');
    await connection.query(`RESTORE SNAPSHOT sales.snap1 FROM repo ON (orders AS o2) ${properties()}`);

    // Act
    clock.advance(RESTORE_MS);
    const row = await restoreRow(connection, 'sales');

    // Assess
    expect(row).toMatchObject({
      State: 'CANCELLED',
      Status: '[COMMON_ERROR, msg: Failed to read backup meta from file]',
    });
    expect(emulator.state.tables('sales')?.map((table) => table.name)).toEqual(['orders', 'customers']);
  });

  it('rejects the 3.4 DATABASE clause with a syntax error', async () => {
    // Prepare
    const { connection } = await start();

    // Act
    const error = await sqlError(
      connection,
      `RESTORE SNAPSHOT snap1 FROM repo DATABASE sales ${properties()}`,
    );

    // Assess
    expect(error.message).toMatch(
      /^Getting syntax error at line 1, column 33\. Detail message: Unexpected input 'DATABASE'/,
    );
  });
});

describe('RESTORE on the 3.4+ profiles', () => {
  it.each(['3.4', '3.5', '4.2'])(
    'restores into DATABASE src AS dst, creating the database at submission (%s)',
    async (version) => {
      // Prepare
      const { connection, clock, emulator } = await start({ version });

      // Act
      await connection.query(
        `RESTORE SNAPSHOT snap1 FROM repo DATABASE sales AS sales_drill ${properties()}`,
      );
      const atSubmit = emulator.state.tables('sales_drill');
      clock.advance(RESTORE_MS);
      const [count] = await rows(connection, 'SELECT COUNT(*) FROM `sales_drill`.`customers`');

      // Assess
      expect(atSubmit).toEqual([]);
      expect(emulator.state.latestRestoreJob('sales_drill')).toMatchObject({
        state: 'FINISHED',
        status: '[OK]',
      });
      expect(count).toEqual({ 'COUNT(*)': 5 });
    },
  );

  it('lists the restore job of every database in SHOW RESTORE without FROM', async () => {
    // Prepare
    const { connection } = await start({ version: '3.4' });
    await connection.query(`RESTORE SNAPSHOT snap1 FROM repo DATABASE sales AS copy_a ${properties()}`);
    await connection.query(`RESTORE SNAPSHOT snap1 FROM repo DATABASE sales AS copy_b ${properties()}`);
    await connection.query('BACKUP SNAPSHOT mixed.other TO repo ON (facts)');

    // Act
    const all = await rows(connection, 'SHOW RESTORE');
    const filtered = await rows(connection, "SHOW RESTORE WHERE Label = 'ignored'");

    // Assess
    expect(all.map((row) => row.DbName)).toEqual(['copy_a', 'copy_b']);
    expect(filtered).toEqual(all);
  });

  it('restores into the snapshot database when the statement names none', async () => {
    // Prepare
    const { connection, clock, emulator } = await start({ version: '3.4' });
    await connection.query('DROP DATABASE sales');

    // Act
    await connection.query(`RESTORE SNAPSHOT snap1 FROM repo ${properties()}`);
    clock.advance(RESTORE_MS);

    // Assess
    expect(emulator.state.tables('sales')?.map((table) => [table.name, table.rows])).toEqual([
      ['orders', 10],
      ['customers', 5],
    ]);
  });

  it('restores a snapshot the emulator took, read back from SHOW SNAPSHOT', async () => {
    // Prepare
    const { connection, clock } = await start({ version: '3.5' });
    await connection.query('BACKUP SNAPSHOT sales.fresh TO repo');
    clock.advance(60_000);
    const [snapshot] = await rows(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 'fresh'");

    // Act
    await connection.query(
      `RESTORE SNAPSHOT fresh FROM repo DATABASE sales AS sales_copy ON (TABLE orders) PROPERTIES ('backup_timestamp' = '${String(snapshot?.Timestamp)}')`,
    );
    clock.advance(RESTORE_MS);
    const [count] = await rows(connection, 'SELECT COUNT(*) AS n FROM sales_copy.orders');

    // Assess
    expect(count).toEqual({ n: 10 });
  });
});
