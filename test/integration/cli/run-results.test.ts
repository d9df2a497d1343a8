import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, type EmbeddedDynamo, startEmbeddedDynamo } from '#local/dynamo/index.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { startSlackSink } from '#test/support/slack-sink.ts';
import {
  backupStatements,
  CLI_TEST_SCENARIO,
  type CliRun,
  clusterConfig,
  parseJsonDocument,
  runCli,
  writeConfig,
} from './cli-harness.ts';

interface RunDocument {
  cluster: string;
  scheduledTime: string;
  results: {
    database: string;
    snapshot: string;
    state: string;
    startedAt: string | null;
    finishedAt: string | null;
    error: string | null;
  }[];
  error: { name: string; message: string } | null;
}

const SLOT = '2026-11-24T18:00:00.000Z';

describe('sr-backup run (child process against the emulator)', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: CLI_TEST_SCENARIO, port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'cli-run-'));
    config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port));
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('one run of two databases on a state directory', () => {
    const stateDir = (): string => join(dir, 'state-main');
    const args = (): string[] => [
      'run',
      '--config',
      config,
      '--database',
      'sales',
      '--database',
      'crm',
      '--scheduled-time',
      SLOT,
      '--state-dir',
      stateDir(),
      '--json',
    ];
    let first: CliRun;
    let submittedByFirst: string[];

    beforeAll(async () => {
      const before = backupStatements(emulator.statements).length;
      // Local mode must not care about AWS settings a user may have.
      // --verbose: the handlers log at INFO, and all of it must stay off stdout.
      first = await runCli([...args(), '--verbose'], {
        env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_PROFILE: 'no-such-profile', AWS_REGION: 'nowhere-1' },
      });
      submittedByFirst = backupStatements(emulator.statements).slice(before);
    });

    it('prints exactly one JSON document with the contract fields and exits 0', () => {
      // Assess
      expect(first.code, first.stderr).toBe(0);
      const document = parseJsonDocument(first.stdout) as RunDocument;
      expect(document.cluster).toBe('local');
      expect(document.scheduledTime).toBe(SLOT);
      expect(document.results.map((result) => result.database)).toEqual(['crm', 'sales']);
      for (const result of document.results) {
        expect(Object.keys(result).sort()).toEqual([
          'adopted',
          'database',
          'error',
          'finishedAt',
          'snapshot',
          'startedAt',
          'state',
          'warning',
        ]);
        expect(result.state).toBe('FINISHED');
        expect(result.snapshot).toMatch(
          new RegExp(`^nightly_${result.database}_20261124T1800Z_[0-9a-f]{12}$`),
        );
        expect(typeof result.startedAt).toBe('string');
        expect(typeof result.finishedAt).toBe('string');
        expect(result.error).toBeNull();
      }
      // Progress lines and the handlers' structured logs go to stderr.
      expect(first.stderr).toContain('resolving databases');
      expect(first.stderr).toMatch(/^\{"level":"INFO","message":"backup checked"/m);
    });

    it('backs up only the databases given with --database', () => {
      // Assess
      expect(submittedByFirst).toHaveLength(2);
      expect(submittedByFirst.join('\n')).toMatch(/`sales`/);
      expect(submittedByFirst.join('\n')).toMatch(/`crm`/);
    });

    it('submits nothing when the same slot runs again on the same state directory', async () => {
      // Prepare
      const firstResults = (parseJsonDocument(first.stdout) as RunDocument).results;
      const ofThisSlot = (): string[] =>
        backupStatements(emulator.statements).filter((sql) =>
          firstResults.some((result) => sql.includes(result.snapshot)),
        );
      const submittedBefore = ofThisSlot().length;

      // Act
      const second = await runCli(args());

      // Assess
      expect(second.code, second.stderr).toBe(0);
      expect(submittedBefore).toBe(2);
      expect(ofThisSlot()).toHaveLength(submittedBefore);
      const secondResults = (parseJsonDocument(second.stdout) as RunDocument).results;
      expect(secondResults.map((result) => [result.database, result.state, result.snapshot])).toEqual(
        firstResults.map((result) => [result.database, 'FINISHED', result.snapshot]),
      );
    });

    it('lists the run in snapshots, newest first, with its states', async () => {
      // Act
      const listed = await runCli(['snapshots', '--config', config, '--state-dir', stateDir(), '--json']);

      // Assess
      expect(listed.code, listed.stderr).toBe(0);
      const { snapshots } = parseJsonDocument(listed.stdout) as {
        snapshots: { database: string; state: string; scheduledTime: string; snapshot: string }[];
      };
      expect(snapshots.map((entry) => [entry.database, entry.state, entry.scheduledTime]).sort()).toEqual([
        ['crm', 'FINISHED', SLOT],
        ['sales', 'FINISHED', SLOT],
      ]);
    });

    it("judges the backed-up databases fresh the same day, lists the FE's others as never with why, and exits 1", async () => {
      // Act
      const run = await runCli([
        'status',
        '--config',
        config,
        '--state-dir',
        stateDir(),
        '--at',
        '2026-11-25T12:00:00Z',
        '--json',
      ]);

      // Assess: `broken` is covered by the schedule but was left out of this run, so it has never been backed up.
      expect(run.code, run.stderr).toBe(1);
      const status = parseJsonDocument(run.stdout) as {
        allFresh: boolean;
        databases: { database: string; state: string; expectedSlot: string; reason: string | null }[];
      };
      expect(status.allFresh).toBe(false);
      expect(
        status.databases.map((entry) => [entry.database, entry.state, entry.expectedSlot, entry.reason]),
      ).toEqual([
        // No history of its own: the cluster's timeoutSeconds (24 h) plus the grace, so the slot before is expected.
        ['broken', 'never', '2026-11-23T18:00:00.000Z', 'no backup attempted yet'],
        // A second-long history and the 1 h grace: the slot of the night before is already expected.
        ['crm', 'fresh', '2026-11-24T18:00:00.000Z', null],
        ['sales', 'fresh', '2026-11-24T18:00:00.000Z', null],
      ]);
    });

    it("exits 0 when every database it judges is fresh (--no-resolve: the catalog's databases only)", async () => {
      // Act
      const run = await runCli([
        'status',
        '--config',
        config,
        '--state-dir',
        stateDir(),
        '--at',
        '2026-11-25T12:00:00Z',
        '--no-resolve',
      ]);

      // Assess
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^\s+crm\s+fresh\s/m);
      expect(run.stdout).toContain('2 fresh, 0 late, 0 never');
    });

    it('exits 1 and says why once the next slot passed without a backup', async () => {
      // Act: the 2026-11-25T18:00Z slot, a second-long history and the hour of grace: late from 19:00Z.
      const run = await runCli([
        'status',
        '--config',
        config,
        '--state-dir',
        stateDir(),
        '--at',
        '2026-11-25T19:30:00Z',
        '--no-resolve',
        '--json',
      ]);

      // Assess
      expect(run.code, run.stderr).toBe(1);
      const status = parseJsonDocument(run.stdout) as {
        databases: { database: string; state: string; expectedBy: string; reason: string | null }[];
      };
      expect(status.databases.find((entry) => entry.database === 'sales')).toEqual(
        expect.objectContaining({
          state: 'late',
          expectedBy: expect.stringMatching(/^2026-11-25T19:00:0\d/),
          reason: 'last good snapshot is of the 2026-11-24 18:00:00Z slot; none since',
        }),
      );
    });
  });

  it.concurrent('exits 1 and reports the reason when StarRocks cancels a database, with timestamped lines and a final table', async () => {
    // Prepare
    const stateDir = join(dir, 'state-failure');

    // Act (a slot of its own: the other runs' snapshots must not be adopted here)
    const run = await runCli([
      'run',
      '--config',
      config,
      '--scheduled-time',
      '2026-11-23T18:00:00Z',
      '--state-dir',
      stateDir,
    ]);

    // Assess
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}resolving databases$/m);
    expect(run.stdout).toMatch(
      /^broken\s+FAILED\s+nightly_broken_\S+\s+\d+ s\s+\[COMMON_ERROR, msg: failed to choose replica/m,
    );
    expect(run.stdout).toMatch(/^crm\s+FINISHED/m);
    expect(run.stdout).toMatch(/^empty_db\s+SKIPPED\s+\S+\s+-\s+empty/m);
    expect(run.stdout).not.toMatch(/scratch_tmp|^slow/m);
    // The alert is printed (no webhook), and that is said once.
    expect(run.stdout).toContain('Backup FAILED: local / broken');
    expect(
      run.stdout.split('SLACK_WEBHOOK_URL is not set').length -
        1 +
        run.stderr.split('SLACK_WEBHOOK_URL is not set, so').length -
        1,
    ).toBe(1);

    // And `describe` tells the same story afterwards: the attempt, StarRocks' words and what to do.
    const described = await runCli(['describe', 'broken', '--config', config, '--state-dir', stateDir]);
    const unknown = await runCli(['describe', 'nowhere', '--config', config, '--state-dir', stateDir]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toMatch(/^broken {2}FAILED {2}slot 2026-11-23 18:00:00Z {2}nightly_broken_/m);
    expect(described.stdout).toMatch(/^ {2}error: \[COMMON_ERROR, msg: failed to choose replica/m);
    expect(described.stdout).toMatch(/^ {2}hint: \S/m);
    expect(described.stdout).not.toContain('console:');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('has no attempt of database nowhere on cluster local');
  });

  it.concurrent('exits 1 with the error in the JSON document when the run stops before any database (no repository), and posts the run alert to SLACK_WEBHOOK_URL', async () => {
    // Prepare
    const sink = await startSlackSink();
    const noRepository = await writeConfig(
      dir,
      'no-repository.yaml',
      clusterConfig(emulator.port, { repository: 'no_such_repo' }),
    );

    try {
      // Act
      const run = await runCli(
        ['run', '--config', noRepository, '--state-dir', join(dir, 'state-no-repository'), '--json'],
        { env: { SLACK_WEBHOOK_URL: sink.url } },
      );

      // Assess
      expect(run.code, run.stderr).toBe(1);
      const document = parseJsonDocument(run.stdout) as RunDocument;
      expect(document.results).toEqual([]);
      expect(document.error).toEqual(
        expect.objectContaining({ message: expect.stringContaining('no_such_repo') }),
      );
      expect(run.stderr).toContain('repository no_such_repo does not exist');
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(sink.messages).toHaveLength(1);
      expect(JSON.stringify(sink.messages[0]?.body)).toContain('no_such_repo');
      expect(run.stderr).toContain('Slack alert sent (run summary)');
      expect(run.stderr).not.toContain('SLACK_WEBHOOK_URL is not set');
      expect(`${run.stdout}${run.stderr}`).not.toContain(sink.url);
    } finally {
      await sink.close();
    }
  });

  it.concurrent('exits 2 before anything starts on an unknown --database, suggests the closest name, and alerts no one', async () => {
    // Prepare
    const sink = await startSlackSink();
    const stateDir = join(dir, 'state-unknown');

    try {
      // Act
      const run = await runCli(
        ['run', '--config', config, '--database', 'salez', '--database', 'crm', '--state-dir', stateDir],
        { env: { SLACK_WEBHOOK_URL: sink.url } },
      );

      // Assess
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^error: unknown database salez on 127\.0\.0\.1:\d+$/m);
      expect(run.stderr).toContain('hint: did you mean salez → sales?');
      expect(run.stdout).not.toContain('resolving databases');
      expect(sink.messages).toHaveLength(0);
      expect(existsSync(stateDir)).toBe(false);
    } finally {
      await sink.close();
    }
  });

  describe('with --dynamodb-endpoint', () => {
    let dynamo: EmbeddedDynamo;

    beforeAll(async () => {
      dynamo = await startEmbeddedDynamo();
    });

    afterAll(async () => {
      await dynamo.close();
    });

    it.concurrent('creates the tables when missing and keeps the catalog there', async () => {
      // Act
      const run = await runCli([
        'run',
        '--config',
        config,
        '--database',
        'crm',
        '--dynamodb-endpoint',
        dynamo.endpoint,
        '--json',
      ]);
      const listed = await runCli([
        'snapshots',
        '--config',
        config,
        '--dynamodb-endpoint',
        dynamo.endpoint,
        '--json',
      ]);

      // Assess
      expect(run.code, run.stderr).toBe(0);
      const client = createDocumentClient(dynamo.endpoint);
      try {
        for (const name of ['sr-backup-locks', 'sr-backup-catalog']) {
          const table = await client.send(new DescribeTableCommand({ TableName: name }));
          expect(table.Table?.TableStatus).toBe('ACTIVE');
        }
      } finally {
        client.destroy();
      }
      const snapshots = (parseJsonDocument(listed.stdout) as { snapshots: { database: string }[] }).snapshots;
      expect(snapshots.map((entry) => entry.database)).toEqual(['crm']);
    });
  });
});
