/**
 * The schedule sync: makes the schedules of the stack's groups exactly the desired set, touching only what differs.
 * It reads what is there (ListSchedules per group, GetSchedule per schedule that should stay), then creates what is
 * missing, updates what differs in any field, and deletes what the set no longer holds. Run twice, the second run
 * changes nothing; interrupted, the next run finishes the work.
 */

import { SyncFailedError, SyncOutOfTimeError } from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type CompareOptions, changedFields, type ScheduleRequest } from './schedule-set.ts';
import type { CallCounts, SchedulerApi } from './scheduler-api.ts';

/** A schedule's address. */
export interface ScheduleKey {
  readonly group: string;
  readonly name: string;
}

/** What a sync would do. */
export interface SyncPlan {
  readonly create: readonly ScheduleRequest[];
  readonly update: ReadonlyArray<{ readonly request: ScheduleRequest; readonly fields: readonly string[] }>;
  readonly delete: readonly ScheduleKey[];
  readonly unchanged: readonly ScheduleKey[];
  /** Groups that do not exist (yet): their desired schedules are all `create`. */
  readonly missingGroups: readonly string[];
}

/** What a sync did. */
export interface SyncReport {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly calls: CallCounts;
  /** Schedules whose change failed with a non-retryable error (the first few, with the error). */
  readonly failures: readonly string[];
}

const keyOf = (group: string, name: string) => `${group}/${name}`;

/**
 * Compares the desired requests with what `groups` hold. Every desired request must name one of `groups`;
 * schedules of those groups that the set does not hold are to be deleted.
 */
export async function planSync(
  api: SchedulerApi,
  desired: readonly ScheduleRequest[],
  groups: readonly string[],
  options: CompareOptions = { deploymentArns: true },
): Promise<SyncPlan> {
  const wanted = new Map<string, ScheduleRequest>();
  for (const request of desired) {
    if (!groups.includes(request.GroupName)) {
      throw new Error(
        `schedule ${request.Name} names group ${request.GroupName}, which this sync does not manage`,
      );
    }
    const key = keyOf(request.GroupName, request.Name);
    if (wanted.has(key)) throw new Error(`two desired schedules are both named ${key}`);
    wanted.set(key, request);
  }

  const existing = new Map<string, ScheduleKey>();
  const missingGroups: string[] = [];
  for (const group of groups) {
    const listed = await api.listGroup(group);
    if (listed === undefined) missingGroups.push(group);
    for (const schedule of listed ?? []) existing.set(keyOf(group, schedule.name), schedule);
  }

  const create: ScheduleRequest[] = [];
  const toCompare: ScheduleRequest[] = [];
  for (const [key, request] of wanted) (existing.has(key) ? toCompare : create).push(request);
  const toDelete = [...existing].filter(([key]) => !wanted.has(key)).map(([, schedule]) => schedule);

  const update: Array<{ request: ScheduleRequest; fields: string[] }> = [];
  const unchanged: ScheduleKey[] = [];
  await api.forEach(toCompare, async (request) => {
    const deployed = await api.get(request.GroupName, request.Name);
    if (deployed === undefined) {
      create.push(request);
      return;
    }
    const fields = changedFields(request, deployed, options);
    if (fields.length > 0) update.push({ request, fields });
    else unchanged.push({ group: request.GroupName, name: request.Name });
  });
  const byName =
    <T>(pick: (item: T) => string) =>
    (a: T, b: T) =>
      pick(a).localeCompare(pick(b));
  return {
    create: create.sort(byName((request) => keyOf(request.GroupName, request.Name))),
    update: update.sort(byName((entry) => keyOf(entry.request.GroupName, entry.request.Name))),
    delete: toDelete.sort(byName((key) => keyOf(key.group, key.name))),
    unchanged: unchanged.sort(byName((key) => keyOf(key.group, key.name))),
    missingGroups,
  };
}

/**
 * Applies a plan: creates and updates first (a schedule that should fire keeps firing), then deletes. A change that
 * fails with a non-retryable error is reported, the others still go ahead, and the sync then fails as a whole.
 */
export async function applySync(api: SchedulerApi, plan: SyncPlan, logger: AppLogger): Promise<SyncReport> {
  let created = 0;
  let updated = 0;
  let deleted = 0;
  const failures: string[] = [];
  const failed = (what: string, error: unknown) => {
    if (error instanceof SyncOutOfTimeError) throw error;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    logger.error('schedule change failed', { schedule: what, error: text });
    failures.push(`${what}: ${text}`);
  };
  const count = (outcome: 'created' | 'updated') => {
    if (outcome === 'created') created++;
    else updated++;
  };
  const upserts: Array<{ request: ScheduleRequest; exists: boolean }> = [
    ...plan.create.map((request) => ({ request, exists: false })),
    ...plan.update.map(({ request }) => ({ request, exists: true })),
  ];
  await api.forEach(upserts, async ({ request, exists }) => {
    try {
      count(exists ? await api.update(request) : await api.create(request));
    } catch (error) {
      failed(keyOf(request.GroupName, request.Name), error);
    }
  });
  await api.forEach(plan.delete, async (key) => {
    try {
      await api.delete(key.group, key.name);
      deleted++;
    } catch (error) {
      failed(keyOf(key.group, key.name), error);
    }
  });
  return { created, updated, deleted, unchanged: plan.unchanged.length, calls: { ...api.calls }, failures };
}

/** Plans and applies in one go; throws {@link SyncFailedError} when a change failed. */
export async function syncSchedules(
  api: SchedulerApi,
  desired: readonly ScheduleRequest[],
  groups: readonly string[],
  logger: AppLogger,
): Promise<SyncReport> {
  const plan = await planSync(api, desired, groups);
  logger.info('schedule sync plan', {
    create: plan.create.length,
    update: plan.update.length,
    delete: plan.delete.length,
    unchanged: plan.unchanged.length,
  });
  const report = await applySync(api, plan, logger);
  throwOnFailures(report);
  return report;
}

/** Deletes every schedule of `groups` (the stack is being deleted); a group that is already gone is skipped. */
export async function deleteAllSchedules(
  api: SchedulerApi,
  groups: readonly string[],
  logger: AppLogger,
): Promise<SyncReport> {
  const plan: SyncPlan = { create: [], update: [], delete: [], unchanged: [], missingGroups: [] };
  const doomed: ScheduleKey[] = [];
  for (const group of groups) doomed.push(...((await api.listGroup(group)) ?? []));
  logger.info('deleting every schedule of the groups', { groups, schedules: doomed.length });
  const report = await applySync(api, { ...plan, delete: doomed }, logger);
  throwOnFailures(report);
  return report;
}

function throwOnFailures(report: SyncReport): void {
  if (report.failures.length === 0) return;
  const shown = report.failures.slice(0, 3).join('; ');
  const more = report.failures.length > 3 ? ` (and ${report.failures.length - 3} more)` : '';
  throw new SyncFailedError(
    `${report.failures.length} schedule change(s) failed: ${shown}${more}. ` +
      `Applied: ${report.created} created, ${report.updated} updated, ${report.deleted} deleted.`,
  );
}
