import { EventEmitter } from 'node:events';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryScheduler } from '#bench/scale/in-memory-scheduler.ts';
import { parseConfig } from '#domain/config/index.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import { scheduleGroupNames } from '#domain/schedules/schedule-set.ts';

/** What the handler PUT to CloudFormation's presigned URL. */
const uploads: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];

vi.mock('node:https', () => ({
  request: (
    url: string,
    options: { headers: Record<string, unknown> },
    respond: (res: EventEmitter) => void,
  ) => {
    const req = new EventEmitter() as EventEmitter & { end: (body: string) => void; destroy: () => void };
    req.destroy = () => undefined;
    req.end = (body: string) => {
      uploads.push({ url, headers: options.headers, body });
      const res = Object.assign(new EventEmitter(), { statusCode: 200, resume: () => undefined });
      respond(res);
      setImmediate(() => res.emit('end'));
    };
    return req;
  },
}));

const { handler } = await import('#functions/SyncSchedules/handler.ts');

const GROUPS = scheduleGroupNames('Backups');
const set = desiredScheduleSet(
  parseConfig({
    clusters: [
      {
        name: 'prod',
        host: 'fe.internal',
        repository: 's3_repo',
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
      },
    ],
  }),
);

const s3 = mockClient(S3Client);
const scheduler = mockClient(SchedulerClient);
let service: InMemoryScheduler;

const event = {
  RequestType: 'Create',
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:SyncSchedules',
  ResponseURL:
    'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned?X-Amz-Signature=x',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Backups/0',
  RequestId: 'request-1',
  LogicalResourceId: 'SchedulerScheduleSync',
  ResourceType: 'Custom::ScheduleSync',
  ResourceProperties: {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:SyncSchedules',
    ScheduleSetBucket: 'cdk-assets',
    ScheduleSetKey: 'abc.json',
    BackupGroup: GROUPS.backup,
    BackupStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:N',
    BackupRoleArn: 'arn:aws:iam::123456789012:role/b',
    FreshnessGroup: GROUPS.freshness,
    FreshnessStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:F',
    FreshnessRoleArn: 'arn:aws:iam::123456789012:role/f',
    DrillGroup: GROUPS.drill,
    DrillStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:D',
    DrillRoleArn: 'arn:aws:iam::123456789012:role/d',
    DeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
    RequestsPerSecond: '1000',
    MaxInFlight: '8',
  },
} as unknown as CloudFormationCustomResourceEvent;

const context = { getRemainingTimeInMillis: () => 900_000 } as Context;

/** An S3 object body as the handler reads it (the SDK's stream mixin offers transformToString). */
const body = (text: string) => ({ transformToString: async () => text });

beforeEach(() => {
  uploads.length = 0;
  service = new InMemoryScheduler(Object.values(GROUPS));
  s3.reset();
  scheduler.reset();
  scheduler.on(ListSchedulesCommand).callsFake((input) => service.list(input));
  scheduler.on(GetScheduleCommand).callsFake((input) => service.get(input));
  scheduler.on(CreateScheduleCommand).callsFake((input) => service.create(input));
  scheduler.on(UpdateScheduleCommand).callsFake((input) => service.update(input));
  scheduler.on(DeleteScheduleCommand).callsFake((input) => service.delete(input));
});

afterAll(() => {
  s3.restore();
  scheduler.restore();
});

describe('the SyncSchedules handler', () => {
  it('reads the schedule set from S3, syncs it, and PUTs SUCCESS to the presigned URL with an empty content type', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Bucket: 'cdk-assets', Key: 'abc.json' }).resolves({
      Body: body(JSON.stringify(set)),
    } as never);

    // Act
    await handler(event, context);

    // Assess
    expect(service.keys()).toEqual([`${GROUPS.backup}/prod.nightly`, `${GROUPS.freshness}/prod.freshness`]);
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload?.url).toBe(event.ResponseURL);
    expect(upload?.headers['content-type']).toBe('');
    expect(JSON.parse(upload?.body ?? '{}')).toMatchObject({
      Status: 'SUCCESS',
      RequestId: 'request-1',
      Data: { Created: 2 },
    });
  });

  it('answers FAILED (and does not throw) when the schedule set is not a schedule set', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({
      Body: body('{"format":"something-else"}'),
    } as never);

    // Act
    await handler(event, context);

    // Assess
    expect(JSON.parse(uploads[0]?.body ?? '{}')).toMatchObject({ Status: 'FAILED' });
    expect(service.calls).toEqual([]);
  });
});
