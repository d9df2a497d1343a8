import type mysql from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { backupRow, connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

describe('emulator fault injection', () => {
  let emulator: EmulatorHandle;
  let connection: mysql.Connection;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = createManualClock();
    emulator = await startEmulator({ clock, scenario: testScenario() });
    connection = await connect(emulator);
  });

  afterEach(async () => {
    await connection.end().catch(() => undefined);
    await emulator.close();
  });

  it('ends the next backup CANCELLED with the given status and leaves the upload directory behind', async () => {
    // Prepare
    const status =
      '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10042. visible version: 5]';
    emulator.faults.cancelNextBackup('sales', status);
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    clock.advance(10_000);
    const row = await backupRow(connection, 'sales');
    const snapshots = await rows(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 's1'");

    // Assess
    expect(row).toMatchObject({ State: 'CANCELLED', Status: status });
    expect(snapshots).toEqual([{ Snapshot: 's1', Timestamp: '', Status: 'ERROR: no snapshot' }]);
  });

  it('keeps a hanging backup running until CANCEL BACKUP', async () => {
    // Prepare
    emulator.faults.hangNextBackup('sales');
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    clock.advance(3_600_000);
    const running = await backupRow(connection, 'sales');
    await connection.query('CANCEL BACKUP FROM sales');
    const cancelled = await backupRow(connection, 'sales');

    // Assess
    expect(running).toMatchObject({ State: 'UPLOADING', Status: '[OK]', FinishedTime: null });
    expect(cancelled).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: user cancelled]' });
  });

  it('stands a stalled backup still for the stall, Progress included, then lets it run on', async () => {
    // Prepare: a 10-s job is UPLOADING from 2 s to 8 s; the stall begins at 5 s and lasts 60 s.
    emulator.faults.stallBackup('sales', { atFraction: 0.5, forMs: 60_000 });
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    clock.advance(5_000);
    const stalledEarly = await backupRow(connection, 'sales');
    clock.advance(50_000);
    const stalledLate = await backupRow(connection, 'sales');
    clock.advance(12_000);
    const resumed = await backupRow(connection, 'sales');
    clock.advance(10_000);
    const finished = await backupRow(connection, 'sales');

    // Assess
    expect(stalledEarly.State).toBe('UPLOADING');
    expect(stalledEarly.Progress).not.toBe('');
    expect(stalledLate).toMatchObject({ State: 'UPLOADING', Progress: stalledEarly.Progress });
    expect(resumed.State).toBe('UPLOADING');
    expect(resumed.Progress).not.toBe(stalledEarly.Progress);
    expect(finished.State).toBe('FINISHED');
  });

  it('keeps the Progress column empty for a database whose scenario says backup.progress: false', async () => {
    // Prepare
    await emulator.close();
    emulator = await startEmulator({
      clock,
      scenario: testScenario({
        databases: [{ name: 'quiet', tables: [{ name: 't' }], backup: { progress: false } }],
      }),
    });
    await connection.end();
    connection = await connect(emulator);
    await connection.query('BACKUP SNAPSHOT quiet.s1 TO repo');

    // Act
    clock.advance(5_000);
    const uploading = await backupRow(connection, 'quiet');

    // Assess
    expect(uploading).toMatchObject({ State: 'UPLOADING', Progress: '' });
  });

  it('rejects the first N backups of a database with the already-running error, optionally wrapped', async () => {
    // Prepare
    emulator.faults.rejectBackups('sales', 1);
    emulator.faults.rejectBackups('sales', 1, { wrapUnexpectedException: true });

    // Act
    const first = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');
    const second = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Assess
    expect(first).toEqual(legacyError('Can only run one backup or restore job of a database at same time'));
    expect(second).toEqual(
      legacyError('Unexpected exception: Can only run one backup or restore job of a database at same time'),
    );
    expect(emulator.state.jobs('sales')).toHaveLength(1);
  });

  it('can reject with the submit-lock error instead', async () => {
    // Prepare
    emulator.faults.rejectBackups('sales', 1, { reason: 'being-submitted' });

    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');

    // Assess
    expect(error).toEqual(
      legacyError('Another backup or restore job is being submitted. Please wait and try again'),
    );
  });

  it('destroys the socket on a matching statement, before or after executing it', async () => {
    // Prepare
    emulator.faults.dropConnectionOn(/^BACKUP/i, { when: 'after' });
    emulator.faults.dropConnectionOn('show backup');

    // Act
    const dropped = await connection
      .query('BACKUP SNAPSHOT sales.s1 TO repo')
      .catch((error: unknown) => error);
    const other = await connect(emulator);
    const droppedAgain = await other.query('SHOW BACKUP').catch((error: unknown) => error);
    const third = await connect(emulator);
    const afterFaults = await rows(third, 'SHOW BACKUP');
    await third.end();

    // Assess
    expect(dropped).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' });
    expect(droppedAgain).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' });
    expect(afterFaults.map((row) => row.SnapshotName)).toEqual(['s1']);
  });

  it('delays replies to matching statements', async () => {
    // Prepare
    emulator.faults.delayReplies('SELECT 1', 150, { times: 1 });

    // Act
    const started = performance.now();
    await connection.query('SELECT 1');
    const delayed = performance.now() - started;
    const again = performance.now();
    await connection.query('SELECT 1');
    const undelayed = performance.now() - again;

    // Assess
    expect(delayed).toBeGreaterThanOrEqual(140);
    expect(undelayed).toBeLessThan(100);
  });

  it('refuses logins even with the right password', async () => {
    // Prepare
    emulator.faults.refuseLogins({ times: 1 });

    // Act
    const refused = await connect(emulator).catch((error: unknown) => error);
    const accepted = await connect(emulator);
    await accepted.end();

    // Assess
    expect(refused).toMatchObject({
      errno: 1045,
      sqlState: '28000',
      message: "Access denied for user 'root' (using password: NO)",
    });
  });

  it('replaces the latest SHOW BACKUP row with a foreign job while our snapshot stays in the repository', async () => {
    // Prepare
    await connection.query('BACKUP SNAPSHOT sales.ours TO repo');
    clock.advance(3_000);

    // Act
    emulator.faults.replaceLatestJob('sales', { label: 'someone_else', state: 'RUNNING' });
    const latest = await backupRow(connection, 'sales');
    const snapshots = await rows(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 'ours'");
    const blocked = await sqlError(connection, 'BACKUP SNAPSHOT sales.next TO repo');

    // Assess
    expect(latest).toMatchObject({ SnapshotName: 'someone_else', State: 'PENDING' });
    expect(snapshots).toEqual([{ Snapshot: 'ours', Timestamp: '2026-11-25-02-00-00-000', Status: 'OK' }]);
    expect(blocked.message).toBe('Can only run one backup or restore job of a database at same time');
  });

  it('reports the execution-phase repository error when the repository is dropped mid-statement', async () => {
    // Prepare
    emulator.faults.dropRepositoryDuringNextBackup('repo');

    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');
    const next = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');

    // Assess
    expect(error).toEqual(legacyError('Repository repo does not exist'));
    expect(next).toEqual(legacyError('Repository [repo] does not exist'));
  });

  it('applies a persistent outcome and duration to every later backup of a database', async () => {
    // Prepare
    emulator.faults.setBackupOutcome('sales', 'finish', 60_000);
    await connection.query('BACKUP SNAPSHOT sales.slow TO repo');

    // Act
    clock.advance(30_000);
    const halfway = await backupRow(connection, 'sales');
    clock.advance(30_000);
    const done = await backupRow(connection, 'sales');

    // Assess
    expect(halfway.State).toBe('UPLOADING');
    expect(done.State).toBe('FINISHED');
  });
});
