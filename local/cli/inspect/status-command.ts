/** `sr-backup status`: per database, the latest good snapshot and its age against the schedules. */

import {
  type BackupAttempt,
  type CatalogStore,
  type ClusterSnapshotRecords,
  createCatalogStore,
  createClusterSnapshotRecords,
  isGoodSnapshot,
} from '#domain/catalog/index.ts';
import type { ClusterConfig } from '#domain/config/index.ts';
import { effectiveDatabaseFilters, selectDatabases } from '#domain/config/index.ts';
import { DEFAULT_CLUSTER_SNAPSHOT_MAX_AGE_MINUTES } from '#domain/freshness/cluster-snapshots.ts';
import {
  assessFreshness,
  type DatabaseFreshness,
  DEFAULT_GRACE_SECONDS,
  type FreshnessReport,
  readExpectedDurations,
} from '#domain/freshness/index.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import {
  type LifecycleStoreOptions,
  type LifecycleTables,
  openLifecycleTables,
  reportLifecycleError,
  targetsDeployed,
} from '../commands/lifecycle-tables.ts';
import type { Colors } from '../format/color.ts';
import { formatTable } from '../format/table.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { type SelectedCluster, schedulesNamed, selectClusters } from '../support/selection.ts';
import { withLocalStarRocks } from '../support/starrocks.ts';

/** Options of `sr-backup status`. */
export interface StatusCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly schedule?: string;
  readonly resolve?: boolean;
  readonly grace?: number;
  readonly at?: Date;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** One database in `--json`. */
export type StatusJsonEntry = {
  readonly cluster: string;
  readonly reason: string | null;
} & DatabaseFreshness;

/** A database's verdict with why it is not fresh (its latest attempt), null when fresh. */
export type JudgedDatabase = DatabaseFreshness & { readonly reason: string | null };

/** A cluster's report with a reason per late or never database. */
export type StatusReport = Omit<FreshnessReport, 'databases'> & {
  readonly databases: readonly JudgedDatabase[];
  /** Why the FE's databases are missing from the list (it could not be read), or null. */
  readonly inventoryWarning: string | null;
};

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

/**
 * The latest good snapshot of each database as it stood at `at` (`--at`): a pointer to a later snapshot is replaced by
 * the newest good one of a slot at or before `at`, read from the database's history (none: the database is left out).
 */
async function asOf(
  catalog: Pick<CatalogStore, 'listSnapshots'>,
  cluster: string,
  latest: readonly BackupAttempt[],
  at: Date | undefined,
): Promise<BackupAttempt[]> {
  if (at === undefined) return [...latest];
  const cutoff = at.toISOString();
  const result: BackupAttempt[] = [];
  for (const pointer of latest) {
    if (pointer.scheduledTime <= cutoff) {
      result.push(pointer);
      continue;
    }
    let cursor: string | null = null;
    let found: BackupAttempt | undefined;
    do {
      const page = await catalog.listSnapshots({ cluster, database: pointer.database, cursor, limit: 100 });
      found = page.items.find((item) => item.scheduledTime <= cutoff && isGoodSnapshot(item));
      cursor = found === undefined ? page.nextCursor : null;
    } while (cursor !== null);
    if (found !== undefined) result.push(found);
  }
  return result;
}

/** Why a database is late or never: what its latest attempt did, or that none was made. */
async function reasonOf(
  entry: DatabaseFreshness,
  cluster: string,
  catalog: Pick<CatalogStore, 'listSnapshots'> | undefined,
): Promise<string | null> {
  if (entry.state === 'fresh') return null;
  const [latest] = catalog
    ? (await catalog.listSnapshots({ cluster, database: entry.database, limit: 1 })).items
    : [];
  if (latest === undefined) return 'no backup attempted yet';
  const slot = `the ${formatUtc(latest.scheduledTime)} slot`;
  if (latest.state === 'FINISHED') {
    return latest.verified
      ? `last good snapshot is of ${slot}; none since`
      : `${slot} FINISHED but was not verified`;
  }
  return `${latest.state} for ${slot}${latest.reason ? `: ${latest.reason}` : ''}`;
}

