// `sr-backup cancel`: locally a real `sr-backup run` child process holding the state directory gets its Ctrl-C
// (about 5 seconds); deployed, Step Functions is mocked at the SDK boundary and the locks table is in dynalite.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { createLockStore } from '#domain/lock/index.ts';
import { runCancelCommand } from '#local/cli/cancel/cancel-command.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { CLI_TEST_SCENARIO, clusterConfig, startCli, writeConfig } from './cli-harness.ts';

const cliIo = (now: () => number = Date.now) => capturedCliIo({ now });

describe('sr-backup cancel of a local run (a real child process holding the state directory)', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: {
        ...CLI_TEST_SCENARIO,
        databases: CLI_TEST_SCENARIO.databases.map((database) =>
          database.name === 'slow' ? { ...database, backup: { durationMs: 60_000 } } : database,
        ),
      },
      port: 0,
    });
    dir = await mkdtemp(join(tmpdir(), 'cli-cancel-'));
    config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port, { exclude: [] }));
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signals the run backing up the database: it cancels on the FE, records it, releases its leases', async () => {
    // Prepare
    const stateDir = join(dir, 'state');
    const run = startCli([
      'run',
      '--config',
      config,
      '--database',
      'slow',
      '--scheduled-time',
      '2026-11-24T18:00:00Z',
      '--state-dir',
      stateDir,
    ]);
    await run.waitForOutput('next check in');

    // Act
    const { io, stdout, stderr } = cliIo();
    const code = await runCancelCommand(
      { config, database: 'slow', stateDir, waitSeconds: 60, json: true },
      io,
    );
    const ended = await run.done;

    // Assess
    expect(code, stderr()).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({
      target: 'local',
      database: 'slow',
      executionArn: expect.stringMatching(/^arn:aws:states:local-\d+:/),
      stopped: true,
    });
    expect(ended.code, ended.stderr).toBe(130);
    expect(
      emulator.statements.map((entry) => entry.sql).filter((sql) => sql.startsWith('CANCEL BACKUP')),
    ).toEqual(['CANCEL BACKUP FROM `slow`']);
    const dynamo = await startTestDynamo({ stateDir });
    try {
      const catalog = createCatalogStore({
        client: dynamo.client,
        tableName: dynamo.catalogTableName,
        clock: Date,
      });
      const { items } = await catalog.listSnapshots({ cluster: 'local', database: 'slow' });
      expect(items.map((item) => item.state)).toEqual(['FAILED']);
      const locks = createLockStore({
        client: dynamo.client,
        tableName: dynamo.locksTableName,
        clock: Date,
        livenessOf: async () => 'ended',
      });
      const held = await locks.listHeld('local');
      expect([...held.locks, ...held.slots]).toEqual([]);
    } finally {
      await dynamo.close();
    }
  });

  it('exits 1 with nothing to cancel when no local command holds the state directory', async () => {
    // Act
    const { io, stderr } = cliIo();
    const code = await runCancelCommand(
      {
        config,
        run: 'arn:aws:states:local-4242:000000000000:execution:nightlyBackup:local-nightly-20261124T1800-a1b2c3',
        stateDir: join(dir, 'idle-state'),
        waitSeconds: 5,
      },
      io,
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr()).toContain('nothing to cancel');
  });

  it('never signals a process found only through --dynamodb-endpoint: it may be dead, reused or on another host', async () => {
    // Prepare: a lease held in the name of this very test process, as a crashed run's lease would name a reused pid.
    const dynamo = await startTestDynamo();
    try {
      const signalled: number[] = [];
      const { io, stderr } = cliIo();

      // Act
      const code = await runCancelCommand(
        {
          config,
          run: `arn:aws:states:local-${process.pid}:000000000000:execution:nightlyBackup:local-nightly-20261124T1800-a1b2c3`,
          dynamodbEndpoint: dynamo.endpoint,
          waitSeconds: 5,
        },
        io,
        {
          makeSfn: () => {
            throw new Error('no Step Functions call expected');
          },
          signal: (pid) => {
            signalled.push(pid);
          },
          alive: () => true,
          sleep: async () => {},
        },
      );

      // Assess
      expect(code).toBe(1);
      expect(stderr()).toContain('cannot be identified safely: nothing was signalled');
      expect(signalled).toEqual([]);
    } finally {
      await dynamo.close();
    }
  });

  it('exits 2 when neither a run nor a database is named', async () => {
    // Act
    const { io, stderr } = cliIo();
    const code = await runCancelCommand({ config, stateDir: join(dir, 'idle-state'), waitSeconds: 5 }, io);

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('name one run');
  });
});

