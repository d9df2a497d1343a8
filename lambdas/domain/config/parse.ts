/**
 * Validating the configuration from an object (already parsed from YAML or JSON), and picking one cluster's
 * settings for an execution's input. No file or YAML code here: the Lambdas import this, and only this.
 */

import type { z } from 'zod';
import { ConfigError } from '#domain/errors.ts';
import { type ConfigIssue, configErrorMap, flattenIssues, formatIssue, type IssuePath } from './issues.ts';
import {
  type BackupConfig,
  backupConfigSchema,
  type ClusterSettings,
  clusterSchema,
  clusterSettingsSchema,
  DEFAULTS,
  lockSchema,
  pollSchema,
  type ScheduleConfig,
  scheduleSchema,
  slackSchema,
} from './schema.ts';

const TLS_KEYS = ['rejectUnauthorized', 'ca'];

function keysOf(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}

/** The field names allowed at a path of the configuration file. */
export function configKeysAt(path: IssuePath): readonly string[] {
  const [first, , third] = path;
  if (path.length === 0) return keysOf(backupConfigSchema);
  if (first === 'poll') return keysOf(pollSchema);
  if (first === 'lock') return keysOf(lockSchema);
  if (first === 'slack') return keysOf(slackSchema);
  if (first === 'clusters' && path.length === 2) return keysOf(clusterSchema);
  if (first === 'clusters' && third === 'tls') return TLS_KEYS;
  if (first === 'clusters' && third === 'schedules' && path.length === 4) return keysOf(scheduleSchema);
  return [];
}

/** The field names allowed at a path of the cluster settings. */
function settingsKeysAt(path: IssuePath): readonly string[] {
  const [first] = path;
  if (path.length === 0) return keysOf(clusterSettingsSchema);
  if (first === 'poll') return keysOf(pollSchema);
  if (first === 'lock') return keysOf(lockSchema);
  if (first === 'tls') return TLS_KEYS;
  return [];
}

type Validation<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  keysAt: (path: IssuePath) => readonly string[],
): Validation<z.output<S>> {
  const result = schema.safeParse(input, { error: configErrorMap });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: flattenIssues(result.error.issues, keysAt) };
}

export function configError(
  title: string,
  issues: readonly ConfigIssue[],
  locate?: (path: IssuePath) => string,
): ConfigError {
  const lines = issues.map((issue) => {
    const where = locate?.(issue.path);
    return where ? `${formatIssue(issue)} (${where})` : formatIssue(issue);
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new ConfigError(`${title} (${count}):\n  - ${lines.join('\n  - ')}`, issues.map(formatIssue));
}

/**
 * Validates a configuration object (already parsed from YAML or JSON) and fills in defaults.
 * Throws `ConfigError` listing every problem as `path: message`.
 */
export function parseConfig(input: unknown): BackupConfig {
  const result = validate(backupConfigSchema, input, configKeysAt);
  if (!result.ok) throw configError('Invalid configuration', result.issues);
  return result.value;
}

/**
 * Validates cluster settings taken from an execution's input. Throws `ConfigError` listing every problem.
 */
export function parseClusterSettings(input: unknown): ClusterSettings {
  const result = validate(clusterSettingsSchema, input, settingsKeysAt);
  if (!result.ok) throw configError('Invalid cluster settings', result.issues);
  return result.value;
}

/**
 * The settings of one cluster as they travel in an execution's input: the cluster without its schedules,
 * plus the poll and lock settings, plus `differential` when `schedule` (the run's schedule) takes differentials.
 * Throws `ConfigError` when the configuration has no such cluster.
 */
export function toClusterSettings(
  config: BackupConfig,
  clusterName: string,
  schedule?: Pick<ScheduleConfig, 'mode' | 'fullEvery'>,
): ClusterSettings {
  const cluster = config.clusters.find((candidate) => candidate.name === clusterName);
  if (cluster === undefined) {
    const known = config.clusters.map((candidate) => candidate.name).join(', ');
    const message = `cluster "${clusterName}" is not in the configuration (clusters: ${known})`;
    throw new ConfigError(message, [`clusters: ${message}`]);
  }
  const { schedules: _schedules, ...settings } = cluster;
  const differential =
    schedule?.mode === 'differential' ? { fullEvery: schedule.fullEvery ?? DEFAULTS.fullEvery } : undefined;
  return structuredClone({
    ...settings,
    poll: config.poll,
    lock: config.lock,
    ...(differential === undefined ? {} : { differential }),
  });
}

/** The include/exclude patterns that apply to one run: the schedule's own when it sets them, else the cluster's. */
export function effectiveDatabaseFilters(
  cluster: { readonly include: readonly string[]; readonly exclude: readonly string[] },
  schedule?: {
    readonly include?: readonly string[] | undefined;
    readonly exclude?: readonly string[] | undefined;
  },
): { include: string[]; exclude: string[] } {
  return {
    include: [...(schedule?.include ?? cluster.include)],
    exclude: [...(schedule?.exclude ?? cluster.exclude)],
  };
}
