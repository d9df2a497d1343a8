// `sr-backup restore --stack …`: the snapshot is chosen from the deployed catalog (dynalite, reached through the
// SDK's own endpoint setting) and --execute starts the stack's Restore state machine (Step Functions and
// CloudFormation mocked at the SDK boundary) and follows it. In process, about 2 seconds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { createManifestStore } from '#domain/catalog/manifest-store.ts';
import { type RestoreCommandDeps, runRestoreCommand } from '#local/cli/restore/restore-command.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { describeStacksAnswer } from '#test/support/stack-outputs.ts';
import {
  dailyPartitions,
  manifest,
  part,
  table,
  withPartition,
} from '#test/unit/differential/manifest-builders.ts';
import {
  attemptOf,
  CLUSTER,
  labelOf,
  NOW,
  seedCatalog,
  slotOf,
} from '../lifecycle/support/thirty-snapshots.ts';
import { writeConfig } from './cli-harness.ts';

const STACK = 'SrBackup';
const OLD_STACK = 'SrBackupBeforeRestore';
const RESTORE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Restore';
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:Restore:restore-sales-x';
const OUTPUTS = {
  CatalogTableName: 'SrBackup-Catalog1234',
  LocksTableName: 'SrBackup-Locks5678',
  RestoreStateMachineArn: RESTORE_ARN,
};

/** A history of the Restore execution that ends with `end`. */
function history(end: Omit<HistoryEvent, 'id' | 'timestamp'> | undefined): HistoryEvent[] {
  const at = (seconds: number) => new Date(NOW + seconds * 1000);
  const events: HistoryEvent[] = [
    { id: 1, type: 'ExecutionStarted', timestamp: at(0), executionStartedEventDetails: { input: '{}' } },
    {
      id: 2,
      type: 'TaskStateEntered',
      timestamp: at(1),
      stateEnteredEventDetails: { name: 'SubmitRestore', input: '{}' },
    },
    {
      id: 3,
      type: 'TaskStateExited',
      timestamp: at(2),
      stateExitedEventDetails: {
        name: 'CheckRestore',
        output: JSON.stringify({
          restore: {
            phase: 'running',
            starRocksState: 'DOWNLOADING',
            progress: { done: 3, total: 8 },
            nextWaitSeconds: 30,
          },
        }),
      },
    },
  ];
  return end === undefined ? events : [...events, { ...end, id: 4, timestamp: at(600) }];
}

