import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryScheduler } from '#bench/scale/in-memory-scheduler.ts';
import { VirtualTimers } from '#bench/scale/virtual-timers.ts';
import { type BackupConfigInput, parseConfig } from '#domain/config/index.ts';
import { SyncFailedError, SyncOutOfTimeError } from '#domain/errors.ts';
import { silentLogger } from '#domain/logger.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import {
  type ScheduleDeployment,
  type ScheduleRequest,
  scheduleGroupNames,
  scheduleRequest,
} from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING, SchedulerApi, type SchedulerPacing } from '#domain/schedules/scheduler-api.ts';
import { deleteAllSchedules, planSync, syncSchedules } from '#domain/schedules/sync.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/';
const GROUPS = scheduleGroupNames('Backups');
const ACCOUNT = 'arn:aws:states:eu-west-1:123456789012:stateMachine:';
const DEPLOYMENT: ScheduleDeployment = {
  targets: {
    backup: { group: GROUPS.backup, stateMachineArn: `${ACCOUNT}Nightly`, roleArn: 'arn:aws:iam::1:role/b' },
    freshness: {
      group: GROUPS.freshness,
      stateMachineArn: `${ACCOUNT}Fresh`,
      roleArn: 'arn:aws:iam::1:role/f',
    },
    drill: { group: GROUPS.drill, stateMachineArn: `${ACCOUNT}Drill`, roleArn: 'arn:aws:iam::1:role/d' },
  },
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
};

function cluster(name: string, schedules: Array<{ name: string; cron: string }>, extra: object = {}) {
  return {
    name,
    host: `${name}.fe.internal`,
    passwordSecretArn: `${SECRET}${name}`,
    repository: 's3_repo',
    schedules: schedules.map((schedule) => ({ ...schedule, timezone: 'Europe/Berlin' })),
    ...extra,
  };
}

function desired(input: BackupConfigInput): ScheduleRequest[] {
  return desiredScheduleSet(parseConfig(input)).schedules.map((entry) => scheduleRequest(entry, DEPLOYMENT));
}

const BASE: BackupConfigInput = {
  clusters: [
    cluster('prod', [{ name: 'nightly', cron: '0 2 * * ? *' }], {
      drill: { database: 'sales', cron: '0 4 ? * SUN *' },
    }),
    cluster('staging', [{ name: 'nightly', cron: '0 3 * * ? *' }]),
  ],
};

const scheduler = mockClient(SchedulerClient);
let service: InMemoryScheduler;
let time = new VirtualTimers();

/** The paced API on virtual time (every wait passes at once, so the tests take no real time). */
function api(pacing: Partial<SchedulerPacing> = {}, deadline?: number): SchedulerApi {
  return new SchedulerApi({
    scheduler: new SchedulerClient({ region: 'eu-west-1' }),
    clock: { now: () => time.now() },
    sleep: (ms) => time.sleep(ms),
    random: () => 0.5,
    pacing: { ...DEFAULT_PACING, ...pacing },
    ...(deadline === undefined ? {} : { deadline }),
  });
}

const groups = Object.values(GROUPS);
const writes = () => service.calls.filter((call) => ['create', 'update', 'delete'].includes(call.operation));

beforeEach(() => {
  time = new VirtualTimers();
  service = new InMemoryScheduler(groups);
  scheduler.reset();
  scheduler.on(ListSchedulesCommand).callsFake((input) => service.list(input));
  scheduler.on(GetScheduleCommand).callsFake((input) => service.get(input));
  scheduler.on(CreateScheduleCommand).callsFake((input) => service.create(input));
  scheduler.on(UpdateScheduleCommand).callsFake((input) => service.update(input));
  scheduler.on(DeleteScheduleCommand).callsFake((input) => service.delete(input));
});

afterAll(() => {
  scheduler.restore();
});

