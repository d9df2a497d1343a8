/**
 * SyncSchedules, the function behind `Custom::ScheduleSync`: Create and Update make the groups match the schedule
 * set the properties point at (an S3 object the stack deploys as an asset), Delete empties the groups. The answer
 * goes to CloudFormation's presigned URL; its body must stay within 4,096 bytes, and the physical id never changes
 * (a new one would make CloudFormation delete the "old" resource, and with it every schedule).
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { AppLogger } from '#domain/logger.ts';
import {
  type CustomResourceResponse,
  deploymentOf,
  type ScheduleSyncProperties,
  scheduleSyncPropertiesSchema,
  truncateReason,
} from '#domain/schedules/custom-resource.ts';
import {
  SCHEDULE_KINDS,
  type ScheduleDeployment,
  type ScheduleSet,
  scheduleRequest,
} from '#domain/schedules/schedule-set.ts';
import type { SchedulerApi, SchedulerPacing } from '#domain/schedules/scheduler-api.ts';
import { deleteAllSchedules, type SyncReport, syncSchedules } from '#domain/schedules/sync.ts';

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
    return { ...base, Status: 'FAILED', Reason: truncateReason(reason, 1500) };
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
