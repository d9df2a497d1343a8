// The CLI against a "deployed" stack: CloudFormation mocked at the SDK boundary (DescribeStacks answers the
// stack's outputs), the tables in dynalite reached through the SDK's own endpoint setting, as a deployed account's
// tables would be. In process, about 2 seconds.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { runPauseCommand } from '#local/cli/commands/pause.ts';
import { runDescribeCommand } from '#local/cli/inspect/describe-command.ts';
import { runRunsCommand } from '#local/cli/inspect/runs-command.ts';
import { runSnapshotsCommand } from '#local/cli/inspect/snapshots-command.ts';
import { runStatusCommand } from '#local/cli/inspect/status-command.ts';
import { runReportCommand } from '#local/cli/report/report-command.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { describeStacksAnswer } from '#test/support/stack-outputs.ts';
import { CLUSTER, NOW, seedCatalog } from '../lifecycle/support/thirty-snapshots.ts';
import { writeConfig } from './cli-harness.ts';

const STACK = 'StarRocksBackupScheduler';
const OUTPUTS = {
  CatalogTableName: 'StarRocksBackupScheduler-Catalog1234',
  LocksTableName: 'StarRocksBackupScheduler-Locks5678',
  NightlyBackupStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup',
};

const cliIo = () => capturedCliIo({ now: NOW });

describe('the CLI against a deployed stack (--stack)', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const saved = { ...process.env };
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;

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
    // The SDK's own settings, as on an operator's machine: credentials, a region, and (here) the endpoint.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    });
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK })
      .resolves(describeStacksAnswer(STACK, OUTPUTS, NOW));
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'NoSuchStack' })
      .rejects(
        Object.assign(new Error('Stack with id NoSuchStack does not exist'), { name: 'ValidationError' }),
      );
    dir = await mkdtemp(join(tmpdir(), 'deployed-target-'));
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

  afterAll(async () => {
    cloudFormation.restore();
    process.env = saved;
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the deployed catalog found through the stack outputs', async () => {
    // Act
    const { io, stdout, stderr } = cliIo();
    const code = await runSnapshotsCommand(
      { config, stack: STACK, limit: 5, state: ['PINNED'], json: true },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const { snapshots } = JSON.parse(stdout()) as { snapshots: { database: string; pinned: boolean }[] };
    expect(snapshots).toHaveLength(2);
    expect(snapshots.every((entry) => entry.pinned)).toBe(true);
    expect(cloudFormation.commandCalls(DescribeStacksCommand, { StackName: STACK }).length).toBeGreaterThan(
      0,
    );
  });

  it('takes the stack from SR_BACKUP_STACK, and judges freshness over the deployed catalog', async () => {
    // Prepare
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runStatusCommand(
      { config, resolve: false, json: true },
      { ...io, env: { ...io.env, SR_BACKUP_STACK: STACK } },
    );

    // Assess: the newest snapshot is of 2026-11-30 18:00Z; at 2026-12-01T06:00Z that slot is the one expected.
    expect(code, stderr()).toBe(0);
    const { databases } = JSON.parse(stdout()) as {
      databases: { database: string; state: string; snapshot: string }[];
    };
    expect(databases).toEqual([expect.objectContaining({ database: 'sales', state: 'fresh' })]);
  });

  it('writes to the deployed tables too (pause), with the same command as locally', async () => {
    // Act
    const { io, stdout, stderr } = cliIo();
    const code = await runPauseCommand({ config, stack: STACK, cluster: CLUSTER, reason: 'FE upgrade' }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    expect(stdout()).toContain(`stack ${STACK}: DynamoDB table ${OUTPUTS.CatalogTableName}`);
  });

  it('describes a database and a run from the deployed catalog, each failure with its hint', async () => {
    // Act
    const byDatabase = cliIo();
    const byRun = cliIo();
    const databaseCode = await runDescribeCommand(
      { config, stack: STACK, database: 'sales', limit: 100, json: true },
      byDatabase.io,
    );
    const runCode = await runDescribeCommand(
      { config, stack: STACK, run: 'run-5', limit: 100, json: true },
      byRun.io,
    );

    // Assess
    expect(databaseCode, byDatabase.stderr()).toBe(0);
    const { attempts } = JSON.parse(byDatabase.stdout()) as {
      attempts: { state: string; error: string | null; hint: string | null; runId: string }[];
    };
    expect(attempts).toHaveLength(31);
    expect(attempts.filter((entry) => entry.state === 'FAILED')).toEqual([
      expect.objectContaining({ error: 'x', hint: expect.stringMatching(/\S/), runId: 'run-20' }),
    ]);
    expect(runCode, byRun.stderr()).toBe(0);
    expect((JSON.parse(byRun.stdout()) as { attempts: { runId: string }[] }).attempts).toEqual([
      expect.objectContaining({ runId: 'run-5' }),
    ]);
  });

  it('writes the HTML report of the deployed catalog', async () => {
    // Act
    const { io, stdout, stderr } = cliIo();
    const out = join(dir, 'deployed-report.html');
    const code = await runReportCommand(
      { config, stack: STACK, since: { days: 45 }, timeZone: 'UTC', out, json: true },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(stdout())).toEqual(expect.objectContaining({ out }));
  });

  it('lists the deployed runs, newest first, with their outcome counts', async () => {
    // Act
    const { io, stdout, stderr } = cliIo();
    const code = await runRunsCommand(
      { config, stack: STACK, since: { agoSeconds: 14 * 86_400 }, limit: 20, json: true },
      io,
    );

    // Assess: days 17…30 of November (the 14 days back from 1 December 06:00Z), one run each.
    expect(code, stderr()).toBe(0);
    const { runs } = JSON.parse(stdout()) as {
      runs: { runId: string; counts: Record<string, number>; outcome: string }[];
    };
    expect(runs.map((run) => run.runId)).toEqual(
      Array.from({ length: 14 }, (_, index) => `run-${30 - index}`),
    );
    // Day 20 also recorded a FAILED attempt of another label: sales counts once, by its FINISHED one.
    expect(runs.find((run) => run.runId === 'run-20')).toMatchObject({
      counts: { FINISHED: 1, FAILED: 0, TIMED_OUT: 0, SKIPPED: 0 },
      outcome: 'SUCCEEDED',
    });
  });

  it('exits 2 naming the stack and the region when the stack does not exist', async () => {
    // Act
    const { io, stderr } = cliIo();
    const code = await runSnapshotsCommand({ config, stack: 'NoSuchStack', limit: 5 }, io);

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('error: no stack NoSuchStack in eu-west-1');
    expect(stderr()).toContain('--region');
  });
});
