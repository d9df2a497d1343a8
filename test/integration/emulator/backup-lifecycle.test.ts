import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { backupRow, connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

interface Harness {
  emulator: EmulatorHandle;
  connection: mysql.Connection;
  clock: ManualClock;
}

let harness: Harness | undefined;

async function start(overrides: Partial<EmulatorScenario> = {}): Promise<Harness> {
  const clock = createManualClock(Date.UTC(2026, 10, 25, 2, 0, 0, 250));
  const emulator = await startEmulator({ clock, scenario: testScenario(overrides) });
  harness = { emulator, connection: await connect(emulator), clock };
  return harness;
}

afterEach(async () => {
  await harness?.connection.end();
  await harness?.emulator.close();
  harness = undefined;
});

function progressCounts(progress: unknown): [number, number][] {
  return [...String(progress).matchAll(/\[\d+: (\d+)\/(\d+)\]/g)].map((match) => [
    Number(match[1]),
    Number(match[2]),
  ]);
}

describe('BACKUP job lifecycle with a manual clock', () => {
  it('walks through every state and shows JobId -1 until the first scheduler tick', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');
    const seen: { state: unknown; jobId: unknown }[] = [];

    // Act: 10 s job, sampled every 100 ms until it is done
    for (let elapsed = 0; elapsed <= 10_500; elapsed += 100) {
      const row = await backupRow(connection, 'sales');
      seen.push({ state: row.State, jobId: row.JobId });
      clock.advance(100);
    }

    // Assess
    const states = seen.map((sample) => sample.state).filter((state, index, all) => state !== all[index - 1]);
    expect(states).toEqual([
      'PENDING',
      'SNAPSHOTING',
      'UPLOAD_SNAPSHOT',
      'UPLOADING',
      'SAVE_META',
      'UPLOAD_INFO',
      'FINISHED',
    ]);
    expect(seen.filter((sample) => sample.state === 'PENDING').every((sample) => sample.jobId === '-1')).toBe(
      true,
    );
    expect(
      seen.filter((sample) => sample.state !== 'PENDING').every((sample) => Number(sample.jobId) > 0),
    ).toBe(true);
  });

  it('grows Progress with elapsed time during UPLOADING', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');
    const samples: [number, number][][] = [];

    // Act
    for (let elapsed = 0; elapsed <= 10_000; elapsed += 500) {
      const row = await backupRow(connection, 'sales');
      if (row.State === 'UPLOADING') samples.push(progressCounts(row.Progress));
      clock.advance(500);
    }
    const finished = await backupRow(connection, 'sales');

    // Assess
    const done = samples.map((tasks) => tasks.reduce((sum, [count]) => sum + count, 0));
    expect(samples.length).toBeGreaterThan(5);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done[done.length - 1]).toBeGreaterThan(done[0] as number);
    expect(progressCounts(finished.Progress).every(([count, total]) => count === total)).toBe(true);
  });

  it('formats times in the FE zone without a zone designator and leaves unset times NULL', async () => {
    // Prepare
    const { connection, clock } = await start({ feTimeZone: 'Asia/Shanghai' });
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');
    const pending = await backupRow(connection, 'sales');

    // Act
    clock.advance(10_000);
    const finished = await backupRow(connection, 'sales');

    // Assess
    expect(pending).toMatchObject({
      CreateTime: '2026-11-25 10:00:00',
      SnapshotFinishedTime: null,
      UploadFinishedTime: null,
      FinishedTime: null,
      Status: '[OK]',
      Timeout: '86400',
      BackupObjs: '[sales.customers], [sales.orders]',
    });
    expect(finished).toMatchObject({
      State: 'FINISHED',
      SnapshotFinishedTime: '2026-11-25 10:00:02',
      UploadFinishedTime: '2026-11-25 10:00:08',
      FinishedTime: '2026-11-25 10:00:10',
      UnfinishedTasks: '',
      TaskErrMsg: '',
      Status: '[OK]',
    });
  });

  it('cancels a job at its timeout property with [TIMEOUT, msg: ], measured from CreateTime', async () => {
    // Prepare
    const { emulator, connection, clock } = await start();
    emulator.faults.hangNextBackup('sales');
    await connection.query("BACKUP SNAPSHOT sales.s1 TO repo PROPERTIES ('timeout' = '600')");

    // Act
    clock.advance(600_000);
    const atTimeout = await backupRow(connection, 'sales');
    clock.advance(1);
    const after = await backupRow(connection, 'sales');

    // Assess
    expect(atTimeout.State).toBe('UPLOADING');
    expect(after).toMatchObject({
      State: 'CANCELLED',
      Status: '[TIMEOUT, msg: ]',
      FinishedTime: '2026-11-25 02:10:00',
    });
  });

  it('cancels a running job with CANCEL BACKUP and refuses to cancel a finished one', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');
    clock.advance(2_000);

    // Act
    await connection.query('CANCEL BACKUP FROM sales');
    const cancelled = await backupRow(connection, 'sales');
    const again = await sqlError(connection, 'CANCEL BACKUP FROM sales');

    // Assess
    expect(cancelled).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: user cancelled]' });
    expect(again).toEqual(
      legacyError('Failed to cancel job: Job with label s1 can not be cancelled. state: CANCELLED'),
    );
  });

  it('answers CANCEL BACKUP without a job or database like StarRocks', async () => {
    // Prepare
    const { connection } = await start();

    // Act
    const none = await sqlError(connection, 'CANCEL BACKUP IN sales');
    const unknown = await sqlError(connection, 'CANCEL BACKUP FROM nowhere');

    // Assess
    expect(none).toEqual(legacyError('No backup job is currently running'));
    expect(unknown).toEqual(legacyError("Unknown database 'nowhere'"));
  });

  it('shows ERROR: no snapshot while uploading and the CreateTime timestamp once finished', async () => {
    // Prepare
    const { connection, clock } = await start({ feTimeZone: '+08:00' });
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    const before = await rows(connection, 'SHOW SNAPSHOT ON repo');
    clock.advance(5_000);
    const uploading = await rows(connection, 'SHOW SNAPSHOT ON repo');
    clock.advance(5_000);
    const finished = await rows(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 's1'");

    // Assess
    expect(before).toEqual([]);
    expect(uploading).toEqual([{ Snapshot: 's1', Timestamp: '', Status: 'ERROR: no snapshot' }]);
    expect(finished).toEqual([{ Snapshot: 's1', Timestamp: '2026-11-25-10-00-00-250', Status: 'OK' }]);
  });

  it('names the database in the detail form of SHOW SNAPSHOT', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo ON (orders)');
    clock.advance(10_000);

    // Act
    const [detail] = await rows(
      connection,
      "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 's1' AND TIMESTAMP = '2026-11-25-02-00-00-250'",
    );
    const [wrong] = await rows(
      connection,
      "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 's1' AND TIMESTAMP = '2026-11-25-02-00-00'",
    );

    // Assess
    expect(detail).toMatchObject({
      Snapshot: 's1',
      Timestamp: '2026-11-25-02-00-00-250',
      Database: 'sales',
      Status: 'OK',
    });
    expect(JSON.parse(String(detail?.Details))).toMatchObject({
      name: 's1',
      database: 'sales',
      backup_objects: { orders: { partitions: { orders: {} } } },
      backup_result: 'succeed',
    });
    expect(wrong).toEqual({
      Snapshot: 's1',
      Timestamp: '2026-11-25-02-00-00',
      Database: null,
      Details: null,
      Status:
        'Failed to get info: File does not exist: s3a://bucket/backups/__starrocks_repository_repo/__ss_s1/__info_2026-11-25-02-00-00',
    });
  });

  it('filters SHOW SNAPSHOT with SNAPSHOT IN and rejects other WHERE shapes', async () => {
    // Prepare
    const { connection } = await start({
      snapshots: [
        { repository: 'repo', name: 'b_old', database: 'sales', createdAt: '2026-11-01T00:00:00.001Z' },
        { repository: 'repo', name: 'a_broken', database: 'sales', status: 'ERROR' },
      ],
    });

    // Act
    const all = await rows(connection, 'SHOW SNAPSHOT ON repo');
    const some = await rows(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT IN ('b_old', 'missing')");
    const orError = await sqlError(
      connection,
      "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 'a' OR SNAPSHOT = 'b'",
    );
    const inError = await sqlError(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT IN ('a', 1)");
    const repoError = await sqlError(connection, 'SHOW SNAPSHOT ON nope');

    // Assess
    expect(all).toEqual([
      { Snapshot: 'a_broken', Timestamp: '', Status: 'ERROR: no snapshot' },
      { Snapshot: 'b_old', Timestamp: '2026-11-01-00-00-00-001', Status: 'OK' },
    ]);
    expect(some).toEqual([
      { Snapshot: 'b_old', Timestamp: '2026-11-01-00-00-00-001', Status: 'OK' },
      { Snapshot: 'missing', Timestamp: '', Status: 'ERROR: no snapshot' },
    ]);
    expect(orError).toEqual(
      legacyError(
        "Where clause should looks like: SNAPSHOT = 'your_snapshot_name' [AND TIMESTAMP = '2018-04-18-19-19-10']",
      ),
    );
    expect(inError).toEqual(legacyError('Child of in predicate should be string value'));
    expect(repoError).toEqual(legacyError('Repository [nope] does not exist'));
  });

  it('shows every database latest job without FROM, and only the latest job per database', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.first TO repo');
    clock.advance(20_000);
    await connection.query('BACKUP SNAPSHOT sales.second TO repo');
    await connection.query('BACKUP SNAPSHOT mixed.third TO repo ON (facts)');

    // Act
    const result = await rows(connection, 'SHOW BACKUP');

    // Assess
    expect(result.map((row) => [row.DbName, row.SnapshotName])).toEqual([
      ['sales', 'second'],
      ['mixed', 'third'],
    ]);
  });

  it('frees a label once its snapshot directory is deleted by hand', async () => {
    // Prepare
    const { emulator, connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');
    clock.advance(10_000);
    const refused = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    emulator.state.deleteSnapshot('repo', 's1');
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Assess
    expect(refused.message).toBe("Snapshot with name 's1' already exist in repository");
    expect(emulator.state.latestJob('sales')).toMatchObject({ label: 's1', state: 'PENDING' });
  });

  it('drops the SHOW BACKUP row 7 days after the job ended, at the next label-clean run', async () => {
    // Prepare
    const { connection, clock } = await start();
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');
    clock.advance(10_000);

    // Act
    clock.advance(7 * 86_400_000);
    const kept = await rows(connection, 'SHOW BACKUP FROM sales');
    clock.advance(4 * 3_600_000);
    const dropped = await rows(connection, 'SHOW BACKUP FROM sales');

    // Assess
    expect(kept).toHaveLength(1);
    expect(dropped).toEqual([]);
  });
});