describe('the schedule sync against the Scheduler API', () => {
  it('creates every schedule of the configuration in empty groups, each in its kind’s group', async () => {
    // Act
    const report = await syncSchedules(api(), desired(BASE), groups, silentLogger);

    // Assess
    expect(report).toMatchObject({ created: 5, updated: 0, deleted: 0, unchanged: 0 });
    expect(service.keys()).toEqual([
      `${GROUPS.backup}/prod.nightly`,
      `${GROUPS.backup}/staging.nightly`,
      `${GROUPS.drill}/prod.drill`,
      `${GROUPS.freshness}/prod.freshness`,
      `${GROUPS.freshness}/staging.freshness`,
    ]);
    expect(service.schedule(GROUPS.backup, 'prod.nightly')).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: `${ACCOUNT}Nightly`,
        RoleArn: 'arn:aws:iam::1:role/b',
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: DEPLOYMENT.deadLetterQueueArn },
      },
    });
  });

  it('changes nothing when run again on an unchanged configuration (reads only)', async () => {
    // Prepare
    await syncSchedules(api(), desired(BASE), groups, silentLogger);
    service.calls.length = 0;

    // Act
    const report = await syncSchedules(api(), desired(BASE), groups, silentLogger);

    // Assess
    expect(report).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 5 });
    expect(writes()).toEqual([]);
    expect([service.count('list'), service.count('get')]).toEqual([3, 5]);
  });

  it('updates only the schedule whose configuration changed', async () => {
    // Prepare
    await syncSchedules(api(), desired(BASE), groups, silentLogger);
    service.calls.length = 0;
    const changed: BackupConfigInput = {
      clusters: [
        (BASE.clusters as object[])[0] as object,
        cluster('staging', [{ name: 'nightly', cron: '30 3 * * ? *' }]),
      ] as BackupConfigInput['clusters'],
    };

    // Act
    const report = await syncSchedules(api(), desired(changed), groups, silentLogger);

    // Assess
    // staging's cron is in its backup schedule and, as part of its schedules, in its freshness check's input.
    expect(writes().map((call) => `${call.operation} ${call.name}`)).toEqual([
      'update staging.nightly',
      'update staging.freshness',
    ]);
    expect(report).toMatchObject({ created: 0, updated: 2, deleted: 0, unchanged: 3 });
    expect(service.schedule(GROUPS.backup, 'staging.nightly')?.ScheduleExpression).toBe('cron(30 3 * * ? *)');
  });

  it('puts back a schedule someone edited by hand (drift), field by field', async () => {
    // Prepare
    await syncSchedules(api(), desired(BASE), groups, silentLogger);
    const edited = service.schedule(GROUPS.backup, 'prod.nightly');
    if (edited === undefined) throw new Error('no schedule');
    service.groups.get(GROUPS.backup)?.set('prod.nightly', {
      ...edited,
      State: 'DISABLED',
      EndDate: new Date('2027-01-01T00:00:00Z'),
    });

    // Act
    const plan = await planSync(api(), desired(BASE), groups);

    // Assess
    expect(plan.update.map((entry) => [entry.request.Name, entry.fields])).toEqual([
      ['prod.nightly', ['State', 'EndDate']],
    ]);
  });

  it('deletes the schedules the configuration no longer holds, and only those', async () => {
    // Prepare
    await syncSchedules(api(), desired(BASE), groups, silentLogger);
    service.calls.length = 0;
    const withoutStaging: BackupConfigInput = {
      clusters: [(BASE.clusters as object[])[0] as object],
    } as BackupConfigInput;

    // Act
    const report = await syncSchedules(api(), desired(withoutStaging), groups, silentLogger);

    // Assess
    expect(writes().map((call) => `${call.operation} ${call.group}/${call.name}`)).toEqual([
      `delete ${GROUPS.backup}/staging.nightly`,
      `delete ${GROUPS.freshness}/staging.freshness`,
    ]);
    expect(report).toMatchObject({ created: 0, updated: 0, deleted: 2, unchanged: 3 });
  });

  it('leaves schedules of other groups alone', async () => {
    // Prepare
    service.groups.set('someone-else', new Map());
    service.create({ ...desired(BASE)[0], GroupName: 'someone-else', Name: 'theirs' } as ScheduleRequest);

    // Act
    await syncSchedules(api(), [], groups, silentLogger);

    // Assess
    expect(service.keys()).toEqual(['someone-else/theirs']);
  });

  it('deletes every schedule of the groups when the stack is deleted, and skips a group already gone', async () => {
    // Prepare
    await syncSchedules(api(), desired(BASE), groups, silentLogger);
    service.groups.delete(GROUPS.drill);

    // Act
    const report = await deleteAllSchedules(api(), groups, silentLogger);

    // Assess
    expect(report.deleted).toBe(4);
    expect(service.keys()).toEqual([]);
  });

  it('reads every page of a group (ListSchedules NextToken) before it decides what to delete', async () => {
    // Prepare
    const many: BackupConfigInput = {
      clusters: Array.from({ length: 12 }, (_, index) =>
        cluster(`c${index}`, [{ name: 'nightly', cron: '0 2 * * ? *' }]),
      ),
    };
    await syncSchedules(api(), desired(many), groups, silentLogger);
    service.pageSize = 5;
    service.calls.length = 0;

    // Act
    const report = await syncSchedules(api(), desired(many), groups, silentLogger);

    // Assess
    expect(report).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 24 });
    // 12 backup schedules in pages of 5: 3 calls; 12 freshness checks: 3; the empty drill group: 1.
    expect(service.count('list')).toBe(7);
  });

  it('retries throttled calls with backoff and still touches each schedule once', async () => {
    // Prepare
    service.throttleNext('create', 3);
    service.throttleNext('list', 1);

    // Act
    const report = await syncSchedules(api({ maxInFlight: 1 }), desired(BASE), groups, silentLogger);

    // Assess
    expect(report.created).toBe(5);
    expect(report.calls).toMatchObject({ retries: 4, throttled: 4 });
    expect(service.keys()).toHaveLength(5);
    // Full jitter at 0.5 of min(cap, 250 ms × 2^n): the first create's three retries waited 125 + 250 + 500 ms.
    expect(time.now()).toBeGreaterThanOrEqual(875);
  });

  it('gives up on a call throttled past its attempts, applies every other change, then fails', async () => {
    // Prepare
    service.throttleNext('create', 4);

    // Act
    const failure = syncSchedules(
      api({ maxAttempts: 2, maxInFlight: 1 }),
      desired(BASE),
      groups,
      silentLogger,
    );

    // Assess
    await expect(failure).rejects.toBeInstanceOf(SyncFailedError);
    await expect(failure).rejects.toThrow(/2 schedule change\(s\) failed.*ThrottlingException/);
    expect(service.keys()).toHaveLength(3);
  });

  it('keeps to the request rate: 5 schedules at 2 calls a second take the time the calls need', async () => {
    // Act
    const report = await syncSchedules(api({ requestsPerSecond: 2 }), desired(BASE), groups, silentLogger);

    // Assess
    const calls = report.calls.list + report.calls.get + report.calls.create;
    expect(calls).toBe(8);
    expect(time.now()).toBeGreaterThanOrEqual(((calls - 1) * 1000) / 2);
  });

  it('stops at the deadline, keeps what it did, and the next run finishes the job', async () => {
    // Act
    const cut = syncSchedules(api({ requestsPerSecond: 1 }, 4_500), desired(BASE), groups, silentLogger);

    // Assess
    await expect(cut).rejects.toBeInstanceOf(SyncOutOfTimeError);
    const done = service.keys().length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(5);
    const report = await syncSchedules(api(), desired(BASE), groups, silentLogger);
    expect(report.created).toBe(5 - done);
    expect(report.unchanged).toBe(done);
  });

  it('updates a schedule that appeared between the listing and the create (ConflictException)', async () => {
    // Prepare
    const [first] = desired(BASE);
    if (first === undefined) throw new Error('no schedule');
    scheduler.on(CreateScheduleCommand, { Name: first.Name }).callsFakeOnce((input) => {
      service.create({ ...input, Description: 'created by a concurrent run' });
      return service.create(input);
    });

    // Act
    const report = await syncSchedules(api(), desired(BASE), groups, silentLogger);

    // Assess
    expect(report).toMatchObject({ created: 4, updated: 1 });
    expect(service.schedule(first.GroupName, first.Name)?.Description).toBe(first.Description);
  });
});
