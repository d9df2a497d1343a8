import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SFNClient, StartExecutionCommand, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#domain/config/index.ts';
import { nightlyInputSchema } from '#domain/workflow/run-state.ts';
import { runStartCommand } from '#local/cli/start/start-command.ts';
import {
  manualExecutionName,
  parseStateMachineArn,
  startNightlyExecution,
} from '#local/cli/start/start-execution.ts';
import type { CommandIo } from '#local/cli/support/io.ts';

const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup';
const NOW = Date.UTC(2026, 10, 25, 9, 30);

const config = parseConfig({
  clusters: [
    {
      name: 'prod',
      host: 'fe.internal',
      passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/backup',
      repository: 's3_repo',
      schedules: [
        { name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' },
        { name: 'weekly', cron: '0 3 ? * SUN *', timezone: 'UTC' },
      ],
    },
  ],
});

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('sr-backup start', () => {
  const sfn = mockClient(SFNClient);
  let dir: string;
  let configPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-start-'));
    configPath = join(dir, 'backup.json');
    await writeFile(configPath, JSON.stringify({ clusters: [{ ...config.clusters[0], tls: false }] }));
  });

  afterAll(async () => {
    sfn.restore();
    await rm(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    sfn.reset();
  });

  it('starts the state machine with exactly the input EventBridge Scheduler sends, for the latest slot', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${ARN.replace('stateMachine', 'execution')}:x`,
      startDate: new Date(NOW),
    });
    const schedule = config.clusters[0]?.schedules[0];
    if (!schedule) throw new Error('fixture has no schedule');

    // Act
    const result = await startNightlyExecution(
      { config, cluster: 'prod', schedule, stateMachine: parseStateMachineArn(ARN) },
      {
        sfn: new SFNClient({ region: 'eu-west-1' }),
        clock: { now: () => NOW },
        randomSuffix: () => 'a1b2c3',
      },
    );

    // Assess
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.args[0].input;
    expect(sent?.stateMachineArn).toBe(ARN);
    expect(sent?.name).toBe('manual-prod-nightly-20261124T1800Z-a1b2c3');
    const input = JSON.parse(sent?.input ?? '{}');
    expect(Object.keys(input).sort()).toEqual(['cluster', 'schedule', 'scheduledTime']);
    expect(input.scheduledTime).toBe('2026-11-24T18:00:00.000Z');
    expect(input.schedule).toEqual(schedule);
    expect(input.cluster).toEqual(
      expect.objectContaining({ name: 'prod', host: 'fe.internal', poll: config.poll }),
    );
    expect(input.cluster).not.toHaveProperty('schedules');
    expect(nightlyInputSchema.safeParse(input).success).toBe(true);
    expect(result.executionArn).toContain(':execution:');
  });

  it('keeps execution names within 80 characters of [A-Za-z0-9_-] however long the names are', () => {
    // Act
    const name = manualExecutionName(
      `c${'x'.repeat(63)}`,
      `s${'y'.repeat(63)}`,
      new Date('2026-03-29T01:30:00Z'),
      'ffffff',
    );

    // Assess
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(name.endsWith('-20260329T0130Z-ffffff')).toBe(true);
  });

  it('uses the region of the ARN, prints the execution, and exits 0', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:n' });
    const stdout = capture();
    const stderr = capture();
    const regions: string[] = [];
    const io: CommandIo = {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {},
      clock: { now: () => NOW },
    };

    // Act
    const code = await runStartCommand(
      { config: configPath, cluster: 'prod', schedule: 'weekly', stateMachineArn: ARN },
      io,
      (region) => {
        regions.push(region);
        return new SFNClient({ region });
      },
    );

    // Assess
    expect(code, stderr.text()).toBe(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(stdout.text()).toContain(
      'execution arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:n',
    );
    const sent = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
    expect(sent.schedule.name).toBe('weekly');
    expect(sent.scheduledTime).toBe('2026-11-22T03:00:00.000Z');
  });

  it('reads the ARN from SR_BACKUP_STATE_MACHINE_ARN and exits 2 naming both when neither is given', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:e` });
    const withEnv = { stdout: capture(), stderr: capture() };
    const without = { stdout: capture(), stderr: capture() };

    // Act
    const fromEnv = await runStartCommand(
      { config: configPath, cluster: 'prod', schedule: 'nightly' },
      {
        stdout: withEnv.stdout.stream,
        stderr: withEnv.stderr.stream,
        env: { SR_BACKUP_STATE_MACHINE_ARN: ARN },
        clock: { now: () => NOW },
      },
    );
    const missing = await runStartCommand(
      { config: configPath, cluster: 'prod', schedule: 'nightly' },
      { stdout: without.stdout.stream, stderr: without.stderr.stream, env: {}, clock: { now: () => NOW } },
    );

    // Assess
    expect(fromEnv).toBe(0);
    expect(missing).toBe(2);
    expect(without.stderr.text()).toContain('pass --state-machine-arn or set SR_BACKUP_STATE_MACHINE_ARN');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('exits 2 naming the schedules when the cluster has several and none is given', async () => {
    // Prepare
    const stderr = capture();

    // Act
    const code = await runStartCommand(
      { config: configPath, cluster: 'prod', stateMachineArn: ARN },
      { stdout: capture().stream, stderr: stderr.stream, env: {}, clock: { now: () => NOW } },
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr.text()).toContain('(nightly, weekly)');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('exits 1 with one clear sentence when the state machine does not exist', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .rejects(new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata: {} }));
    const stderr = capture();

    // Act
    const code = await runStartCommand(
      { config: configPath, cluster: 'prod', schedule: 'nightly', stateMachineArn: ARN },
      { stdout: capture().stream, stderr: stderr.stream, env: {}, clock: { now: () => NOW } },
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr.text()).toContain(`error: state machine ${ARN} does not exist`);
    expect(stderr.text()).not.toMatch(/^\s+at /m);
  });

  it('refuses an ARN that is not a state machine ARN with exit 2', async () => {
    // Prepare
    const stderr = capture();

    // Act
    const code = await runStartCommand(
      {
        config: configPath,
        cluster: 'prod',
        schedule: 'nightly',
        stateMachineArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
      },
      { stdout: capture().stream, stderr: stderr.stream, env: {}, clock: { now: () => NOW } },
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr.text()).toContain('is not a Step Functions state machine ARN');
  });
});
