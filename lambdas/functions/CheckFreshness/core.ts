import type { BackupAttempt, CatalogStore, ClusterSnapshotRecords } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { effectiveDatabaseFilters, selectDatabases } from '#domain/config/index.ts';
import type { InventorySource } from '#domain/freshness/check-summary.ts';
import { type ClusterSnapshotCheck, checkClusterSnapshots } from '#domain/freshness/cluster-snapshots.ts';
import { assessCoverage, type Coverage } from '#domain/freshness/coverage.ts';
import {
  assessFreshness,
  type DatabaseFreshness,
  DEFAULT_GRACE_SECONDS,
  databasesBehindLatestSlot,
  type FreshnessCluster,
  readExpectedDurations,
} from '#domain/freshness/index.ts';
import type { CheckFreshnessInput } from '#domain/freshness/input.ts';
import {
  type DatabaseCheck,
  type LateCause,
  lateFields,
  lateSummary,
} from '#domain/freshness/late-report.ts';
import { describePause, type PauseLookup } from '#domain/freshness/pauses.ts';
import type { IncidentReport, IncidentStore } from '#domain/incidents/incident-store.ts';
import type { Incident } from '#domain/incidents/schema.ts';
import type { LockRecord, LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { FreshnessMetrics } from '#domain/metrics.ts';
import type { StarRocksClient, StarRocksMaintenanceClient } from '#domain/starrocks/index.ts';
import { formatDuration, formatUtc } from '#domain/time-format.ts';

/** The FE calls the freshness checker makes (read-only). */
export type FreshnessClient = StarRocksClient &
  Pick<StarRocksMaintenanceClient, 'runMode' | 'clusterSnapshots' | 'clusterSnapshotJobs'>;

/** What the freshness checker needs. */
export interface CheckFreshnessDeps {
  /** One session with the cluster's FE (read-only: SHOW DATABASES, table listings, cluster snapshots). */
  readonly starRocks: <T>(work: (client: FreshnessClient) => Promise<T>) => Promise<T>;
  /** Where the cluster snapshots of shared-data clusters are recorded. */
  readonly clusterSnapshots: Pick<ClusterSnapshotRecords, 'record'>;
  readonly catalog: Pick<CatalogStore, 'latestGoodSnapshots' | 'listAttemptsAt' | 'recentDurations'>;
  readonly locks: Pick<LockStore, 'inspectLocks'>;
  /** The pause store; without it no schedule counts as paused. */
  readonly pauses?: PauseLookup | undefined;
  readonly incidents: Pick<
    IncidentStore,
    'listIncidents' | 'openIncident' | 'refreshIncident' | 'resolveIncident' | 'firstSeen' | 'recordSeen'
  >;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** Publishes the cluster's figures (CloudWatch EMF when deployed; nothing locally). */
  readonly emitMetrics?: ((figures: FreshnessMetrics) => void) | undefined;
}

/** The incidents one check opened and closed. */
export interface IncidentChanges {
  readonly opened: readonly { readonly type: Incident['type']; readonly database: string }[];
  readonly resolved: readonly { readonly type: Incident['type']; readonly database: string }[];
  /** Open after this check. */
  readonly open: number;
}

/** One check of one cluster. */
export interface FreshnessCheck {
  readonly cluster: string;
  readonly evaluatedAt: string;
  readonly graceSeconds: number;
  readonly inventory: InventorySource;
  /** Every database the schedules select (FE databases with tables, or with a good snapshot), by name. */
  readonly databases: readonly DatabaseCheck[];
  /** Coverage of the FE's databases (empty lists when the FE could not be read). */
  readonly coverage: Coverage;
  readonly incidents: IncidentChanges;
  readonly metrics: FreshnessMetrics;
  /**
   * A shared-data cluster (mode cluster-snapshot, or run_mode read as shared_data): its automated Cluster
   * Snapshots, judged instead of its databases (StarRocks cannot BACKUP them). `unreadable` when the FE could not be
   * asked. Null for a shared-nothing cluster.
   */
  readonly clusterSnapshot:
    | ClusterSnapshotCheck
    | { readonly state: 'unreadable'; readonly summary: string }
    | null;
}

/** The incident "database" of a cluster-wide incident (cluster snapshots). */
export const CLUSTER_INCIDENT_SUBJECT = '(cluster)';

/** A lock held this long past our own deadline for one backup belongs to a stuck run. */
export const STUCK_MARGIN_SECONDS = 3600;

interface Inventory {
  readonly names: readonly string[];
  readonly coverage: Coverage;
  /** Selected by an enabled schedule, and either has tables or has a good snapshot already. */
  readonly candidates: readonly string[];
}

/**
 * Checks one cluster: for every database an enabled schedule selects (read from the FE, like ResolveDatabases),
 * the age of its latest good snapshot against its schedules (lambdas/domain/freshness), plus what makes a database late
 * besides a missed slot: a stuck run (a lock held far past our deadline), a skipped or failed backup of the
 * expected slot, a paused schedule. It opens one incident per late or uncovered database, keeps it while the
 * problem lasts, resolves it once the database has a good snapshot again (or left the checker's sight), and emits
 * the cluster's figures. Posting to Slack is the incident notifier's job (lambdas/domain/incidents), outside the VPC.
 *
 * The FE being unreachable does not fail the check: it falls back to the catalog's databases and says so.
 */
export async function checkFreshness(
  input: CheckFreshnessInput,
  deps: CheckFreshnessDeps,
): Promise<FreshnessCheck> {
  const { cluster, schedules } = input;
  const now = deps.clock.now();
  const graceSeconds =
    cluster.freshness.graceMinutes === undefined
      ? DEFAULT_GRACE_SECONDS
      : Math.round(cluster.freshness.graceMinutes * 60);
  const sharedData = await isSharedData(input, deps);
  if (sharedData) return checkSharedData(input, deps, now, graceSeconds);
  const freshnessCluster: FreshnessCluster = { ...cluster, schedules };
  const latestGood = await deps.catalog.latestGoodSnapshots(cluster.name);
  const withSnapshot = new Set(latestGood.map((attempt) => attempt.database));

  let inventory: InventorySource;
  let fe: Inventory | undefined;
  try {
    fe = await readInventory(input, withSnapshot, deps);
    inventory = { source: 'fe' };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    deps.logger.warn('could not read the FE; judging the databases of the catalog only', { error: reason });
    inventory = { source: 'catalog', error: reason };
  }
  const candidates = fe?.candidates ?? selectedByEnabledSchedules(input, [...withSnapshot]);
  const candidateSet = new Set(candidates);

  const seen = await deps.incidents.firstSeen(cluster.name);
  if (fe !== undefined) {
    const unseen = fe.coverage.covered
      .concat(
        fe.coverage.uncovered,
        fe.coverage.excluded.map((entry) => entry.database),
      )
      .filter((name) => !seen.has(name));
    await deps.incidents.recordSeen(cluster.name, unseen);
    for (const name of unseen) seen.set(name, new Date(now).toISOString());
  }

  const request = {
    cluster: freshnessCluster,
    latestGood: latestGood.filter((attempt) => candidateSet.has(attempt.database)),
    knownDatabases: candidates,
    now,
    graceSeconds,
  };
  // Only a database without a snapshot of its latest slot can be late, so only those histories are read.
  const behind = databasesBehindLatestSlot(request);
  const expectedDurations = await readExpectedDurations(cluster, behind, (query) =>
    deps.catalog.recentDurations(query),
  );
  const report = assessFreshness({ ...request, expectedDurations });
  const stuckLocks = await findStuckLocks(input, now, deps);
  const checks: DatabaseCheck[] = [];
  for (const entry of report.databases) {
    checks.push(await judge(entry, { input, now, firstSeenAt: seen.get(entry.database), stuckLocks, deps }));
  }

  const coverage = fe?.coverage ?? { covered: [], excluded: [], uncovered: [] };
  const incidents = await reconcileIncidents({ input, checks, fe, deps });
  const ages = checks.flatMap((check) => (check.ageSeconds === null ? [] : [check.ageSeconds]));
  const metrics: FreshnessMetrics = {
    cluster: cluster.name,
    oldestAgeSeconds: ages.length === 0 ? null : Math.max(...ages),
    late: checks.filter((check) => check.overdue).length,
    uncovered: coverage.uncovered.length,
  };
  deps.emitMetrics?.(metrics);
  deps.logger.info('freshness checked', {
    databases: checks.length,
    late: metrics.late,
    uncovered: metrics.uncovered,
    opened: incidents.opened.length,
    resolved: incidents.resolved.length,
    inventory: inventory.source,
  });
  return {
    cluster: cluster.name,
    evaluatedAt: report.evaluatedAt,
    graceSeconds,
    inventory,
    databases: checks,
    coverage,
    incidents,
    metrics,
    clusterSnapshot: null,
  };
}

/**
 * A shared-data cluster: configured `mode: cluster-snapshot`, or run_mode read as `shared_data` (needs OPERATE; an
 * FE that cannot be asked, or a user without OPERATE, is taken as shared-nothing here).
 */
async function isSharedData(input: CheckFreshnessInput, deps: CheckFreshnessDeps): Promise<boolean> {
  if (input.cluster.mode === 'cluster-snapshot') return true;
  try {
    return (await deps.starRocks((client) => client.runMode())) === 'shared_data';
  } catch {
    return false;
  }
}

/** The check of a shared-data cluster: its automated Cluster Snapshots, one incident while they are not fresh. */
async function checkSharedData(
  input: CheckFreshnessInput,
  deps: CheckFreshnessDeps,
  now: number,
  graceSeconds: number,
): Promise<FreshnessCheck> {
  const { cluster } = input;
  let snapshotCheck: FreshnessCheck['clusterSnapshot'];
  let inventory: InventorySource = { source: 'fe' };
  try {
    snapshotCheck = await deps.starRocks((client) =>
      checkClusterSnapshots(cluster, client, deps.clusterSnapshots, now),
    );
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    deps.logger.warn('could not read the cluster snapshots', { error: reason });
    inventory = { source: 'catalog', error: reason };
    snapshotCheck = { state: 'unreadable', summary: `the cluster snapshots could not be read: ${reason}` };
  }
  const incidents = await reconcileClusterIncident(cluster.name, snapshotCheck, deps);
  const ageSeconds = 'ageSeconds' in snapshotCheck ? snapshotCheck.ageSeconds : null;
  const metrics: FreshnessMetrics = {
    cluster: cluster.name,
    oldestAgeSeconds: ageSeconds,
    late: snapshotCheck.state === 'fresh' || snapshotCheck.state === 'unreadable' ? 0 : 1,
    uncovered: 0,
  };
  deps.emitMetrics?.(metrics);
  deps.logger.info('cluster snapshots checked', {
    state: snapshotCheck.state,
    ageSeconds,
    recorded: 'recorded' in snapshotCheck ? snapshotCheck.recorded.length : 0,
  });
  return {
    cluster: cluster.name,
    evaluatedAt: new Date(now).toISOString(),
    graceSeconds,
    inventory,
    databases: [],
    coverage: { covered: [], excluded: [], uncovered: [] },
    incidents,
    metrics,
    clusterSnapshot: snapshotCheck,
  };
}

/** Opens the cluster's snapshot incident while snapshots are off, failing or stale; resolves it once fresh. */
async function reconcileClusterIncident(
  cluster: string,
  check: NonNullable<FreshnessCheck['clusterSnapshot']>,
  deps: CheckFreshnessDeps,
): Promise<IncidentChanges> {
  const existing = (await deps.incidents.listIncidents(cluster)).filter(
    (incident) => incident.status === 'open',
  );
  const current = existing.find((incident) => incident.type === 'cluster-snapshot');
  const opened: { type: Incident['type']; database: string }[] = [];
  const resolved: { type: Incident['type']; database: string }[] = [];
  if (check.state === 'off' || check.state === 'failing' || check.state === 'stale') {
    const fields: [string, string][] = [
      ['Cluster', cluster],
      ['State', check.state],
      [
        'Newest snapshot',
        check.latest === null
          ? 'none'
          : `${check.latest.name} (${formatUtc(Date.parse(check.latest.createdAt))})`,
      ],
      ['Objective', formatDuration(check.maxAgeSeconds)],
    ];
    if (check.lastJob?.errorMessage) fields.push(['Last job error', check.lastJob.errorMessage]);
    const report: IncidentReport = {
      cluster,
      type: 'cluster-snapshot',
      database: CLUSTER_INCIDENT_SUBJECT,
      cause: check.state,
      summary: `Cluster ${cluster} (shared-data): ${check.summary}.`,
      fields,
    };
    if (current === undefined) {
      if (await deps.incidents.openIncident(report))
        opened.push({ type: 'cluster-snapshot', database: CLUSTER_INCIDENT_SUBJECT });
    } else if (current.cause !== report.cause) {
      await deps.incidents.refreshIncident(current, report);
    }
  } else if (check.state === 'fresh' && current !== undefined) {
    const done = await deps.incidents.resolveIncident(current, {
      resolution: 'recovered',
      summary: `Cluster ${cluster} has a fresh automated cluster snapshot again: ${check.summary}.`,
      notify: true,
    });
    if (done) resolved.push({ type: 'cluster-snapshot', database: CLUSTER_INCIDENT_SUBJECT });
  }
  return { opened, resolved, open: existing.length + opened.length - resolved.length };
}

/** The databases of `names` that an enabled schedule's patterns select. */
function selectedByEnabledSchedules(input: CheckFreshnessInput, names: readonly string[]): string[] {
  const selected = new Set<string>();
  for (const schedule of input.schedules.filter((candidate) => candidate.enabled)) {
    for (const name of selectDatabases(names, effectiveDatabaseFilters(input.cluster, schedule)).selected) {
      selected.add(name);
    }
  }
  return names.filter((name) => selected.has(name));
}

/**
 * SHOW DATABASES, coverage, and the candidates: selected databases that have a good snapshot, or have tables
 * (an empty database is never backed up: its runs record it SKIPPED, so it cannot be late before it holds data).
 */
async function readInventory(
  input: CheckFreshnessInput,
  withSnapshot: ReadonlySet<string>,
  deps: CheckFreshnessDeps,
): Promise<Inventory> {
  return deps.starRocks(async (client) => {
    const names = await client.showDatabases();
    const coverage = assessCoverage({ ...input.cluster, schedules: input.schedules }, names);
    const candidates: string[] = [];
    for (const name of selectedByEnabledSchedules(input, names)) {
      if (withSnapshot.has(name) || (await client.listTables(name)).length > 0) candidates.push(name);
    }
    return { names, coverage, candidates };
  });
}

async function findStuckLocks(
  input: CheckFreshnessInput,
  now: number,
  deps: CheckFreshnessDeps,
): Promise<Map<string, LockRecord>> {
  const limitMs =
    (input.cluster.timeoutSeconds + input.cluster.lock.leaseSeconds + STUCK_MARGIN_SECONDS) * 1000;
  try {
    const { locks } = await deps.locks.inspectLocks(input.cluster.name);
    const stuck = locks.filter(
      (lock) =>
        lock.holder !== null && !lock.expired && lock.acquiredAt !== null && now - lock.acquiredAt > limitMs,
    );
    return new Map(stuck.map((lock) => [lock.database, lock]));
  } catch (error) {
    deps.logger.warn('could not read the locks; stuck runs are not detected in this check', {
      error: error instanceof Error ? error.name : String(error),
    });
    return new Map();
  }
}

interface JudgeContext {
  readonly input: CheckFreshnessInput;
  readonly now: number;
  readonly firstSeenAt: string | undefined;
  readonly stuckLocks: ReadonlyMap<string, LockRecord>;
  readonly deps: CheckFreshnessDeps;
}

/** Adds to the freshness verdict whether the database is overdue and why. */
async function judge(entry: DatabaseFreshness, context: JudgeContext): Promise<DatabaseCheck> {
  const { input, now, deps } = context;
  const stuck = context.stuckLocks.get(entry.database);
  if (stuck !== undefined) {
    const since = stuck.acquiredAt ?? now;
    return {
      ...entry,
      state: entry.state === 'fresh' ? 'late' : entry.state,
      overdue: true,
      cause: 'stuck',
      causeDetail: `its lock has been held by ${stuck.holder ?? '?'} since ${formatUtc(since)} (${formatDuration((now - since) / 1000)}), longer than a backup may take`,
    };
  }
  // A database that appeared after the expected slot could not have been backed up in it.
  const appearedInTime =
    entry.expectedSlot !== null &&
    (context.firstSeenAt === undefined || context.firstSeenAt <= entry.expectedSlot);
  const overdue = entry.state === 'late' || (entry.state === 'never' && appearedInTime);
  if (!overdue || entry.expectedSlot === null || entry.expectedSchedule === null) {
    return { ...entry, overdue: false, cause: null, causeDetail: null };
  }
  const pause = await activePause(input, entry.expectedSchedule, deps);
  if (pause !== null) return { ...entry, overdue, cause: 'paused', causeDetail: pause };
  const attempt = await attemptAtSlot(input.cluster.name, entry.database, entry.expectedSlot, deps);
  if (attempt !== undefined && attempt.state !== 'FINISHED') {
    const cause: LateCause = attempt.state === 'SKIPPED' ? 'skipped' : 'failed';
    return {
      ...entry,
      overdue,
      cause,
      causeDetail: `${attempt.state}: ${attempt.reason ?? 'no reason recorded'}`,
    };
  }
  if (attempt !== undefined) {
    return {
      ...entry,
      overdue,
      cause: 'failed',
      causeDetail: 'FINISHED, but SHOW SNAPSHOT did not confirm it',
    };
  }
  return { ...entry, overdue, cause: entry.state === 'never' ? 'never' : 'missed', causeDetail: null };
}

async function activePause(
  input: CheckFreshnessInput,
  schedule: string,
  deps: CheckFreshnessDeps,
): Promise<string | null> {
  if (deps.pauses === undefined) return null;
  try {
    const pause = await deps.pauses.activePause({ cluster: input.cluster.name, schedule });
    return pause === null ? null : describePause(pause);
  } catch (error) {
    deps.logger.warn('could not read the pauses', {
      error: error instanceof Error ? error.name : String(error),
    });
    return null;
  }
}

/** The best attempt the catalog holds for the database at that slot, if any. */
async function attemptAtSlot(
  cluster: string,
  database: string,
  scheduledTime: string,
  deps: CheckFreshnessDeps,
): Promise<BackupAttempt | undefined> {
  try {
    const attempts = await deps.catalog.listAttemptsAt({ cluster, database, scheduledTime });
    const rank = (attempt: BackupAttempt) =>
      attempt.state === 'FINISHED' ? 2 : attempt.state === 'SKIPPED' ? 0 : 1;
    return attempts.sort((a, b) => rank(b) - rank(a))[0];
  } catch (error) {
    deps.logger.warn('could not read the attempts of the expected slot', {
      database,
      error: error instanceof Error ? error.name : String(error),
    });
    return undefined;
  }
}

/** Opens, refreshes and resolves the cluster's incidents from this check's verdicts. */
async function reconcileIncidents(request: {
  input: CheckFreshnessInput;
  checks: readonly DatabaseCheck[];
  fe: Inventory | undefined;
  deps: CheckFreshnessDeps;
}): Promise<IncidentChanges> {
  const { input, checks, fe, deps } = request;
  const cluster = input.cluster.name;
  const existing = (await deps.incidents.listIncidents(cluster)).filter(
    (incident) => incident.status === 'open',
  );
  const openOf = (type: Incident['type']) =>
    new Map(
      existing.filter((incident) => incident.type === type).map((incident) => [incident.database, incident]),
    );
  const openLate = openOf('late');
  const openDrift = openOf('drift');
  const opened: { type: Incident['type']; database: string }[] = [];
  const resolved: { type: Incident['type']; database: string }[] = [];
  const byName = new Map(checks.map((check) => [check.database, check]));

  for (const check of checks.filter((candidate) => candidate.overdue)) {
    const report: IncidentReport = {
      cluster,
      type: 'late',
      database: check.database,
      cause: check.cause ?? 'missed',
      summary: lateSummary(check),
      fields: lateFields(cluster, check),
    };
    const current = openLate.get(check.database);
    if (current === undefined) {
      if (await deps.incidents.openIncident(report)) opened.push({ type: 'late', database: check.database });
    } else if (current.cause !== report.cause) {
      await deps.incidents.refreshIncident(current, report);
    }
  }

  for (const incident of openLate.values()) {
    const check = byName.get(incident.database);
    if (check?.overdue) continue;
    let closing: { resolution: 'recovered' | 'gone' | 'deselected'; summary: string } | undefined;
    if (check !== undefined && check.snapshot !== null) {
      closing = {
        resolution: 'recovered',
        summary: `${check.database} has a good snapshot again: ${check.snapshot}, taken ${check.takenAt === null ? '' : formatUtc(Date.parse(check.takenAt))}.`,
      };
    } else if (check === undefined && fe !== undefined) {
      closing = fe.names.includes(incident.database)
        ? {
            resolution: 'deselected',
            summary: `${incident.database} is no longer selected by an enabled schedule (or holds no tables): it is not expected to be backed up any more.`,
          }
        : { resolution: 'gone', summary: `${incident.database} no longer exists on the FE.` };
    }
    if (closing === undefined) continue;
    const done = await deps.incidents.resolveIncident(incident, { ...closing, notify: true });
    if (done) resolved.push({ type: 'late', database: incident.database });
  }

  if (fe !== undefined) {
    const uncovered = new Set(fe.coverage.uncovered);
    for (const database of fe.coverage.uncovered) {
      if (openDrift.has(database)) continue;
      const report: IncidentReport = {
        cluster,
        type: 'drift',
        database,
        cause: 'uncovered',
        summary: `${database} is on the FE, but no schedule's include patterns select it and no exclude pattern names it, so it is not backed up. Add it to a schedule's include, or to exclude if it needs no backup (that silences this notice).`,
        fields: [
          ['Cluster', cluster],
          ['Database', database],
          ['Include patterns', describePatterns(input, 'include')],
          ['Exclude patterns', describePatterns(input, 'exclude')],
        ],
      };
      if (await deps.incidents.openIncident(report)) opened.push({ type: 'drift', database });
    }
    for (const incident of openDrift.values()) {
      if (uncovered.has(incident.database)) continue;
      const summary = fe.names.includes(incident.database)
        ? `${incident.database} is now covered by a schedule or excluded on purpose.`
        : `${incident.database} no longer exists on the FE.`;
      const resolution = fe.names.includes(incident.database) ? 'covered' : 'gone';
      const done = await deps.incidents.resolveIncident(incident, { resolution, summary, notify: false });
      if (done) resolved.push({ type: 'drift', database: incident.database });
    }
  }

  const stillOpen = existing.length + opened.length - resolved.length;
  return { opened, resolved, open: stillOpen };
}

function describePatterns(input: CheckFreshnessInput, which: 'include' | 'exclude'): string {
  const patterns = new Set<string>(input.cluster[which]);
  for (const schedule of input.schedules) for (const pattern of schedule[which] ?? []) patterns.add(pattern);
  return patterns.size === 0 ? 'none' : [...patterns].join(', ');
}
