/**
 * The CloudFormation custom resource `Custom::ScheduleSync`: Create and Update make the groups match the schedule
 * set the properties point at (an S3 object the stack deploys as an asset), Delete empties the groups. The answer
 * goes to CloudFormation's presigned URL; its body must stay within 4,096 bytes, and the physical id never changes
 * (a new one would make CloudFormation delete the "old" resource, and with it every schedule).
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from '#domain/zod.ts';
import { deleteAllSchedules, type SyncReport, syncSchedules } from '#functions/SyncSchedules/core.ts';
import type { AppLogger } from '#domain/logger.ts';
import {
  SCHEDULE_KINDS,
  type ScheduleDeployment,
  type ScheduleKind,
  type ScheduleSet,
  scheduleRequest,
} from './schedule-set.ts';
import type { SchedulerApi, SchedulerPacing } from './scheduler-api.ts';

/** CloudFormation's limit on a custom resource response body. */
export const MAX_RESPONSE_BYTES = 4096;

/** The custom resource's type. */
export const SCHEDULE_SYNC_RESOURCE_TYPE = 'Custom::ScheduleSync';

/** CloudFormation passes every property as a string; numbers arrive as text. */
const count = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? Number(value) : value),
    z.number().int().min(1).max(max),
  );

const kindProperties = (prefix: string) => ({
  [`${prefix}Group`]: z.string().min(1),
  [`${prefix}StateMachineArn`]: z.string().startsWith('arn:'),
  [`${prefix}RoleArn`]: z.string().startsWith('arn:'),
});

const PREFIX: Readonly<Record<ScheduleKind, string>> = {
  backup: 'Backup',
  freshness: 'Freshness',
  drill: 'Drill',
};

/** The resource's properties, as the stack writes them (construct ScheduleSync). */
export const scheduleSyncPropertiesSchema = z.looseObject({
  ScheduleSetBucket: z.string().min(1),
  ScheduleSetKey: z.string().min(1),
  ...kindProperties('Backup'),
  ...kindProperties('Freshness'),
  ...kindProperties('Drill'),
  DeadLetterQueueArn: z.string().startsWith('arn:'),
  RequestsPerSecond: count(1000),
  MaxInFlight: count(64),
});

/** The parsed properties. */
export type ScheduleSyncProperties = z.output<typeof scheduleSyncPropertiesSchema>;

/** The groups and ARNs the properties name. */
export function deploymentOf(properties: ScheduleSyncProperties): ScheduleDeployment {
  const field = (name: string) => String((properties as Record<string, unknown>)[name]);
  const targets = Object.fromEntries(
    SCHEDULE_KINDS.map((kind) => [
      kind,
      {
        group: field(`${PREFIX[kind]}Group`),
        stateMachineArn: field(`${PREFIX[kind]}StateMachineArn`),
        roleArn: field(`${PREFIX[kind]}RoleArn`),
      },
    ]),
  ) as ScheduleDeployment['targets'];
  return { targets, deadLetterQueueArn: properties.DeadLetterQueueArn };
}

/** The body CloudFormation reads from the presigned URL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string | number>>;
}

/** What the handler needs: the paced Scheduler API for given pacing, and a reader of the schedule set. */
export interface ScheduleSyncDeps {
  readonly api: (pacing: Pick<SchedulerPacing, 'requestsPerSecond' | 'maxInFlight'>) => SchedulerApi;
  readonly readScheduleSet: (bucket: string, key: string) => Promise<ScheduleSet>;
  readonly logger: AppLogger;
}

/**
 * Handles one event and returns the response to send (never throws: CloudFormation waits for an answer until the
 * resource's ServiceTimeout, so every failure becomes a FAILED response).
 */
export async function handleScheduleSyncEvent(
  event: CloudFormationCustomResourceEvent,
  deps: ScheduleSyncDeps,
): Promise<CustomResourceResponse> {
  const physicalResourceId =
    event.RequestType === 'Create' ? `${event.StackId}/${event.LogicalResourceId}` : event.PhysicalResourceId;
  const base = {
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    const report = await run(event, deps);
    return { ...base, Status: 'SUCCESS', Data: data(report) };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    deps.logger.error('schedule sync failed', { requestType: event.RequestType, reason });
    return { ...base, Status: 'FAILED', Reason: truncate(reason, 1500) };
  }
}

async function run(event: CloudFormationCustomResourceEvent, deps: ScheduleSyncDeps): Promise<SyncReport> {
  const parsed = scheduleSyncPropertiesSchema.safeParse(event.ResourceProperties);
  if (event.RequestType === 'Delete') {
    if (!parsed.success) {
      // Nothing names our groups, so nothing of ours can exist; refusing would only block the stack's deletion.
      deps.logger.warn('delete without readable properties: nothing to delete', {
        issues: parsed.error.issues.map((issue) => issue.message),
      });
      return emptyReport();
    }
    const deployment = deploymentOf(parsed.data);
    return deleteAllSchedules(deps.api(pacingOf(parsed.data)), groupsOf(deployment), deps.logger);
  }
  if (!parsed.success) {
    throw new Error(
      `invalid properties: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const properties = parsed.data;
  const deployment = deploymentOf(properties);
  const set = await deps.readScheduleSet(properties.ScheduleSetBucket, properties.ScheduleSetKey);
  const api = deps.api(pacingOf(properties));
  const groups = groupsOf(deployment);
  const report = await syncSchedules(
    api,
    set.schedules.map((entry) => scheduleRequest(entry, deployment)),
    groups,
    deps.logger,
  );
  if (event.RequestType !== 'Update') return report;
  // Groups the previous properties named and these do not (a renamed prefix): their schedules would keep firing
  // until CloudFormation deletes the old group, so they go now.
  const old = scheduleSyncPropertiesSchema.safeParse(event.OldResourceProperties);
  const retired = old.success
    ? groupsOf(deploymentOf(old.data)).filter((group) => !groups.includes(group))
    : [];
  if (retired.length === 0) return report;
  const cleared = await deleteAllSchedules(api, retired, deps.logger);
  return { ...report, deleted: report.deleted + cleared.deleted, calls: cleared.calls };
}

function pacingOf(properties: ScheduleSyncProperties) {
  return { requestsPerSecond: properties.RequestsPerSecond, maxInFlight: properties.MaxInFlight };
}

function groupsOf(deployment: ScheduleDeployment): string[] {
  return [...new Set(SCHEDULE_KINDS.map((kind) => deployment.targets[kind].group))];
}

function emptyReport(): SyncReport {
  return {
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    calls: { list: 0, get: 0, create: 0, update: 0, delete: 0, retries: 0, throttled: 0 },
    failures: [],
  };
}

/** Counts only: the response must stay far below 4,096 bytes whatever the number of schedules. */
function data(report: SyncReport): Record<string, number> {
  return {
    Created: report.created,
    Updated: report.updated,
    Deleted: report.deleted,
    Unchanged: report.unchanged,
    SchedulerCalls:
      report.calls.list + report.calls.get + report.calls.create + report.calls.update + report.calls.delete,
    Retries: report.calls.retries,
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The JSON body of a response, checked against CloudFormation's 4,096-byte limit. */
export function responseBody(response: CustomResourceResponse): string {
  const body = JSON.stringify(response);
  if (Buffer.byteLength(body, 'utf8') <= MAX_RESPONSE_BYTES) return body;
  return JSON.stringify({ ...response, Reason: truncate(response.Reason ?? '', 500), Data: undefined });
}
