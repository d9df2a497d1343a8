import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryScheduler } from '#bench/scale/in-memory-scheduler.ts';
import { VirtualTimers } from '#bench/scale/virtual-timers.ts';
import { SYNC_FUNCTION_TIMEOUT } from '#cdk/constructs/schedule-sync.ts';
import { silentLogger } from '#domain/logger.ts';
import {
  type CustomResourceResponse,
  MAX_RESPONSE_BYTES,
  responseBody,
} from '#domain/schedules/custom-resource.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import {
  MAX_DESCRIPTION_LENGTH,
  type ScheduleDeployment,
  type ScheduleRequest,
  scheduleGroupNames,
  scheduleRequest,
} from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING, SchedulerApi, type SchedulerSender } from '#domain/schedules/scheduler-api.ts';
import { syncSchedules } from '#domain/schedules/sync.ts';
import { handleScheduleSyncEvent } from '#functions/SyncSchedules/core.ts';
import {
  configFrom,
  countByType,
  logicalIdByPath,
  resourcesOfType,
  scaledConfig,
  synthStack,
  type TemplateResource,
} from '../support.ts';
import { DOCS, rule } from './rules.ts';

/** 2,000 cluster-schedules shaped differently from the other suites: 500 clusters with 4 schedules each. */
const config = (() => {
  const base = scaledConfig(500, 1);
  return {
    ...base,
    clusters: base.clusters.map((cluster) => ({
      ...cluster,
      schedules: [0, 1, 2, 3].map((index) => ({
        ...cluster.schedules[0],
        name: `s${index}`,
        cron: `${index * 10} 2 * * ? *`,
      })),
    })),
  } as typeof base;
})();
const { template } = synthStack({ config });
const small = synthStack({ config: scaledConfig(1, 1) }).template;
const [sync] = Object.values(resourcesOfType(template, 'Custom::ScheduleSync')) as TemplateResource[];
const groups = scheduleGroupNames('TestStack');
const deployment: ScheduleDeployment = {
  targets: {
    backup: {
      group: groups.backup,
      stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:N',
      roleArn: 'arn:aws:iam::1:role/b',
    },
    freshness: {
      group: groups.freshness,
      stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:F',
      roleArn: 'arn:aws:iam::1:role/f',
    },
    drill: {
      group: groups.drill,
      stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:D',
      roleArn: 'arn:aws:iam::1:role/d',
    },
  },
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:1:dlq',
};
const requests = desiredScheduleSet(config).schedules.map((entry) => scheduleRequest(entry, deployment));

const scheduler = mockClient(SchedulerClient);
const client = new SchedulerClient({ region: 'eu-west-1' });
let service: InMemoryScheduler;
let time: VirtualTimers;

/** The sync's API on virtual time, at the pace the template configures, against Scheduler at `latencyMs` a call. */
function pacedApi(latencyMs = 0): SchedulerApi {
  return new SchedulerApi({
    scheduler: {
      send: async (command: never) => {
        await time.sleep(latencyMs);
        return client.send(command);
      },
    } as unknown as SchedulerSender,
    clock: time,
    sleep: (ms) => time.sleep(ms),
    random: () => 0.5,
    pacing: {
      ...DEFAULT_PACING,
      requestsPerSecond: Number(sync?.Properties.RequestsPerSecond),
      maxInFlight: Number(sync?.Properties.MaxInFlight),
    },
  });
}

