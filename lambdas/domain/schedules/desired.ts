/**
 * The configuration's schedule set: one backup schedule per cluster × schedule entry, one hourly freshness check per
 * cluster with schedules, one drill schedule per cluster with a `drill`. Used by the CDK stack (which writes it to
 * the asset) and by `sr-backup plan`; the function itself only reads the asset.
 */

import {
  type BackupConfig,
  type ClusterConfig,
  type ScheduleConfig,
  toClusterSettings,
} from '#domain/config/index.ts';
import { freshnessCheckInputFor } from '#domain/freshness/input.ts';
import {
  fitName,
  SCHEDULE_SET_FORMAT,
  SCHEDULED_TIME_PLACEHOLDER,
  type ScheduleEntry,
  type ScheduleSet,
} from './schedule-set.ts';

/** How often Scheduler retries a failed StartExecution of a backup or drill before the event is dead-lettered. */
export const SCHEDULE_RETRY_ATTEMPTS = 10;

/** How late a backup or drill may still start (retries included); a later start would collide with the next night. */
export const SCHEDULE_MAX_EVENT_AGE_SECONDS = 6 * 3600;

/** How often each cluster's freshness is checked. */
export const FRESHNESS_CHECK_INTERVAL_SECONDS = 3600;

/** A freshness check that could not start within this is skipped: the next one is due by then. */
export const FRESHNESS_CHECK_MAX_EVENT_AGE_SECONDS = 3600;

/** Retries of a freshness check's start (the next one comes within the hour anyway). */
export const FRESHNESS_CHECK_RETRY_ATTEMPTS = 2;

/**
 * The schedule name of one cluster × schedule entry: `<cluster>.<schedule>`. The dot appears in neither name,
 * so distinct pairs never share a name; beyond 64 characters the name is cut and ends in a hash of the pair.
 */
export function scheduleName(cluster: string, schedule: string): string {
  return fitName(`${cluster}.${schedule}`, `${cluster}\n${schedule}`);
}

/**
 * The input Scheduler sends NightlyBackup: exactly what `sr-backup start` sends. The cluster's settings
 * carry secret ARNs, never secret values; `scheduledTime` is filled in by Scheduler at each firing.
 */
export function scheduleInput(config: BackupConfig, cluster: ClusterConfig, schedule: ScheduleConfig) {
  return {
    cluster: toClusterSettings(config, cluster.name, schedule),
    schedule,
    scheduledTime: SCHEDULED_TIME_PLACEHOLDER,
  };
}

/**
 * The input Scheduler sends RestoreDrill: the cluster's settings (its `drill` included; secret ARNs, never
 * secret values) and the scheduled time, which names the scratch database.
 */
export function drillScheduleInput(config: BackupConfig, cluster: ClusterConfig) {
  return {
    cluster: toClusterSettings(config, cluster.name),
    scheduledTime: SCHEDULED_TIME_PLACEHOLDER,
  };
}

/** Every schedule the configuration asks for, in a stable order (clusters, then their entries). */
export function desiredScheduleSet(config: BackupConfig): ScheduleSet {
  const schedules: ScheduleEntry[] = [];
  const backupRetry = {
    attempts: SCHEDULE_RETRY_ATTEMPTS,
    maxEventAgeSeconds: SCHEDULE_MAX_EVENT_AGE_SECONDS,
  };
  for (const cluster of config.clusters) {
    for (const schedule of cluster.schedules) {
      schedules.push({
        kind: 'backup',
        cluster: cluster.name,
        name: scheduleName(cluster.name, schedule.name),
        description: `StarRocks backup of cluster ${cluster.name}, schedule ${schedule.name}`,
        expression: `cron(${schedule.cron})`,
        timezone: schedule.timezone,
        enabled: schedule.enabled,
        input: JSON.stringify(scheduleInput(config, cluster, schedule)),
        retry: backupRetry,
      });
    }
    // A shared-data cluster (mode cluster-snapshot) has no schedules, yet its automated Cluster Snapshots are checked.
    if (cluster.schedules.length > 0 || cluster.mode === 'cluster-snapshot') {
      schedules.push({
        kind: 'freshness',
        cluster: cluster.name,
        name: scheduleName(cluster.name, 'freshness'),
        description: `StarRocks backup freshness check of cluster ${cluster.name}`,
        expression: `rate(${FRESHNESS_CHECK_INTERVAL_SECONDS / 3600} hour)`,
        enabled: true,
        input: JSON.stringify(freshnessCheckInputFor(config, cluster.name)),
        retry: {
          attempts: FRESHNESS_CHECK_RETRY_ATTEMPTS,
          maxEventAgeSeconds: FRESHNESS_CHECK_MAX_EVENT_AGE_SECONDS,
        },
      });
    }
    if (cluster.drill !== undefined) {
      schedules.push({
        kind: 'drill',
        cluster: cluster.name,
        name: scheduleName(cluster.name, 'drill'),
        description: `StarRocks restore drill of cluster ${cluster.name}, database ${cluster.drill.database}`,
        expression: `cron(${cluster.drill.cron})`,
        timezone: cluster.drill.timezone,
        enabled: cluster.drill.enabled,
        input: JSON.stringify(drillScheduleInput(config, cluster)),
        retry: backupRetry,
      });
    }
  }
  return { format: SCHEDULE_SET_FORMAT, schedules };
}