/** The report as a table. */
export function formatStatusTable(report: StatusReport, colors: Colors): string {
  const rows = report.databases.map((entry) => [
    entry.database,
    colorFreshness(entry.state, colors),
    entry.snapshot ?? '-',
    entry.takenAt === null ? '-' : formatUtc(entry.takenAt),
    entry.ageSeconds === null ? '-' : formatDuration(entry.ageSeconds),
    entry.expectedSlot === null ? '-' : `${formatUtc(entry.expectedSlot)} (${entry.expectedSchedule})`,
    entry.reason ?? '',
  ]);
  return formatTable(
    [
      { header: 'DATABASE' },
      { header: 'STATUS' },
      { header: 'LATEST GOOD SNAPSHOT' },
      { header: 'TAKEN (UTC)' },
      { header: 'AGE', align: 'right' },
      { header: 'EXPECTED SLOT (UTC)' },
      { header: 'WHY' },
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
  let store: LifecycleTables | undefined;
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
    const absent = !targetsDeployed(options, io.env) && storeIsAbsent(location);
    if (!absent) store = await openLifecycleTables(options, io, { locks: false, readOnly: true });
    const catalog = store
      ? createCatalogStore({
          client: store.client,
          tableName: store.catalogTableName,
          clock: io.clock,
        })
      : undefined;

    const records = store
      ? createClusterSnapshotRecords({
          client: store.client,
          tableName: store.catalogTableName,
          clock: io.clock,
        })
      : undefined;
    const clusterSnapshots: ClusterSnapshotStatus[] = [];
    for (const { cluster } of clusters) {
      const status = await clusterSnapshotStatus(cluster, records, now);
      if (status !== undefined) clusterSnapshots.push(status);
    }

    const reports: StatusReport[] = [];
    for (const selected of judged) {
      if (selected.cluster.mode === 'cluster-snapshot') continue;
      const { cluster } = selected;
      context.cluster = clusterContext(selected);
      const latestGood = catalog
        ? await asOf(catalog, cluster.name, await catalog.latestGoodSnapshots(cluster.name), options.at)
        : [];
      let knownDatabases: string[] = [];
      let inventoryWarning: string | null = null;
      if (options.resolve !== false) {
        try {
          knownDatabases = await databasesOnFe(selected, options.schedule, io.env);
        } catch (error) {
          // As the deployed check does: an unreachable FE narrows the list to the catalog's databases, and says so.
          inventoryWarning = `the FE could not be read (${error instanceof Error ? error.message : String(error)}); only databases with a snapshot in the catalog are listed`;
        }
      }
      const graceSeconds =
        options.grace ??
        (cluster.freshness.graceMinutes === undefined
          ? DEFAULT_GRACE_SECONDS
          : Math.round(cluster.freshness.graceMinutes * 60));
      const request = { cluster, latestGood, knownDatabases, now, graceSeconds, schedule: options.schedule };
      // Every database's history, not only those behind (as the deployed check reads): the table shows each
      // database's expected slot, and a local catalog is small.
      const listed = [...new Set([...latestGood.map((attempt) => attempt.database), ...knownDatabases])];
      const expectedDurations = catalog
        ? await readExpectedDurations(cluster, listed, (query) => catalog.recentDurations(query))
        : undefined;
      const report = assessFreshness({ ...request, expectedDurations });
      const databases: JudgedDatabase[] = [];
      for (const entry of report.databases) {
        databases.push({ ...entry, reason: await reasonOf(entry, cluster.name, catalog) });
      }
      reports.push({ ...report, databases, inventoryWarning });
    }
    const allFresh =
      reports.every((report) => report.databases.every((entry) => entry.state === 'fresh')) &&
      clusterSnapshots.every((status) => status.state === 'fresh');
    const verdict = allFresh ? EXIT.ok : EXIT.failed;

    if (options.json) {
      const databases: StatusJsonEntry[] = reports.flatMap((report) =>
        report.databases.map((entry) => ({ cluster: report.cluster, ...entry })),
      );
      const document = {
        evaluatedAt: new Date(now).toISOString(),
        allFresh,
        clusters: reports.map((report) => ({
          cluster: report.cluster,
          graceSeconds: report.graceSeconds,
          inventoryWarning: report.inventoryWarning,
        })),
        databases,
        clusterSnapshots,
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return verdict;
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
        `${out.bold(report.cluster)} at ${formatUtc(report.evaluatedAt)} (a slot is late once its expected duration, the p95 of recent backups or else timeoutSeconds, plus ${formatDuration(report.graceSeconds)} have passed without a good snapshot)`,
      );
      if (report.inventoryWarning !== null) lines.push(`  ${out.yellow(report.inventoryWarning)}`);
      if (report.databases.length === 0) {
        lines.push(
          `  no good snapshot recorded yet${options.resolve === false ? ' (without --no-resolve the FE’s databases are listed too)' : ' and no database selected on the FE'}`,
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
    return verdict;
  } catch (error) {
    return reportLifecycleError(error, {
      io,
      colors: colors.err,
      options,
      catalogTable: store?.catalogTableName,
      cluster: context.cluster,
    });
  } finally {
    await store?.close();
  }
}
