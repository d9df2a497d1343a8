import type { CatalogStore } from '../catalog/index.ts';
import type { Pause, PauseStore } from '../pause/index.ts';
import type { Clock } from '../shared/clock.ts';
import { effectiveDatabaseFilters, previousSlot, selectDatabases } from '../shared/config/index.ts';
import { ConfigError, UnknownDatabaseError } from '../shared/errors.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { PlannedDatabase, ResolveInput, RunPlan } from '../shared/run-state.ts';
import type { DatabaseProblem } from '../shared/workflow-state.ts';
import { buildSnapshotLabel, executionNameFor, type StarRocksClient } from '../starrocks/index.ts';
import { classifyDatabase } from './classify-database.ts';
import { type ClusterProbe, type FrontEndFacts, inspectCluster } from './cluster-awareness.ts';

/** The FE calls ResolveDatabases makes. */
export type ResolveClient = Pick<StarRocksClient, 'showDatabases' | 'listTables'> & ClusterProbe;

/** What ResolveDatabases needs. */
export interface ResolveDatabasesDeps {
  readonly starRocks: <T>(work: (client: ResolveClient) => Promise<T>) => Promise<T>;
  readonly catalog: Pick<CatalogStore, 'recordAttempt'>;
  readonly pauses: Pick<PauseStore, 'activePause'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/**
 * `$.plan`: the run plan, plus what the run learned. A paused run carries `paused` and plans no database (the
 * workflow ends at once, successfully and without an alert); otherwise `frontEnd` says what the FE runs.
 */
export type ResolvedPlan = RunPlan & {
  readonly paused?: Pause;
  readonly frontEnd?: FrontEndFacts;
};

/**
 * Plans one run: the slot (the scheduled time, or the schedule's latest slot at or before now), the databases
 * (SHOW DATABASES minus system databases, through the include/exclude globs, or the explicit selection), and
 * each one's deterministic label and child execution name. A database without tables is recorded SKIPPED
 * (`empty`) here and not planned.
 *
 * First of all it checks the pause store: a paused cluster or schedule gets an empty plan with `paused`, before
 * the FE is even contacted (a cluster paused for maintenance may well be down), and nothing is recorded.
 * Then it reads the FE's version and run mode and refuses a shared-data cluster (UnsupportedClusterError).
 * Fails the run as a whole on an unknown explicit database or a dead FE.
 */
export async function resolveDatabases(
  input: ResolveInput,
  deps: ResolveDatabasesDeps,
): Promise<ResolvedPlan> {
  if (input.cluster.mode === 'cluster-snapshot') {
    throw new ConfigError(
      `cluster ${input.cluster.name} has mode cluster-snapshot: StarRocks cannot BACKUP a shared-data cluster, so ` +
        'nothing is backed up here; its freshness check watches its automated Cluster Snapshots',
    );
  }
  const scheduledTime = slotOf(input, deps.clock);
  const paused = await deps.pauses.activePause({
    cluster: input.cluster.name,
    schedule: input.schedule.name,
  });
  if (paused !== null) {
    deps.logger.info('run skipped: paused', {
      scheduledTime,
      reason: paused.reason,
      pausedSchedule: paused.schedule,
      since: paused.since,
      until: paused.until,
    });
    return { scheduledTime, databases: [], skippedEmpty: 0, excluded: 0, paused };
  }

  const { selected, excludedCount, empty, frontEnd, problems } = await deps.starRocks(async (client) => {
    const frontEnd = await inspectCluster(client, input.cluster, deps.logger);
    const available = await client.showDatabases();
    const chosen = chooseDatabases(input, available);
    const emptyNames: string[] = [];
    const withTables: string[] = [];
    // A database's own problem (its name, its listing, its objects) is planned with it, never thrown.
    const problems = new Map<string, DatabaseProblem>();
    for (const database of chosen.selected) {
      const verdict = await classifyDatabase(database, {
        capabilities: frontEnd.capabilities,
        version: frontEnd.version,
        listTables: (name) => client.listTables(name),
      });
      if (verdict.kind === 'empty') emptyNames.push(database);
      else withTables.push(database);
      if (verdict.kind === 'problem') problems.set(database, verdict.problem);
    }
    return {
      selected: withTables,
      excludedCount: chosen.excludedCount,
      empty: emptyNames,
      frontEnd,
      problems,
    };
  });

  const slotDate = new Date(scheduledTime);
  const plan = (database: string): PlannedDatabase => {
    const slot = {
      cluster: input.cluster.name,
      schedule: input.schedule.name,
      database,
      scheduledTime: slotDate,
    };
    const problem = problems.get(database);
    return {
      database,
      label: buildSnapshotLabel(slot),
      executionName: executionNameFor(slot),
      ...(problem === undefined ? {} : { problem }),
    };
  };
  for (const database of empty) await recordEmpty(input, plan(database).label, database, scheduledTime, deps);

  deps.logger.info('run planned', {
    scheduledTime,
    databases: selected.length,
    skippedEmpty: empty.length,
    excluded: excludedCount,
    problems: problems.size,
    version: frontEnd.version,
    runMode: frontEnd.runMode,
  });
  return {
    scheduledTime,
    databases: selected.map(plan),
    skippedEmpty: empty.length,
    excluded: excludedCount,
    frontEnd,
  };
}

function slotOf(input: ResolveInput, clock: Clock): string {
  if (input.scheduledTime !== undefined) return new Date(input.scheduledTime).toISOString();
  const slot = previousSlot(input.schedule, new Date(clock.now()));
  if (slot === null) {
    throw new ConfigError(
      `schedule ${input.schedule.name}: cron ${input.schedule.cron} has no slot before now`,
    );
  }
  return slot.toISOString();
}

function chooseDatabases(
  input: ResolveInput,
  available: readonly string[],
): { selected: string[]; excludedCount: number } {
  if (input.databases === undefined) {
    const selection = selectDatabases(available, effectiveDatabaseFilters(input.cluster, input.schedule));
    return { selected: selection.selected, excludedCount: selection.excluded.length };
  }
  const known = new Set(available);
  const unknown = input.databases.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UnknownDatabaseError(
      `unknown database${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} on ${input.cluster.host}:${input.cluster.port}`,
    );
  }
  // An explicit choice overrides the patterns, never the system-database rule.
  const selection = selectDatabases(input.databases, { include: ['*'], exclude: [] });
  const refused = selection.excluded.map((entry) => entry.name);
  if (refused.length > 0) {
    throw new ConfigError(`--database: ${refused.join(', ')} is a system database and is never backed up`);
  }
  return { selected: [...new Set(selection.selected)], excludedCount: 0 };
}

async function recordEmpty(
  input: ResolveInput,
  label: string,
  database: string,
  scheduledTime: string,
  deps: ResolveDatabasesDeps,
): Promise<void> {
  const now = new Date(deps.clock.now()).toISOString();
  await deps.catalog.recordAttempt({
    cluster: input.cluster.name,
    database,
    label,
    repository: input.cluster.repository,
    schedule: input.schedule.name,
    scheduledTime,
    runId: input.run.id,
    executionId: input.run.id,
    attempt: 1,
    state: 'SKIPPED',
    reason: 'empty',
    startedAt: null,
    finishedAt: now,
    durationSeconds: null,
    snapshotTimestamp: null,
    verified: false,
    sizeBytes: null,
    tableCount: 0,
    starRocksJobId: null,
  });
}
