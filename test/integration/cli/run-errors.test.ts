import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMO_ENDPOINT_FILE } from '#local/dynamo/index.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import {
  CLI_TEST_SCENARIO,
  closedPort,
  clusterConfig,
  parseJsonDocument,
  runCli,
  startCli,
  writeConfig,
} from './cli-harness.ts';

/** A stack trace line: expected errors must never print one. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe('sr-backup run: expected errors (child process)', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: CLI_TEST_SCENARIO, port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'cli-errors-'));
    config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port));
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON error document for a refused command line with --json, and exits 2', async () => {
    // Act
    const unknown = await runCli(['run', '--config', config, '--bogus', '--json']);
    const badTime = await runCli(['run', '--config', config, '--scheduled-time', 'notadate', '--json']);

    // Assess
    for (const run of [unknown, badTime]) {
      expect(run.code).toBe(2);
      expect(parseJsonDocument(run.stdout)).toMatchObject({
        cluster: null,
        scheduledTime: null,
        results: [],
        status: 'ERROR',
        error: { name: 'UsageError' },
      });
    }
    expect(JSON.stringify(parseJsonDocument(unknown.stdout))).toContain("unknown option '--bogus'");
    expect(badTime.stderr).toContain('notadate');
  });

  it('says within seconds that the FE cannot be reached when nothing listens on its port, and exits 1', async () => {
    // Prepare
    const closed = await writeConfig(dir, 'closed.yaml', clusterConfig(await closedPort()));

    // Act
    const run = await runCli(['run', '--config', closed, '--state-dir', join(dir, 'state-closed')]);

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /^error: cannot reach the StarRocks FE of cluster "local" at 127\.0\.0\.1:\d+: connection refused/m,
    );
    expect(run.stderr).toMatch(/^hint: /m);
    expect(run.stderr).not.toMatch(STACK_LINE);
    // Node and tsx start-up included: the workflow's retries with backoff are not waited for.
    expect(run.elapsedMs).toBeLessThan(5000);
  });

  it.concurrent('says the login was refused and never prints the password, even with --verbose', async () => {
    // Prepare
    const password = 'Pw-7f3a-DISTINCTIVE-never-print';

    // Act
    const runs = await Promise.all([
      runCli(['run', '--config', config, '--state-dir', join(dir, 'state-password'), '--verbose'], {
        env: { STARROCKS_PASSWORD: password },
      }),
      runCli(['run', '--config', config, '--state-dir', join(dir, 'state-password-json'), '--json'], {
        env: { STARROCKS_PASSWORD_LOCAL: password },
      }),
    ]);

    // Assess
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(1);
      expect(`${run.stdout}${run.stderr}`).not.toContain(password);
      expect(run.stderr).toContain('refused the login of user "root"');
      expect(run.stderr).toContain('STARROCKS_PASSWORD_LOCAL');
    }
    expect(parseJsonDocument(runs[1]?.stdout ?? '')).toEqual(
      expect.objectContaining({
        results: [],
        error: expect.objectContaining({ name: 'StarRocksAuthError' }),
      }),
    );
  });

  it.concurrent('exits 2 naming the field path of every configuration problem', async () => {
    // Prepare
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      [
        'clusters:',
        '  - name: local',
        '    host: 127.0.0.1',
        '    port: 70000',
        '    repository: s3_repo',
        '    schedules:',
        '      - name: nightly',
        '        cron: "0 2 * * * *"',
      ].join('\n'),
    );

    // Act
    const run = await runCli(['run', '--config', bad, '--json']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('clusters[0].port: must be at most 65535');
    expect(run.stderr).toContain('clusters[0].schedules[0].cron:');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it.concurrent('exits 2 naming the choices when --cluster or --schedule is needed or unknown', async () => {
    // Prepare
    const two = clusterConfig(emulator.port) as { clusters: Record<string, unknown>[] };
    const [first] = two.clusters;
    const twoClusters = await writeConfig(dir, 'two.yaml', {
      ...two,
      clusters: [
        {
          ...first,
          schedules: [
            { name: 'nightly', cron: '0 2 * * ? *' },
            { name: 'weekly', cron: '0 3 ? * SUN *' },
          ],
        },
        { ...first, name: 'other' },
      ],
    });

    // Act
    const [noCluster, unknownCluster, noSchedule] = await Promise.all([
      runCli(['run', '--config', twoClusters]),
      runCli(['run', '--config', twoClusters, '--cluster', 'nope']),
      runCli(['run', '--config', twoClusters, '--cluster', 'local']),
    ]);

    // Assess
    expect(noCluster.code).toBe(2);
    expect(noCluster.stderr).toContain('--cluster is required');
    expect(noCluster.stderr).toContain('(local, other)');
    expect(unknownCluster.code).toBe(2);
    expect(unknownCluster.stderr).toContain('unknown cluster "nope"');
    expect(noSchedule.code).toBe(2);
    expect(noSchedule.stderr).toContain('--schedule is required');
    expect(noSchedule.stderr).toContain('(nightly, weekly)');
  });

  it.concurrent('exits 2 on a malformed option value or a system database', async () => {
    // Act
    const [badTime, system, unknownOption] = await Promise.all([
      runCli(['run', '--config', config, '--scheduled-time', 'yesterday']),
      runCli(['run', '--config', config, '--database', 'information_schema']),
      runCli(['run', '--config', config, '--no-such-option']),
    ]);

    // Assess
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain("option '--scheduled-time <ISO-8601>' argument 'yesterday' is invalid");
    expect(system.code).toBe(2);
    expect(system.stderr).toContain('system databases are never backed up');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--no-such-option'");
  });

  it.concurrent('refuses a second run on a state directory in use, clearly and with exit 2, while the first goes on', async () => {
    // Prepare
    const stateDir = join(dir, 'state-shared');
    const first = startCli(['run', '--config', config, '--database', 'slow', '--state-dir', stateDir]);
    await first.waitForOutput('resolving databases');

    // Act
    const second = await runCli(['run', '--config', config, '--database', 'crm', '--state-dir', stateDir]);
    const [snapshots, status] = await Promise.all([
      runCli(['snapshots', '--config', config, '--state-dir', stateDir, '--json']),
      runCli(['status', '--config', config, '--state-dir', stateDir, '--no-resolve', '--json']),
    ]);
    const firstRun = await first.done;

    // Assess
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`another sr-backup command is using the state directory ${stateDir}`);
    expect(second.stderr).toContain('hint: wait for it to finish, or pass --state-dir');
    expect(second.stderr).not.toMatch(STACK_LINE);
    expect(second.stderr).not.toMatch(/LEVEL_LOCKED|LevelDB|IO error/i);
    // Readers go through the running command's server instead of being refused.
    expect(snapshots.code, snapshots.stderr).toBe(0);
    expect(parseJsonDocument(snapshots.stdout)).toEqual(
      expect.objectContaining({ snapshots: expect.any(Array) }),
    );
    expect(status.code, status.stderr).toBe(0);
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect(existsSync(join(stateDir, DYNAMO_ENDPOINT_FILE))).toBe(false);
  });
});