beforeEach(() => {
  time = new VirtualTimers();
  service = new InMemoryScheduler(Object.values(groups));
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

describe(
  rule(
    'A stack holds at most 500 resources and its template at most 1 MB: 2,000 cluster-schedules deploy from a stack exactly as large as one cluster’s, the schedules being data',
    `${DOCS.cloudFormationQuotas} (the page; its current 500-resource and 1 MB figures UNVERIFIED, the stored copy is older)`,
  ),
  () => {
    it('holds the same resources for 500 clusters × 4 schedules as for 1 × 1, far below 500', () => {
      expect(countByType(template)).toEqual(countByType(small));
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(300);
    });

    it('keeps the template below a tenth of 1 MB', () => {
      expect(Buffer.byteLength(JSON.stringify(template.toJSON()))).toBeLessThan(100_000 * 4);
    });
  },
);

describe(
  rule(
    'One Lambda invocation lasts at most 15 minutes and CloudFormation waits for a custom resource at most ServiceTimeout (1 to 3,600 s), failing the operation without an answer: the sync of 2,000 cluster-schedules ends, at its pace, well within one invocation',
    DOCS.lambdaQuotas,
    DOCS.customResourceProtocol,
  ),
  () => {
    it('gives the function the full 15 minutes and CloudFormation a ServiceTimeout between that and 3,600 s', () => {
      expect(SYNC_FUNCTION_TIMEOUT.toSeconds()).toBe(900);
      const serviceTimeout = Number(sync?.Properties.ServiceTimeout);
      expect(serviceTimeout).toBeGreaterThan(900);
      expect(serviceTimeout).toBeLessThanOrEqual(3600);
    });

    it('creates 2,500 schedules from empty groups in under 14.5 minutes of (virtual) time at 50 ms a call', async () => {
      // Act
      const report = await syncSchedules(pacedApi(50), requests, Object.values(groups), silentLogger);

      // Assess
      expect(report.created).toBe(2500);
      expect(time.now()).toBeLessThan(870_000);
    });

    it('updates every one of them (the worst redeploy: a new role ARN) in under 14.5 minutes too', async () => {
      // Prepare
      await syncSchedules(pacedApi(), requests, Object.values(groups), silentLogger);
      const moved = requests.map(
        (request): ScheduleRequest => ({
          ...request,
          Target: { ...request.Target, RoleArn: 'arn:aws:iam::1:role/new' } as ScheduleRequest['Target'],
        }),
      );
      time = new VirtualTimers();

      // Act
      const report = await syncSchedules(pacedApi(50), moved, Object.values(groups), silentLogger);

      // Assess
      expect(report.updated).toBe(2500);
      expect(time.now()).toBeLessThan(870_000);
    });
  },
);

describe(
  rule(
    'Scheduler rejects calls beyond its per-operation request rates (ThrottlingException): the sync keeps below the lowest rate the quotas page has listed (50 per second) and retries what is throttled',
    DOCS.schedulerQuotas,
  ),
  () => {
    it('paces every call at most 50 a second, all operations together', () => {
      expect(Number(sync?.Properties.RequestsPerSecond)).toBeLessThanOrEqual(50);
      expect(DEFAULT_PACING.requestsPerSecond).toBeLessThanOrEqual(50);
    });

    it('makes no more calls a second than it is allowed, measured over a whole sync', async () => {
      // Act
      const report = await syncSchedules(
        pacedApi(),
        requests.slice(0, 400),
        Object.values(groups),
        silentLogger,
      );

      // Assess
      const calls = report.calls.list + report.calls.get + report.calls.create;
      expect(calls / (time.now() / 1000)).toBeLessThanOrEqual(
        Number(sync?.Properties.RequestsPerSecond) + 0.1,
      );
    });

    it('retries a throttled call until it goes through', async () => {
      // Prepare
      service.throttleNext('create', 5);

      // Act
      const report = await syncSchedules(
        pacedApi(),
        requests.slice(0, 10),
        Object.values(groups),
        silentLogger,
      );

      // Assess
      expect(report).toMatchObject({ created: 10, calls: { throttled: 5 } });
    });
  },
);

describe(
  rule(
    'Schedule and group names match ^[0-9a-zA-Z-_.]+$ with at most 64 characters; a description holds at most 512',
    DOCS.schedulerGetSchedule,
    `${DOCS.schedulerCreateSchedule} (the 512-character Description limit UNVERIFIED)`,
  ),
  () => {
    it('names every schedule and group validly, long cluster, schedule and database names included', () => {
      const long = configFrom({
        clusters: [
          {
            name: `c${'x'.repeat(63)}`,
            host: 'fe.internal',
            repository: 's3_repo',
            schedules: [{ name: `s${'y'.repeat(63)}`, cron: '0 2 * * ? *' }],
            drill: { database: `d${'z'.repeat(63)}`, cron: '0 4 ? * SUN *' },
          },
        ],
      });
      const all = [
        ...requests,
        ...desiredScheduleSet(long).schedules.map((entry) => scheduleRequest(entry, deployment)),
      ];
      const valid = /^[0-9a-zA-Z-_.]{1,64}$/;
      expect(all.filter((request) => !valid.test(request.Name) || !valid.test(request.GroupName))).toEqual(
        [],
      );
      expect(all.filter((request) => (request.Description ?? '').length > MAX_DESCRIPTION_LENGTH)).toEqual(
        [],
      );
      expect(Object.values(scheduleGroupNames('S'.repeat(128))).every((name) => valid.test(name))).toBe(true);
    });
  },
);

describe(
  rule(
    'UpdateSchedule uses every value of the request and resets what it leaves out: the sync sends the whole schedule on update, exactly what it sends on create',
    DOCS.schedulerUpdateSchedule,
  ),
  () => {
    it('sends an update with every field a create sends', async () => {
      // Prepare
      const [first] = requests;
      if (first === undefined) throw new Error('no schedule');
      await syncSchedules(pacedApi(), [first], Object.values(groups), silentLogger);
      const changed: ScheduleRequest = { ...first, ScheduleExpression: 'cron(5 2 * * ? *)' };

      // Act
      await syncSchedules(pacedApi(), [changed], Object.values(groups), silentLogger);

      // Assess
      const [update] = scheduler.commandCalls(UpdateScheduleCommand);
      expect(update?.args[0].input).toEqual(changed);
      expect(Object.keys(update?.args[0].input ?? {}).sort()).toEqual(Object.keys(first).sort());
    });
  },
);

describe(
  rule(
    'ListSchedules returns at most 100 schedules a page and a NextToken for the rest',
    DOCS.schedulerListSchedules,
  ),
  () => {
    it('asks for at most 100 and follows every NextToken', async () => {
      // Prepare
      await syncSchedules(pacedApi(), requests.slice(0, 250), Object.values(groups), silentLogger);
      scheduler.resetHistory();

      // Act
      await syncSchedules(pacedApi(), requests.slice(0, 250), Object.values(groups), silentLogger);

      // Assess
      const lists = scheduler.commandCalls(ListSchedulesCommand).map((call) => call.args[0].input);
      expect(lists.every((input) => (input.MaxResults ?? 0) <= 100)).toBe(true);
      expect(lists.filter((input) => input.NextToken !== undefined).length).toBeGreaterThan(0);
      expect(scheduler.commandCalls(GetScheduleCommand)).toHaveLength(250);
    });
  },
);

describe(
  rule(
    'A custom resource answers with a body of at most 4,096 bytes and the same PhysicalResourceId every time (a different one makes CloudFormation delete the old resource)',
    DOCS.customResourceResponses,
  ),
  () => {
    const properties = {
      ServiceToken: 'arn:aws:lambda:eu-west-1:1:function:SyncSchedules',
      ScheduleSetBucket: 'assets',
      ScheduleSetKey: 'set.json',
      BackupGroup: groups.backup,
      BackupStateMachineArn: deployment.targets.backup.stateMachineArn,
      BackupRoleArn: deployment.targets.backup.roleArn,
      FreshnessGroup: groups.freshness,
      FreshnessStateMachineArn: deployment.targets.freshness.stateMachineArn,
      FreshnessRoleArn: deployment.targets.freshness.roleArn,
      DrillGroup: groups.drill,
      DrillStateMachineArn: deployment.targets.drill.stateMachineArn,
      DrillRoleArn: deployment.targets.drill.roleArn,
      DeadLetterQueueArn: deployment.deadLetterQueueArn,
      RequestsPerSecond: '1000',
      MaxInFlight: '16',
    };
    const event = (RequestType: 'Create' | 'Update' | 'Delete', PhysicalResourceId?: string) =>
      ({
        RequestType,
        ServiceToken: properties.ServiceToken,
        ResponseURL: 'https://example.invalid/response',
        StackId: 'arn:aws:cloudformation:eu-west-1:1:stack/TestStack/0',
        RequestId: RequestType,
        LogicalResourceId: 'SchedulerScheduleSync',
        ResourceType: 'Custom::ScheduleSync',
        ResourceProperties: properties,
        ...(PhysicalResourceId === undefined
          ? {}
          : { PhysicalResourceId, OldResourceProperties: properties }),
      }) as unknown as CloudFormationCustomResourceEvent;
    const handle = (incoming: CloudFormationCustomResourceEvent): Promise<CustomResourceResponse> =>
      handleScheduleSyncEvent(incoming, {
        api: (pacing) =>
          new SchedulerApi({
            scheduler: new SchedulerClient({ region: 'eu-west-1' }),
            clock: time,
            sleep: (ms) => time.sleep(ms),
            random: () => 0.5,
            pacing: { ...DEFAULT_PACING, ...pacing },
          }),
        readScheduleSet: async () => desiredScheduleSet(config),
        logger: silentLogger,
      });

    it('answers Create, Update and Delete of 2,500 schedules within 4,096 bytes, with one physical id', async () => {
      // Act
      const created = await handle(event('Create'));
      const updated = await handle(event('Update', created.PhysicalResourceId));
      const deleted = await handle(event('Delete', created.PhysicalResourceId));

      // Assess
      const answers = [created, updated, deleted];
      expect(answers.map((answer) => answer.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      expect(new Set(answers.map((answer) => answer.PhysicalResourceId)).size).toBe(1);
      expect(answers.every((answer) => Buffer.byteLength(responseBody(answer)) <= MAX_RESPONSE_BYTES)).toBe(
        true,
      );
      expect([created.Data?.Created, deleted.Data?.Deleted]).toEqual([2500, 2500]);
      expect(service.keys()).toEqual([]);
    });
  },
);

describe(
  rule(
    'Creating a schedule passes its execution role: the caller needs iam:PassRole on it, which iam:PassedToService can limit to scheduler.amazonaws.com',
    DOCS.schedulerIam,
  ),
  () => {
    it('lets the sync pass the three schedule roles to Scheduler only', () => {
      const roleId = logicalIdByPath(template, '/ScheduleSync/SyncSchedules/Role/Resource');
      const passes = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
        .filter((policy) =>
          (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === roleId),
        )
        .flatMap(
          (policy) =>
            (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
        )
        .filter((statement) => [statement.Action].flat().includes('iam:PassRole'));
      expect(passes).toEqual([
        expect.objectContaining({
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          Resource: expect.arrayContaining([
            { 'Fn::GetAtt': [logicalIdByPath(template, '/Schedules/Role/Resource'), 'Arn'] },
          ]),
        }),
      ]);
    });
  },
);

describe(
  rule(
    'An alarm can watch a Metrics Insights query that returns one time series; an account has 200 such alarms by default and each evaluates the latest 3 hours',
    DOCS.metricsInsightsAlarms,
    DOCS.alarmLimits,
  ),
  () => {
    const queries = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).flatMap((alarm) =>
      ((alarm.Properties.Metrics ?? []) as Array<{ Expression?: string; Period?: number }>).filter((query) =>
        query.Expression?.startsWith('SELECT'),
      ),
    );

    it('uses two such alarms per stack, whatever the number of clusters, each one series over a period within 3 hours', () => {
      expect(queries).toHaveLength(2);
      expect(queries.filter((query) => /GROUP BY/i.test(query.Expression ?? ''))).toEqual([]);
      expect(queries.every((query) => (query.Period ?? 0) <= 3 * 3600)).toBe(true);
    });
  },
);
