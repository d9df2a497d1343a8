import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  SchedulerServiceException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryScheduler } from '#bench/scale/in-memory-scheduler.ts';
import { type BackupConfigInput, parseConfig } from '#domain/config/index.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import {
  type ScheduleDeployment,
  scheduleGroupNames,
  scheduleRequest,
} from '#domain/schedules/schedule-set.ts';
import { runPlanCommand } from '#local/cli/inspect/plan-command.ts';
import type { DeployPlan } from '#local/cli/inspect/plan-schedules.ts';
import type { CommandIo } from '#local/cli/support/io.ts';

const NOW = Date.UTC(2026, 10, 25, 9, 30);
const GROUPS = scheduleGroupNames('StarRocksBackup');

const INPUT: BackupConfigInput = {
  clusters: [
    {
      name: 'prod',
      host: 'fe.internal',
      repository: 's3_repo',
      schedules: [
        { name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' },
        { name: 'weekly', cron: '0 3 ? * SUN *' },
      ],
    },
  ],
};

/** What an earlier deploy left: nightly at another hour, no weekly yet, and a cluster since removed. */
const DEPLOYED_INPUT: BackupConfigInput = {
  clusters: [
    {
      ...(INPUT.clusters[0] as object),
      schedules: [{ name: 'nightly', cron: '0 1 * * ? *', timezone: 'Asia/Shanghai' }],
    } as BackupConfigInput['clusters'][number],
    {
      name: 'old',
      host: 'old.internal',
      repository: 's3_repo',
      schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
    },
  ],
};

/** The deployment's real ARNs, which plan cannot know and must not count as a change. */
const DEPLOYED: ScheduleDeployment = {
  targets: {
    backup: {
      group: GROUPS.backup,
      stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:N',
      roleArn: 'arn:aws:iam::1:role/b',
    },
    freshness: {
      group: GROUPS.freshness,
      stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:F',
      roleArn: 'arn:aws:iam::1:role/f',
    },
    drill: {
      group: GROUPS.drill,
      stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:D',
      roleArn: 'arn:aws:iam::1:role/d',
    },
  },
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:1:dlq',
};

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

async function plan(extra: Record<string, unknown>) {
  const stdout = capture();
  const stderr = capture();
  const io: CommandIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { NO_COLOR: '1' },
    clock: { now: () => NOW },
  };
  const exit = await runPlanCommand(
    { config: configPath, count: 1, ...extra },
    io,
    () => new SchedulerClient({ region: 'eu-west-1' }),
  );
  return { exit, stdout: stdout.text(), stderr: stderr.text() };
}

const scheduler = mockClient(SchedulerClient);
let service: InMemoryScheduler;
let dir: string;
let configPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-plan-deploy-'));
  configPath = join(dir, 'backup.json');
  await writeFile(configPath, JSON.stringify(INPUT));
});

afterAll(async () => {
  scheduler.restore();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  service = new InMemoryScheduler(Object.values(GROUPS));
  for (const entry of desiredScheduleSet(parseConfig(DEPLOYED_INPUT)).schedules) {
    service.create(scheduleRequest(entry, DEPLOYED));
  }
  service.calls.length = 0;
  scheduler.reset();
  scheduler.on(ListSchedulesCommand).callsFake((input) => service.list(input));
  scheduler.on(GetScheduleCommand).callsFake((input) => service.get(input));
});

describe('sr-backup plan: what a deploy would do to the schedules', () => {
  it('counts every schedule as create when no deployed stack is named, and asks AWS nothing', async () => {
    // Act
    const run = await plan({ json: true });

    // Assess
    expect(run.exit).toBe(0);
    const { deploy, clusters } = JSON.parse(run.stdout) as { deploy: DeployPlan; clusters: unknown[] };
    expect(clusters).toHaveLength(1);
    expect(deploy.target).toBeNull();
    expect(deploy.counts).toEqual({ create: 3, change: 0, delete: 0, unchanged: 0 });
    expect(deploy.changes.map((change) => [change.action, change.kind, change.name])).toEqual([
      ['create', 'backup', 'prod.nightly'],
      ['create', 'backup', 'prod.weekly'],
      ['create', 'freshness', 'prod.freshness'],
    ]);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('compares with the deployed groups of --stack: create, change, delete, and unchanged counted', async () => {
    // Act
    const run = await plan({ json: true, stack: 'StarRocksBackup', region: 'eu-west-1' });

    // Assess
    const { deploy } = JSON.parse(run.stdout) as { deploy: DeployPlan };
    expect(deploy.target).toMatchObject({ groups: GROUPS, region: 'eu-west-1', missingGroups: [] });
    expect(deploy.changes).toEqual([
      { action: 'create', group: GROUPS.backup, name: 'prod.weekly', kind: 'backup', cluster: 'prod' },
      {
        action: 'change',
        group: GROUPS.backup,
        name: 'prod.nightly',
        kind: 'backup',
        cluster: 'prod',
        fields: ['ScheduleExpression', 'Target.Input'],
      },
      // prod's freshness check carries its schedules in its input: a new schedule changes it too.
      {
        action: 'change',
        group: GROUPS.freshness,
        name: 'prod.freshness',
        kind: 'freshness',
        cluster: 'prod',
        fields: ['Target.Input'],
      },
      { action: 'delete', group: GROUPS.backup, name: 'old.nightly' },
      { action: 'delete', group: GROUPS.freshness, name: 'old.freshness' },
    ]);
    expect(deploy.counts).toEqual({ create: 1, change: 2, delete: 2, unchanged: 0 });
  });

  it('reads only: ListSchedules and GetSchedule, never a write', async () => {
    // Act
    await plan({ json: true, stack: 'StarRocksBackup' });

    // Assess
    expect(new Set(service.calls.map((call) => call.operation))).toEqual(new Set(['list', 'get']));
  });

  it('prints the changes as a table after the slots', async () => {
    // Act
    const run = await plan({ stack: 'StarRocksBackup', region: 'eu-west-1' });

    // Assess
    expect(run.exit).toBe(0);
    expect(run.stdout).toContain('cluster prod');
    expect(run.stdout).toContain(
      `deploy (EventBridge Scheduler groups ${Object.values(GROUPS).join(', ')} in eu-west-1): 1 to create, 2 to change, 2 to delete, 0 unchanged`,
    );
    expect(run.stdout).toMatch(
      /change\s+StarRocksBackup-backups\s+prod\.nightly\s+ScheduleExpression, Target\.Input/,
    );
    expect(run.stdout).toMatch(/delete\s+StarRocksBackup-freshness\s+old\.freshness/);
  });

  it('says so when the named stack’s groups do not exist, and plans every schedule as create', async () => {
    // Act
    const run = await plan({ stack: 'NotDeployed' });

    // Assess
    expect(run.exit).toBe(0);
    expect(run.stdout).toContain('3 to create, 0 to change, 0 to delete, 0 unchanged');
    expect(run.stdout).toContain('not found: NotDeployed-backups, NotDeployed-freshness, NotDeployed-drills');
  });

  it('explains a refused read and exits 1', async () => {
    // Prepare
    scheduler.on(ListSchedulesCommand).rejects(
      new SchedulerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
        message: 'User is not authorized to perform: scheduler:ListSchedules',
      }),
    );

    // Act
    const run = await plan({ stack: 'StarRocksBackup' });

    // Assess
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain('not allowed to read the schedules of StarRocksBackup-backups');
    expect(run.stderr).toContain('scheduler:ListSchedules and scheduler:GetSchedule');
  });
});
