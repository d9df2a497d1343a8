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
import { parseConfig } from '#domain/config/index.ts';
import { silentLogger } from '#domain/logger.ts';
import {
  type CustomResourceResponse,
  MAX_RESPONSE_BYTES,
  responseBody,
} from '#domain/schedules/custom-resource.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import { type ScheduleSet, scheduleGroupNames } from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING, SchedulerApi } from '#domain/schedules/scheduler-api.ts';
import { handleScheduleSyncEvent } from '#functions/SyncSchedules/core.ts';

const STACK_ID =
  'arn:aws:cloudformation:eu-west-1:123456789012:stack/Backups/4e8a6f60-0000-11f0-9f0e-0a1b2c3d4e5f';
const set = (clusters: number): ScheduleSet =>
  desiredScheduleSet(
    parseConfig({
      clusters: Array.from({ length: clusters }, (_, index) => ({
        name: `c${index}`,
        host: `c${index}.fe.internal`,
        repository: 's3_repo',
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
      })),
    }),
  );

const objects = new Map<string, ScheduleSet>([
  ['v1.json', set(2)],
  ['v2.json', set(3)],
]);

function properties(key: string, prefix = 'Backups') {
  const groups = scheduleGroupNames(prefix);
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:SyncSchedules',
    ScheduleSetBucket: 'cdk-assets',
    ScheduleSetKey: key,
    BackupGroup: groups.backup,
    BackupStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Nightly',
    BackupRoleArn: 'arn:aws:iam::123456789012:role/backup',
    FreshnessGroup: groups.freshness,
    FreshnessStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Freshness',
    FreshnessRoleArn: 'arn:aws:iam::123456789012:role/freshness',
    DrillGroup: groups.drill,
    DrillStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Drill',
    DrillRoleArn: 'arn:aws:iam::123456789012:role/drill',
    DeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
    // CloudFormation hands every property over as a string.
    RequestsPerSecond: '40',
    MaxInFlight: '8',
  };
}

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  resourceProperties: Record<string, unknown>,
  oldResourceProperties?: Record<string, unknown>,
): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: String(resourceProperties.ServiceToken),
    ResponseURL: 'https://cloudformation-custom-resource-response.example/presigned',
    StackId: STACK_ID,
    RequestId: `request-${requestType}`,
    LogicalResourceId: 'SchedulerScheduleSyncResource',
    ResourceType: 'Custom::ScheduleSync',
    ResourceProperties: resourceProperties as never,
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: `${STACK_ID}/SchedulerScheduleSyncResource` }),
    ...(oldResourceProperties === undefined ? {} : { OldResourceProperties: oldResourceProperties }),
  } as CloudFormationCustomResourceEvent;
}

const scheduler = mockClient(SchedulerClient);
let service: InMemoryScheduler;

function handle(incoming: CloudFormationCustomResourceEvent): Promise<CustomResourceResponse> {
  const time = new VirtualTimers();
  return handleScheduleSyncEvent(incoming, {
    api: (pacing) =>
      new SchedulerApi({
        scheduler: new SchedulerClient({ region: 'eu-west-1' }),
        clock: time,
        sleep: (ms) => time.sleep(ms),
        random: () => 0.5,
        pacing: { ...DEFAULT_PACING, ...pacing },
      }),
    readScheduleSet: async (_bucket, key) => {
      const found = objects.get(key);
      if (found === undefined)
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return found;
    },
    logger: silentLogger,
  });
}

beforeEach(() => {
  service = new InMemoryScheduler([
    ...Object.values(scheduleGroupNames('Backups')),
    ...Object.values(scheduleGroupNames('Renamed')),
  ]);
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

describe('Custom::ScheduleSync', () => {
  it('creates the set on Create and answers SUCCESS with counts only', async () => {
    // Act
    const response = await handle(event('Create', properties('v1.json')));

    // Assess
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: `${STACK_ID}/SchedulerScheduleSyncResource`,
      StackId: STACK_ID,
      RequestId: 'request-Create',
      LogicalResourceId: 'SchedulerScheduleSyncResource',
      Data: { Created: 4, Updated: 0, Deleted: 0, Unchanged: 0 },
    });
    expect(service.keys()).toHaveLength(4);
  });

  it('keeps the physical id on Update (a new one would make CloudFormation delete every schedule)', async () => {
    // Prepare
    await handle(event('Create', properties('v1.json')));

    // Act
    const response = await handle(event('Update', properties('v2.json'), properties('v1.json')));

    // Assess
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: `${STACK_ID}/SchedulerScheduleSyncResource`,
      Data: { Created: 2, Updated: 0, Deleted: 0, Unchanged: 4 },
    });
  });

  it('rolls back to the previous set when CloudFormation updates back to the old properties', async () => {
    // Prepare
    await handle(event('Create', properties('v1.json')));
    await handle(event('Update', properties('v2.json'), properties('v1.json')));

    // Act
    const response = await handle(event('Update', properties('v1.json'), properties('v2.json')));

    // Assess
    expect(response.Data).toMatchObject({ Created: 0, Deleted: 2, Unchanged: 4 });
    expect(service.keys()).toHaveLength(4);
  });

  it('moves the schedules when the groups are renamed, and empties the old groups', async () => {
    // Prepare
    await handle(event('Create', properties('v1.json')));

    // Act
    const response = await handle(event('Update', properties('v1.json', 'Renamed'), properties('v1.json')));

    // Assess
    expect(response.Status).toBe('SUCCESS');
    expect(service.keys().every((key) => key.startsWith('Renamed-'))).toBe(true);
    expect(service.keys()).toHaveLength(4);
  });

  it('deletes every schedule of its groups on Delete', async () => {
    // Prepare
    await handle(event('Create', properties('v2.json')));

    // Act
    const response = await handle(event('Delete', properties('v2.json')));

    // Assess
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Deleted: 6 } });
    expect(service.keys()).toEqual([]);
  });

  it('answers SUCCESS to a Delete whose properties name no groups, so the stack can still be deleted', async () => {
    // Act
    const response = await handle(event('Delete', { ServiceToken: 'arn:aws:lambda:x' }));

    // Assess
    expect(response.Status).toBe('SUCCESS');
  });

  it('answers FAILED with the reason when the schedule set cannot be read, and changes nothing', async () => {
    // Act
    const response = await handle(event('Create', properties('missing.json')));

    // Assess
    expect(response).toMatchObject({
      Status: 'FAILED',
      Reason: 'NoSuchKey: The specified key does not exist.',
    });
    expect(response.PhysicalResourceId).not.toBe('');
    expect(service.calls).toEqual([]);
  });

  it('answers FAILED on properties it cannot read', async () => {
    // Act
    const response = await handle(event('Update', { ...properties('v1.json'), RequestsPerSecond: 'fast' }));

    // Assess
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/RequestsPerSecond/);
  });

  it('keeps every response body within CloudFormation’s 4,096 bytes, even with a long failure', () => {
    // Prepare
    const response: CustomResourceResponse = {
      Status: 'FAILED',
      Reason: 'x'.repeat(10_000),
      PhysicalResourceId: `${STACK_ID}/SchedulerScheduleSyncResource`,
      StackId: STACK_ID,
      RequestId: 'r',
      LogicalResourceId: 'SchedulerScheduleSyncResource',
    };

    // Act
    const body = responseBody(response);

    // Assess
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(JSON.parse(body)).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: response.PhysicalResourceId,
    });
  });
});
