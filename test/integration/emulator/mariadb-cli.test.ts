import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { connect, testScenario } from './helpers.ts';

// Always async: execFileSync would block the event loop that serves the in-process emulator.
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the Debian mariadb client against the emulator (what a person sees)', () => {
  let emulator: EmulatorHandle;
  const clock = createManualClock(Date.UTC(2026, 10, 25, 2, 0, 0, 143));

  async function mariadb(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run('mariadb', [
        '-h',
        emulator.host,
        '-P',
        String(emulator.port),
        ...args,
      ]);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number | string; stdout?: string; stderr?: string };
      // A missing binary (ENOENT) must fail the test, not skip it.
      if (typeof failure.code !== 'number') throw error;
      return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
    }
  }

  beforeAll(async () => {
    emulator = await startEmulator({ clock, scenario: testScenario({ feTimeZone: 'Asia/Shanghai' }) });
    const connection = await connect(emulator);
    await connection.query('BACKUP SNAPSHOT sales.nightly_sales TO repo ON (orders)');
    await connection.end();
    clock.advance(10_000);
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('prints SHOW BACKUP of a finished job as a table, times in the FE zone', async () => {
    // Act
    const result = await mariadb('-u', 'root', '--table', '-e', 'SHOW BACKUP FROM sales');

    // Assess
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '+-------+---------------+--------+----------+----------------+---------------------+----------------------+---------------------+---------------------+-----------------+--------------+------------+--------+---------+',
        '| JobId | SnapshotName  | DbName | State    | BackupObjs     | CreateTime          | SnapshotFinishedTime | UploadFinishedTime  | FinishedTime        | UnfinishedTasks | Progress     | TaskErrMsg | Status | Timeout |',
        '+-------+---------------+--------+----------+----------------+---------------------+----------------------+---------------------+---------------------+-----------------+--------------+------------+--------+---------+',
        '| 11000 | nightly_sales | sales  | FINISHED | [sales.orders] | 2026-11-25 10:00:00 | 2026-11-25 10:00:02  | 2026-11-25 10:00:08 | 2026-11-25 10:00:10 |                 | [11001: 4/4] |            | [OK]   | 86400   |',
        '+-------+---------------+--------+----------+----------------+---------------------+----------------------+---------------------+---------------------+-----------------+--------------+------------+--------+---------+',
        '',
      ].join('\n'),
    });
  });

  it('prints a running job in batch mode with NULL for the unset times', async () => {
    // Prepare
    const connection = await connect(emulator);
    await connection.query('BACKUP SNAPSHOT mixed.running_now TO repo ON (facts)');
    await connection.end();

    // Act
    const result = await mariadb('-u', 'root', '-e', 'SHOW BACKUP FROM mixed');

    // Assess
    expect(result.stdout.split('\n')[1]?.split('\t')).toEqual([
      '-1',
      'running_now',
      'mixed',
      'PENDING',
      '[mixed.facts]',
      '2026-11-25 10:00:10',
      'NULL',
      'NULL',
      'NULL',
      '',
      '',
      '',
      '[OK]',
      '86400',
    ]);
  });

  it('prints SHOW SNAPSHOT with the millisecond timestamp in the FE zone', async () => {
    // Act
    const result = await mariadb('-u', 'root', '--table', '-e', 'SHOW SNAPSHOT ON repo');

    // Assess
    expect(result.stdout).toBe(
      [
        '+---------------+-------------------------+--------+',
        '| Snapshot      | Timestamp               | Status |',
        '+---------------+-------------------------+--------+',
        '| nightly_sales | 2026-11-25-10-00-00-143 | OK     |',
        '+---------------+-------------------------+--------+',
        '',
      ].join('\n'),
    );
  });

  it('prints a StarRocks syntax error the way the client reports server errors', async () => {
    // Act
    const result = await mariadb('-u', 'root', '-e', "SHOW BACKUP WHERE State = 'FINISHED'");

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      "ERROR 1064 (HY000) at line 1: Getting syntax error at line 1, column 12. Detail message: Unexpected input 'WHERE', the most similar input is {'FROM', 'IN', <EOF>, ';'}.",
    );
  });

  it('switches databases with USE (COM_INIT_DB) in batch mode and prints tab-separated rows', async () => {
    // Act
    const result = await mariadb('-u', 'root', '-e', 'USE sales; SHOW DATA');

    // Assess
    expect(result.stdout).toBe(
      [
        'TableName\tSize\tReplicaCount',
        'customers\t921.000 B\t3',
        'orders\t1.399 KB\t3',
        'Total\t2.299 KB\t6',
        'Quota\t8388608.000 TB\t1073741824',
        'Left\t8388608.000 TB\t1073741818',
        '',
      ].join('\n'),
    );
  });

  it('reports a refused login with StarRocks access-denied text', async () => {
    // Act
    const result = await mariadb('-u', 'root', '-pwrong', '-e', 'SELECT 1');

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "ERROR 1045 (28000): Access denied for user 'root' (using password: YES)",
    );
  });
});
