/** `sr-backup status`: per database, the latest good snapshot and its age against the schedules. */

import {
  type ClusterSnapshotRecords,
  createCatalogStore,
  createClusterSnapshotRecords,
} from '#domain/catalog/index.ts';
import type { ClusterConfig } from '#domain/config/index.ts';
import { effectiveDatabaseFilters, selectDatabases } from '#domain/config/index.ts';
import { DEFAULT_CLUSTER_SNAPSHOT_MAX_AGE_MINUTES } from '#domain/freshness/cluster-snapshots.ts';
import {
  assessFreshness,
  type DatabaseFreshness,
  defaultGraceSeconds,
  type FreshnessReport,
} from '#domain/freshness/index.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { Colors } from '../format/color.ts';
import { formatTable } from '../format/table.ts';
import { formatUtc } from '../format/time.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { type SelectedCluster, schedulesNamed, selectClusters } from '../support/selection.ts';
import { withLocalStarRocks } from '../support/starrocks.ts';

/** Options of `sr-backup status`. */
export interface StatusCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly schedule?: string;
  readonly resolve?: boolean;
  readonly grace?: number;
  readonly at?: Date;
  readonly stateDir?: string;
  readonly dynamodbEndpoint?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** One database in `--json`. */
export type StatusJsonEntry = { readonly cluster: string } & DatabaseFreshness;

/** A shared-data cluster's newest recorded automated Cluster Snapshot, against its objective. */
export interface ClusterSnapshotStatus {
  readonly cluster: string;
  /** `fresh` within the objective, `late` past it, `never` when none was recorded. */
  readonly state: 'fresh' | 'late' | 'never';
  readonly snapshot: string | null;
  readonly takenAt: string | null;
  readonly ageSeconds: number | null;
  readonly objectiveSeconds: number;
}

/**
 * The newest cluster snapshot the freshness check recorded for a cluster, when it has any or is configured
 * `mode: cluster-snapshot` (undefined for other clusters).
 */
async function clusterSnapshotStatus(
  cluster: ClusterConfig,
  records: Pick<ClusterSnapshotRecords, 'list'> | undefined,
  now: number,
): Promise<ClusterSnapshotStatus | undefined> {
  const [latest] = records ? await records.list({ cluster: cluster.name, limit: 1 }) : [];
  if (latest === undefined && cluster.mode !== 'cluster-snapshot') return undefined;
  const objectiveSeconds = Math.round(
    (cluster.clusterSnapshot?.maxAgeMinutes ?? DEFAULT_CLUSTER_SNAPSHOT_MAX_AGE_MINUTES) * 60,
  );
  if (latest === undefined) {
    return {
      cluster: cluster.name,
      state: 'never',
      snapshot: null,
      takenAt: null,
      ageSeconds: null,
      objectiveSeconds,
    };
  }
  const ageSeconds = Math.max(0, Math.round((now - Date.parse(latest.createdAt)) / 1000));
  return {
    cluster: cluster.name,
    state: ageSeconds > objectiveSeconds ? 'late' : 'fresh',
    snapshot: latest.name,
    takenAt: latest.createdAt,
    ageSeconds,
    objectiveSeconds,
  };
}

function colorFreshness(state: DatabaseFreshness['state'], colors: Colors): string {
  if (state === 'fresh') return colors.green(state);
  if (state === 'late') return colors.red(state);
  return colors.yellow(state);
}

/** The report as a table. */
export function formatStatusTable(report: FreshnessReport, colors: Colors): string {
  const rows = report.databases.map((entry) => [
    entry.database,
    colorFreshness(entry.state, colors),
    entry.snapshot ?? '-',
    entry.takenAt === null ? '-' : formatUtc(entry.takenAt),
    entry.ageSeconds === null ? '-' : formatDuration(entry.ageSeconds),
    entry.expectedSlot === null ? '-' : `${formatUtc(entry.expectedSlot)} (${entry.expectedSchedule})`,
  ]);
  return formatTable(
    [
      { header: 'DATABASE' },
      { header: 'STATUS' },
      { header: 'LATEST GOOD SNAPSHOT' },
      { header: 'TAKEN (UTC)' },
      { header: 'AGE', align: 'right' },
      { header: 'EXPECTED SLOT (UTC)' },
    ],
    rows,
    { styleHeader: colors.bold, indent: '  ' },
  );
}