describe('sr-backup cancel of a deployed run (Step Functions mocked at the SDK boundary)', () => {
  const sfn = mockClient(SFNClient);
  const saved = { ...process.env };
  const NOW = Date.UTC(2026, 10, 25, 2, 30);
  const RUN =
    'arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:prod-nightly-20261124T1800-a1b2c3';
  const CHILD =
    'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:prod-nightly-20261124T1800-a1b2c3-sales-1';
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dynamo = await startTestDynamo({ catalogTableName: 'Catalog1234', locksTableName: 'Locks5678' });
    await createLockStore({
      client: dynamo.client,
      tableName: dynamo.locksTableName,
      clock: { now: () => NOW },
      livenessOf: async () => 'running',
    }).acquireLock({ cluster: 'prod', database: 'sales', holder: CHILD, leaseSeconds: 3600 });
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    });
    dir = await mkdtemp(join(tmpdir(), 'cli-cancel-deployed-'));
    config = await writeConfig(dir, 'backup.yaml', {
      clusters: [
        {
          name: 'prod',
          host: '127.0.0.1',
          port: 1,
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        },
      ],
    });
  });

  afterEach(() => {
    sfn.reset();
  });

  afterAll(async () => {
    sfn.restore();
    process.env = saved;
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops a running run and says SettleExecution will cancel and record its jobs', async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand, { executionArn: RUN }).resolves({ status: 'RUNNING' });
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(NOW) });

    // Act
    const { io, stdout, stderr } = cliIo(() => NOW);
    const code = await runCancelCommand({ config, run: RUN, waitSeconds: 5 }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    expect(sfn.commandCalls(StopExecutionCommand).map((call) => call.args[0].input.executionArn)).toEqual([
      RUN,
    ]);
    expect(stdout()).toContain(`stopped ${RUN}`);
    expect(stdout()).toContain('SettleExecution cancels their BACKUP jobs');
  });

  it('stops the execution holding the database lock, found in the deployed locks table', async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand, { executionArn: CHILD }).resolves({ status: 'RUNNING' });
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(NOW) });

    // Act
    const { io, stdout, stderr } = cliIo(() => NOW);
    const code = await runCancelCommand(
      {
        config,
        database: 'sales',
        catalogTable: 'Catalog1234',
        locksTable: 'Locks5678',
        waitSeconds: 5,
        json: true,
      },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    expect(JSON.parse(stdout())).toEqual({
      target: 'deployed',
      executionArn: CHILD,
      database: 'sales',
      pid: null,
      stopped: true,
    });
    expect(sfn.commandCalls(StopExecutionCommand)[0]?.args[0].input).toMatchObject({
      executionArn: CHILD,
      cause: 'stopped by sr-backup cancel --database sales',
    });
  });

  it('exits 1 without stopping anything when the run has already ended, or does not exist', async () => {
    // Prepare
    const gone = RUN.replace('a1b2c3', 'ffffff');
    sfn.on(DescribeExecutionCommand, { executionArn: RUN }).resolves({
      status: 'SUCCEEDED',
      stopDate: new Date(NOW),
    });
    sfn
      .on(DescribeExecutionCommand, { executionArn: gone })
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));

    // Act
    const ended = cliIo(() => NOW);
    const endedCode = await runCancelCommand({ config, run: RUN, waitSeconds: 5 }, ended.io);
    const missing = cliIo(() => NOW);
    const missingCode = await runCancelCommand({ config, run: gone, waitSeconds: 5 }, missing.io);

    // Assess
    expect(endedCode).toBe(1);
    expect(ended.stderr()).toContain(
      'already ended SUCCEEDED at 2026-11-25T02:30:00.000Z: nothing to cancel',
    );
    expect(missingCode).toBe(1);
    expect(missing.stderr()).toContain(`no execution ${gone} in eu-west-1`);
    expect(sfn.commandCalls(StopExecutionCommand)).toEqual([]);
  });

  it('exits 1 when no execution holds the database lock', async () => {
    // Act
    const { io, stderr } = cliIo(() => NOW);
    const code = await runCancelCommand(
      { config, database: 'crm', catalogTable: 'Catalog1234', locksTable: 'Locks5678', waitSeconds: 5 },
      io,
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr()).toContain('no backup of crm on cluster prod holds its lock: nothing to cancel');
  });
});
