/** Picking clusters and schedules from the configuration by the names given on the command line. */
import type { BackupConfig, ClusterConfig, ScheduleConfig } from '#domain/config/index.ts';
import { usageError } from './cli-error.ts';

function list(names: readonly string[]): string {
  return names.join(', ');
}

/** A cluster with its position in the file (for field paths in messages). */
export interface SelectedCluster {
  readonly cluster: ClusterConfig;
  readonly index: number;
}

/**
 * The cluster named by `--cluster`; it may be left out only when the configuration has exactly one.
 * Throws a usage error (exit 2) naming the choices otherwise.
 */
export function selectCluster(
  config: BackupConfig,
  name: string | undefined,
  configPath: string,
): SelectedCluster {
  const names = config.clusters.map((cluster) => cluster.name);
  if (name === undefined) {
    const only = config.clusters[0];
    if (config.clusters.length === 1 && only) return { cluster: only, index: 0 };
    throw usageError(`--cluster is required: ${configPath} has ${names.length} clusters (${list(names)})`, {
      hint: `pass one of them, e.g. --cluster ${names[0]}`,
    });
  }
  const index = config.clusters.findIndex((cluster) => cluster.name === name);
  const found = config.clusters[index];
  if (!found) {
    throw usageError(`unknown cluster "${name}": ${configPath} has ${list(names)}`, {
      hint: `pass one of them, e.g. --cluster ${names[0]}`,
    });
  }
  return { cluster: found, index };
}

/** Every cluster when `--cluster` is left out, else the one named (exit 2 when unknown). */
export function selectClusters(
  config: BackupConfig,
  name: string | undefined,
  configPath: string,
): SelectedCluster[] {
  if (name === undefined) return config.clusters.map((cluster, index) => ({ cluster, index }));
  return [selectCluster(config, name, configPath)];
}

/**
 * The schedule named by `--schedule`; it may be left out only when the cluster has exactly one.
 * Throws a usage error (exit 2) naming the choices otherwise.
 */
export function selectSchedule(selected: SelectedCluster, name: string | undefined): ScheduleConfig {
  const { cluster, index } = selected;
  const names = cluster.schedules.map((schedule) => schedule.name);
  if (names.length === 0) {
    throw usageError(`cluster "${cluster.name}" has no schedules`, {
      hint: `add one under clusters[${index}].schedules, e.g. {name: nightly, cron: "0 2 * * ? *", timezone: UTC}`,
    });
  }
  if (name === undefined) {
    const only = cluster.schedules[0];
    if (cluster.schedules.length === 1 && only) return only;
    throw usageError(
      `--schedule is required: cluster "${cluster.name}" has ${names.length} schedules (${list(names)})`,
      { hint: `pass one of them, e.g. --schedule ${names[0]}` },
    );
  }
  const found = cluster.schedules.find((schedule) => schedule.name === name);
  if (!found) {
    throw usageError(`unknown schedule "${name}" for cluster "${cluster.name}": it has ${list(names)}`, {
      hint: `pass one of them, e.g. --schedule ${names[0]}`,
    });
  }
  return found;
}

/**
 * The clusters with their schedules, keeping only the schedule named `--schedule` when one is given (clusters
 * without it are left out). A name no selected cluster has is a usage error (exit 2) naming the choices.
 */
export function schedulesNamed(
  clusters: readonly SelectedCluster[],
  name: string | undefined,
): { readonly selected: SelectedCluster; readonly schedules: ScheduleConfig[] }[] {
  if (name === undefined)
    return clusters.map((selected) => ({ selected, schedules: [...selected.cluster.schedules] }));
  const matching = clusters.flatMap((selected) => {
    const schedule = selected.cluster.schedules.find((candidate) => candidate.name === name);
    return schedule ? [{ selected, schedules: [schedule] }] : [];
  });
  if (matching.length > 0) return matching;
  const names = [
    ...new Set(clusters.flatMap((selected) => selected.cluster.schedules.map((schedule) => schedule.name))),
  ];
  throw usageError(
    `unknown schedule "${name}": the selected clusters have ${names.length > 0 ? list(names) : 'no schedules'}`,
    {
      hint:
        names.length > 0
          ? `pass one of them, e.g. --schedule ${names[0]}`
          : 'add a schedule to the configuration',
    },
  );
}