/** The databases of the FE that a schedule of the cluster selects and that have tables. */
async function databasesOnFe(
  selected: SelectedCluster,
  scheduleName: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const { cluster } = selected;
  const schedules = cluster.schedules.filter(
    (schedule) => schedule.enabled && (scheduleName === undefined || schedule.name === scheduleName),
  );
  return withLocalStarRocks(cluster, env, async (client) => {
    const names = await client.showDatabases();
    const wanted = new Set<string>();
    for (const schedule of schedules) {
      for (const name of selectDatabases(names, effectiveDatabaseFilters(cluster, schedule)).selected)
        wanted.add(name);
    }
    const withTables: string[] = [];
    // An empty database is never backed up (its runs record SKIPPED), so it cannot be late.
    for (const name of wanted) if ((await client.listTables(name)).length > 0) withTables.push(name);
    return withTables;
  });
}

/** Runs the command; resolves with the exit status. */
export async function runStatusCommand(options: StatusCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  let store: LocalStore | undefined;
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = {
    configPath: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint,
  };
  try {
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    // Only the clusters that have the schedule are judged against it.
    const judged = schedulesNamed(clusters, options.schedule).map((entry) => entry.selected);
    const now = options.at?.getTime() ?? io.clock.now();
    const location = storeLocation(options);
    const absent = storeIsAbsent(location);
    isolateFromAwsSettings(io.env);
    if (!absent) store = await openLocalStore(location);
    const catalog = store
      ? createCatalogStore({
          client: store.client,
          tableName: store.tables.catalogTableName,
          clock: io.clock,
        })
      : undefined;

    const records = store
      ? createClusterSnapshotRecords({
          client: store.client,
          tableName: store.tables.catalogTableName,
          clock: io.clock,
        })
      : undefined;
    const clusterSnapshots: ClusterSnapshotStatus[] = [];
    for (const { cluster } of clusters) {
      const status = await clusterSnapshotStatus(cluster, records, now);
      if (status !== undefined) clusterSnapshots.push(status);
    }

    const reports: FreshnessReport[] = [];
    for (const selected of judged) {
      if (selected.cluster.mode === 'cluster-snapshot') continue;
      const { cluster } = selected;
      context.cluster = clusterContext(selected);
      const latestGood = catalog ? await catalog.latestGoodSnapshots(cluster.name) : [];
      const knownDatabases = options.resolve ? await databasesOnFe(selected, options.schedule, io.env) : [];
      reports.push(
        assessFreshness({
          cluster,
          latestGood,
          knownDatabases,
          now,
          graceSeconds: options.grace ?? defaultGraceSeconds(cluster),
          schedule: options.schedule,
        }),
      );
    }

    if (options.json) {
      const databases: StatusJsonEntry[] = reports.flatMap((report) =>
        report.databases.map((entry) => ({ cluster: report.cluster, ...entry })),
      );
      const document = {
        evaluatedAt: new Date(now).toISOString(),
        clusters: reports.map((report) => ({ cluster: report.cluster, graceSeconds: report.graceSeconds })),
        databases,
        clusterSnapshots,
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return EXIT.ok;
    }
    const { out } = colors;
    const lines: string[] = [];
    if (absent) {
      lines.push(
        out.yellow(
          `No local catalog in ${location.kind === 'state-dir' ? location.stateDir : ''} yet: \`sr-backup run --config ${options.config}\` creates it.`,
        ),
      );
    }
    for (const report of reports) {
      lines.push(
        `${out.bold(report.cluster)} at ${formatUtc(report.evaluatedAt)} (a slot is late once ${formatDuration(report.graceSeconds)} have passed without a good snapshot)`,
      );
      if (report.databases.length === 0) {
        lines.push(
          `  no good snapshot recorded yet${options.resolve ? ' and no database selected on the FE' : ' (add --resolve to list the FE’s databases too)'}`,
        );
      } else {
        lines.push(formatStatusTable(report, out));
      }
      const counts = (['fresh', 'late', 'never'] as const)
        .map((state) => `${report.databases.filter((entry) => entry.state === state).length} ${state}`)
        .join(', ');
      if (report.databases.length > 0) lines.push(`  ${counts}`);
    }
    for (const status of clusterSnapshots) {
      lines.push(
        `${out.bold(status.cluster)} (shared-data: automated Cluster Snapshots, objective ${formatDuration(status.objectiveSeconds)})`,
      );
      lines.push(
        status.snapshot === null
          ? `  ${out.yellow('never')}: no cluster snapshot recorded yet (the freshness check records them: sr-backup status --notify)`
          : `  ${colorFreshness(status.state, out)}: ${status.snapshot}, taken ${formatUtc(status.takenAt ?? '')}, ${formatDuration(status.ageSeconds ?? 0)} ago`,
      );
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    const explained = explainError(error, context);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    await store?.close();
  }
}
