/**
 * `sr-backup plan`: the next slots of every schedule with their labels; with --resolve, what they would back up;
 * and what a deploy would create, change and delete in EventBridge Scheduler (compared with the deployed groups
 * when --stack names them).
 */

import {
  type ClusterConfig,
  clusterConnectionWarnings,
  formatConnectionWarning,
  nextSlots,
  type ScheduleConfig,
} from '#domain/config/index.ts';
import { assessCoverage } from '#domain/freshness/coverage.ts';
import { buildSnapshotLabel, formatSlotTimeUtc, sanitiseNamePart } from '#domain/starrocks/index.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { Colors } from '../format/color.ts';
import { formatTable } from '../format/table.ts';
import { formatInZone, formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { reportError } from '../support/report.ts';
import { schedulesNamed, selectClusters } from '../support/selection.ts';
import { withLocalStarRocks } from '../support/starrocks.ts';
import {
  type DeployPlan,
  defaultSchedulerFactory,
  formatDeployPlan,
  planDeploy,
  type SchedulerFactory,
} from './plan-schedules.ts';
import {
  type DatabaseResolution,
  describeReason,
  readFe,
  resolveScheduleDatabases,
} from './resolve-databases.ts';

/** Options of `sr-backup plan`. */
export interface PlanCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly schedule?: string;
  readonly resolve?: boolean;
  readonly database?: string[];
  readonly count: number;
  readonly from?: Date;
  readonly json?: boolean;
  readonly verbose?: boolean;
  /** The deployed stack to compare the schedules with (its schedule groups are named after it). */
  readonly stack?: string;
  /** The construct's `scheduleGroupPrefix`, when the deployment set one. */
  readonly scheduleGroupPrefix?: string;
  /** The deployment's region (else the AWS SDK's usual lookup). */
  readonly region?: string;
}