describe('restore against a deployed stack', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const sfn = mockClient(SFNClient);
  const saved = { ...process.env };
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;
  const deps = (overrides: Partial<RestoreCommandDeps> = {}): RestoreCommandDeps => ({
    makeSfn: () => new SFNClient({ region: 'eu-west-1' }),
    sleep: () => Promise.resolve(),
    pollSeconds: 1,
    ...overrides,
  });
  const latest = labelOf(30);

  beforeAll(async () => {
    dynamo = await startTestDynamo({
      catalogTableName: OUTPUTS.CatalogTableName,
      locksTableName: OUTPUTS.LocksTableName,
    });
    await seedCatalog(
      createCatalogStore({
        client: dynamo.client,
        tableName: OUTPUTS.CatalogTableName,
        clock: { now: () => NOW },
      }),
    );
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    });
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK })
      .resolves(describeStacksAnswer(STACK, OUTPUTS, NOW));
    const { RestoreStateMachineArn: _absent, ...older } = OUTPUTS;
    cloudFormation
      .on(DescribeStacksCommand, { StackName: OLD_STACK })
      .resolves(describeStacksAnswer(OLD_STACK, older, NOW));
    dir = await mkdtemp(join(tmpdir(), 'restore-deployed-'));
    config = await writeConfig(dir, 'backup.yaml', {
      clusters: [
        {
          name: CLUSTER,
          host: '127.0.0.1',
          port: 1,
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        },
      ],
    });
  });

  beforeEach(() => {
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: new Date(NOW) });
  });

  afterAll(async () => {
    cloudFormation.restore();
    sfn.restore();
    process.env = saved;
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the plan from the deployed catalog and starts nothing without --execute', async () => {
    // Act
    const { io, stdout, stderr } = capturedCliIo({ now: NOW });
    const code = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', as: 'sales_restored', json: true },
      io,
      deps(),
    );

    // Assess
    expect(code, stderr()).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({
      state: 'PLANNED',
      executed: false,
      snapshot: { label: latest },
    });
    expect(stderr()).toContain(`from snapshot ${latest}`);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('starts the Restore machine with the printed label and follows it to FINISHED', async () => {
    // Prepare
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: history({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{}' } }),
    });
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'SUCCEEDED',
      startDate: new Date(NOW),
      stopDate: new Date(NOW + 600_000),
      output: JSON.stringify({
        state: 'FINISHED',
        check: { passed: true, tableCount: 2, rowCount: 2000 },
        restore: { submittedAt: NOW + 5_000, finishedAt: NOW + 545_000 },
      }),
    });
    const { io, stdout, stderr } = capturedCliIo({ now: NOW });

    // Act
    const code = await runRestoreCommand(
      {
        config,
        stack: STACK,
        database: 'sales',
        as: 'sales_restored',
        table: [{ name: 'orders' }],
        timeout: 7200,
        execute: true,
        json: true,
      },
      io,
      deps(),
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const [start] = sfn.commandCalls(StartExecutionCommand);
    const sent = start?.args[0].input;
    expect(sent?.stateMachineArn).toBe(RESTORE_ARN);
    expect(sent?.name).toMatch(/^restore-sales-\d{8}T\d{4}Z-[0-9a-f]{6}$/);
    const input = JSON.parse(sent?.input ?? '{}') as {
      cluster: { name: string };
      request: Record<string, unknown>;
    };
    expect(input.cluster.name).toBe(CLUSTER);
    expect(input.request).toMatchObject({
      database: 'sales',
      label: latest,
      targetDatabase: 'sales_restored',
      tables: [{ name: 'orders' }],
      timeoutSeconds: 7200,
    });
    expect(sent?.input).not.toMatch(/password/i);
    expect(JSON.parse(stdout())).toMatchObject({
      state: 'FINISHED',
      executed: true,
      executionArn: EXECUTION_ARN,
      durationSeconds: 540,
      tableCount: 2,
      rowCount: 2000,
    });
    expect(stderr()).toContain('DOWNLOADING 3/8 tasks; next check in 30 s');
    expect(stderr()).toContain('holds 2 tables, 2000 rows');
  });

  it('exits 2 when the Lambdas refuse an existing target, and 1 when StarRocks cancels the restore', async () => {
    // Prepare
    const failWith = (error: string, errorMessage: string) => {
      const cause = JSON.stringify({ errorType: error, errorMessage });
      sfn.on(GetExecutionHistoryCommand).resolves({
        events: history({ type: 'ExecutionFailed', executionFailedEventDetails: { error, cause } }),
      });
      sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error, cause, startDate: new Date(NOW) });
    };

    // Act
    failWith(
      'RestoreTargetExistsError',
      'database "sales" already exists; a restore never writes into an existing database',
    );
    const refused = capturedCliIo({ now: NOW });
    const refusedCode = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', execute: true },
      refused.io,
      deps(),
    );
    sfn.reset();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: new Date(NOW) });
    failWith('RestoreFailedError', '[COMMON_ERROR, msg: failed to download snapshot files]');
    const cancelled = capturedCliIo({ now: NOW });
    const cancelledCode = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', as: 'sales_copy', execute: true, json: true },
      cancelled.io,
      deps(),
    );

    // Assess
    expect(refusedCode).toBe(2);
    expect(refused.stderr()).toContain('database "sales" already exists');
    expect(refused.stderr()).toContain('--as');
    expect(cancelledCode).toBe(1);
    expect(JSON.parse(cancelled.stdout())).toMatchObject({
      state: 'FAILED',
      executionArn: EXECUTION_ARN,
      error: { name: 'RestoreFailedError' },
    });
    expect(cancelled.stderr()).toContain(
      'RestoreFailedError: [COMMON_ERROR, msg: failed to download snapshot files]',
    );
  });

  it('stops the execution it started on Ctrl-C and exits 130', async () => {
    // Prepare: the run is still going when the operator presses Ctrl-C during the first wait between reads.
    sfn.on(GetExecutionHistoryCommand).resolves({ events: history(undefined) });
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(NOW) });
    const interrupt = new AbortController();
    const { io, stdout, stderr } = capturedCliIo({ now: NOW });

    // Act
    const code = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', as: 'sales_copy', execute: true, json: true },
      io,
      deps({
        interrupt: interrupt.signal,
        sleep: () => {
          interrupt.abort();
          return Promise.resolve();
        },
      }),
    );

    // Assess
    expect(code).toBe(130);
    expect(sfn.commandCalls(StopExecutionCommand).map((call) => call.args[0].input.executionArn)).toEqual([
      EXECUTION_ARN,
    ]);
    expect(stderr()).toContain('cancels its RESTORE job');
    expect(JSON.parse(stdout())).toMatchObject({
      state: 'ABORTED',
      executed: true,
      executionArn: EXECUTION_ARN,
    });
  });

  it('starts nothing when Ctrl-C came before the start, and says when the stop was refused', async () => {
    // Prepare
    const early = new AbortController();
    early.abort();
    sfn.on(GetExecutionHistoryCommand).resolves({ events: history(undefined) });
    sfn
      .on(StopExecutionCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const late = new AbortController();

    // Act
    const before = capturedCliIo({ now: NOW });
    const beforeCode = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', as: 'sales_copy', execute: true },
      before.io,
      deps({ interrupt: early.signal }),
    );
    const startsBefore = sfn.commandCalls(StartExecutionCommand).length;
    const refused = capturedCliIo({ now: NOW });
    const refusedCode = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', as: 'sales_copy', execute: true },
      refused.io,
      deps({
        interrupt: late.signal,
        sleep: () => {
          late.abort();
          return Promise.resolve();
        },
      }),
    );

    // Assess
    expect(beforeCode).toBe(130);
    expect(startsBefore).toBe(0);
    expect(refusedCode).toBe(130);
    expect(refused.stderr()).toContain(`sr-backup cancel ${EXECUTION_ARN}`);
  });

  it('refuses a --timeout the Restore machine cannot cover, before starting anything', async () => {
    // Act
    const { io, stderr } = capturedCliIo({ now: NOW });
    const code = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', as: 'x', execute: true, timeout: 8 * 86_400 },
      io,
      deps(),
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('up to 604800');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('plans a differential as its chain (experimental) from both manifests; refuses it without them (exit 1) or with --table (exit 2)', async () => {
    // Prepare: database "dw" holds a full (day 1) and a differential of it (day 2, the latest), no manifests yet.
    const catalog = createCatalogStore({
      client: dynamo.client,
      tableName: OUTPUTS.CatalogTableName,
      clock: { now: () => NOW },
    });
    await catalog.recordAttempt(attemptOf(1, { database: 'dw', mode: 'full' }));
    await catalog.recordAttempt(
      attemptOf(2, { database: 'dw', mode: 'differential', baseLabel: labelOf(1) }),
    );
    const run = async (options: {
      snapshot?: string;
      before?: Date;
      execute?: boolean;
      table?: { name: string }[];
    }) => {
      const captured = capturedCliIo({ now: NOW });
      const code = await runRestoreCommand(
        { config, stack: STACK, database: 'dw', as: 'dw_copy', ...options },
        captured.io,
        deps(),
      );
      return { code, stdout: captured.stdout(), stderr: captured.stderr() };
    };
    const manifests = createManifestStore({
      client: dynamo.client,
      tableName: OUTPUTS.CatalogTableName,
      clock: { now: () => NOW },
    });
    const facts = table('facts', dailyPartitions(3));

    // Act
    const latestRun = await run({ execute: true });
    const named = await run({ snapshot: labelOf(2) });
    const before = await run({ before: new Date(slotOf(2).getTime() + 3_600_000), execute: true });
    const withTable = await run({ snapshot: labelOf(2), table: [{ name: 'facts' }] });
    const full = await run({ snapshot: labelOf(1) });
    const ref = { cluster: CLUSTER, database: 'dw' };
    await manifests.writeManifest({ ...ref, label: labelOf(1) }, manifest([facts]));
    await manifests.writeManifest(
      { ...ref, label: labelOf(2) },
      manifest([withPartition(withPartition(facts, 'p0000', null), 'p0001', part('p0001', 10_001, 3))]),
    );
    const chain = await run({});

    // Assess
    expect(latestRun.code).toBe(1);
    expect(latestRun.stderr).toContain(
      `the latest restorable point of dw is differential backup ${labelOf(2)}, whose chain a deployed restore cannot run: differential ${labelOf(2)} (of full ${labelOf(1)}): the catalog holds no partition manifest of the full ${labelOf(1)} nor of the differential ${labelOf(2)}`,
    );
    expect(latestRun.stderr).toContain(`--snapshot ${labelOf(1)}`);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(`snapshot ${labelOf(2)} is a differential backup`);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('the --before restorable point of dw is differential backup');
    expect(withTable.code).toBe(2);
    expect(withTable.stderr).toContain('a chain restore restores the whole database');
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toContain(`from snapshot ${labelOf(1)}`);
    expect(chain.code, chain.stderr).toBe(0);
    expect(chain.stdout).toContain(`from snapshot ${labelOf(2)}`);
    expect(chain.stdout).toContain(
      `chain            a differential (experimental): RESTORE of full ${labelOf(1)}, 1 partition drop(s), RESTORE of ${labelOf(2)}, into a new database`,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('says to deploy when the stack has no Restore machine yet, and refuses --to-cluster', async () => {
    // Act
    const old = capturedCliIo({ now: NOW });
    const oldCode = await runRestoreCommand(
      { config, stack: OLD_STACK, database: 'sales', as: 'x', execute: true },
      old.io,
      deps(),
    );
    const dr = capturedCliIo({ now: NOW });
    const drCode = await runRestoreCommand(
      { config, stack: STACK, database: 'sales', toCluster: CLUSTER, execute: true },
      dr.io,
      deps(),
    );

    // Assess
    expect(oldCode).toBe(2);
    expect(old.stderr()).toContain('has no output RestoreStateMachineArn');
    expect(drCode).toBe(2);
    expect(dr.stderr()).toContain('--to-cluster is not available against a deployed stack');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