/** One upcoming slot. */
export interface PlannedSlot {
  readonly utc: string;
  /** Wall-clock time in the schedule's zone, with its offset. */
  readonly local: string;
  /** The label with `{database}` and `{hash}` placeholders. */
  readonly labelPattern: string;
  /** With --resolve: the label of every database that would be backed up. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One schedule's plan. */
export interface SchedulePlan {
  readonly schedule: string;
  readonly cron: string;
  readonly timezone: string;
  readonly enabled: boolean;
  readonly slots: readonly PlannedSlot[];
  readonly databases?: DatabaseResolution;
}

/** One cluster's plan. */
export interface ClusterPlan {
  readonly cluster: string;
  readonly host: string;
  readonly port: number;
  readonly repository: string;
  readonly maxConcurrentBackups: number;
  readonly schedules: readonly SchedulePlan[];
  /**
   * With --resolve: databases of the FE that no schedule covers and no exclude pattern names (coverage drift,
   * lambdas/domain/freshness/coverage.ts), judged against all of the cluster's schedules.
   */
  readonly uncovered?: readonly string[];
  /** How the cluster connects, when that deserves a warning (plaintext, an unverified certificate). */
  readonly warnings: readonly string[];
}

/** The label a slot gives `{database}`, with the per-database hash left as `{hash}`. */
export function labelPattern(schedule: string, slot: Date): string {
  const schedulePart = sanitiseNamePart(schedule) || 'schedule';
  return `${/^[A-Za-z]/.test(schedulePart) ? schedulePart : `s${schedulePart}`}_{database}_${formatSlotTimeUtc(slot)}_{hash}`;
}

/**
 * Plans one schedule (no I/O). Labels are listed for the databases the FE resolution includes, or else for the
 * databases named explicitly (`--database`).
 */
export function planSchedule(
  cluster: ClusterConfig,
  schedule: ScheduleConfig,
  options: {
    readonly from: Date;
    readonly count: number;
    readonly resolution?: DatabaseResolution;
    readonly databases?: readonly string[];
  },
): SchedulePlan {
  const slots = schedule.enabled ? nextSlots(schedule, options.from, options.count) : [];
  const resolution = options.resolution;
  const labelled = resolution
    ? resolution.included.map((entry) => entry.database)
    : (options.databases ?? []);
  return {
    schedule: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    enabled: schedule.enabled,
    slots: slots.map((slot) => ({
      utc: slot.toISOString(),
      local: formatInZone(slot, schedule.timezone),
      labelPattern: labelPattern(schedule.name, slot),
      ...(resolution || labelled.length > 0
        ? {
            labels: Object.fromEntries(
              labelled.map((database) => [
                database,
                buildSnapshotLabel({
                  cluster: cluster.name,
                  schedule: schedule.name,
                  database,
                  scheduledTime: slot,
                }),
              ]),
            ),
          }
        : {}),
    })),
    ...(resolution ? { databases: resolution } : {}),
  };
}

function formatSchedulePlan(plan: SchedulePlan, colors: Colors): string[] {
  const lines = [
    `  ${colors.bold(`schedule ${plan.schedule}`)}: cron ${plan.cron} in ${plan.timezone}${plan.enabled ? '' : colors.yellow(' (disabled: it never fires)')}`,
  ];
  if (plan.slots.length > 0) {
    lines.push(
      formatTable(
        [
          { header: '#', align: 'right' },
          { header: `LOCAL (${plan.timezone})` },
          { header: 'UTC' },
          { header: 'LABEL' },
        ],
        // Without the FE, named databases (--database) get their exact labels; otherwise the pattern is shown.
        plan.slots.flatMap((slot, index) => {
          const labels = plan.databases === undefined ? Object.values(slot.labels ?? {}) : [];
          return (labels.length > 0 ? labels : [slot.labelPattern]).map((label) => [
            String(index + 1),
            slot.local,
            formatUtc(slot.utc),
            label,
          ]);
        }),
        { indent: '    ', styleHeader: colors.bold },
      ),
    );
  } else if (plan.enabled) {
    lines.push('    no future slot (the cron year field has run out)');
  }
  const resolution = plan.databases;
  if (resolution) {
    const next = plan.slots[0];
    lines.push(`    StarRocks ${resolution.version}: ${resolution.included.length} to back up`);
    if (resolution.included.length > 0) {
      lines.push(
        formatTable(
          [
            { header: 'DATABASE' },
            { header: 'TABLES', align: 'right' },
            { header: 'LABEL AT THE NEXT SLOT' },
            { header: 'NOTE' },
          ],
          resolution.included.map((entry) => [
            entry.database,
            String(entry.tables),
            next?.labels?.[entry.database] ?? '-',
            entry.leftOutObjects.length > 0 ? `left out: ${entry.leftOutObjects.join(', ')}` : '',
          ]),
          { indent: '      ', styleHeader: colors.bold },
        ),
      );
    }
    lines.push(`    left out: ${resolution.excluded.length}`);
    if (resolution.excluded.length > 0) {
      lines.push(
        formatTable(
          [{ header: 'DATABASE' }, { header: 'WHY' }],
          resolution.excluded.map((entry) => [entry.database, describeReason(entry)]),
          { indent: '      ', styleHeader: colors.bold },
        ),
      );
    }
  }
  return lines;
}

async function planCluster(
  cluster: ClusterConfig,
  index: number,
  schedules: readonly ScheduleConfig[],
  options: PlanCommandOptions,
  io: CommandIo,
): Promise<ClusterPlan> {
  const from = options.from ?? new Date(io.clock.now());
  const base = {
    cluster: cluster.name,
    host: cluster.host,
    port: cluster.port,
    repository: cluster.repository,
    maxConcurrentBackups: cluster.maxConcurrentBackups,
    warnings: clusterConnectionWarnings(cluster, index).map(formatConnectionWarning),
  };
  if (!options.resolve) {
    return {
      ...base,
      schedules: schedules.map((schedule) =>
        planSchedule(cluster, schedule, {
          from,
          count: options.count,
          ...(options.database ? { databases: options.database } : {}),
        }),
      ),
    };
  }
  return withLocalStarRocks(cluster, io.env, async (client) => {
    const fe = await readFe(client);
    const plans: SchedulePlan[] = [];
    for (const schedule of schedules) {
      const resolution = await resolveScheduleDatabases(fe, cluster, schedule);
      plans.push(planSchedule(cluster, schedule, { from, count: options.count, resolution }));
    }
    return { ...base, schedules: plans, uncovered: [...assessCoverage(cluster, fe.databases).uncovered] };
  });
}

/** Runs the command; resolves with the exit status. */
export async function runPlanCommand(
  options: PlanCommandOptions,
  io: CommandIo,
  makeScheduler: SchedulerFactory = defaultSchedulerFactory,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = { configPath: options.config };
  try {
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    const plans: ClusterPlan[] = [];
    for (const { selected, schedules } of schedulesNamed(clusters, options.schedule)) {
      context.cluster = clusterContext(selected);
      plans.push(await planCluster(selected.cluster, selected.index, schedules, options, io));
    }
    delete context.cluster;
    const deploy: DeployPlan = await planDeploy(
      config,
      {
        ...(options.stack === undefined ? {} : { stack: options.stack }),
        ...(options.scheduleGroupPrefix === undefined
          ? {}
          : { scheduleGroupPrefix: options.scheduleGroupPrefix }),
        ...(options.region === undefined ? {} : { region: options.region }),
      },
      { makeScheduler, clock: io.clock },
    );
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ clusters: plans, deploy }, null, 2)}\n`);
      return EXIT.ok;
    }
    const { out } = colors;
    const lines: string[] = [];
    for (const plan of plans) {
      lines.push(
        `${out.bold(`cluster ${plan.cluster}`)}: FE ${plan.host}:${plan.port}, repository ${plan.repository}, at most ${plan.maxConcurrentBackups} backup${plan.maxConcurrentBackups === 1 ? '' : 's'} at once`,
      );
      for (const warning of plan.warnings) lines.push(out.yellow(`  warning: ${warning}`));
      if (plan.schedules.length === 0) lines.push('  no schedules');
      for (const schedule of plan.schedules) lines.push(...formatSchedulePlan(schedule, out));
      if (plan.uncovered !== undefined && plan.uncovered.length > 0) {
        lines.push(
          out.yellow(
            `  not covered by any schedule (drift): ${plan.uncovered.join(', ')}; add them to a schedule's include, or to exclude if they need no backup`,
          ),
        );
      }
    }
    if (!options.resolve)
      lines.push(out.dim('(add --resolve to see which databases each schedule would back up)'));
    lines.push(...formatDeployPlan(deploy, out));
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    const explained = explainError(error, context);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  }
}
