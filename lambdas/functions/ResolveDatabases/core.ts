import { createHash } from 'node:crypto';
import type { CatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { effectiveDatabaseFilters, previousSlot, selectDatabases } from '#domain/config/index.ts';
import { ConfigError, UnknownDatabaseError } from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { Pause, PauseStore } from '#domain/pause/index.ts';
import { nameProblem } from '#domain/run-plan/classify-database.ts';
import { type ClusterProbe, type FrontEndFacts, inspectCluster } from '#domain/run-plan/cluster-awareness.ts';
import { estimateDurations, longestExpectedFirst } from '#domain/run-plan/longest-first.ts';
import type { PlanStore } from '#domain/run-plan/plan-store.ts';
import { buildSnapshotLabel, executionNameFor, type StarRocksClient } from '#domain/starrocks/index.ts';
import {
  PLAN_PREVIEW_LIMIT,
  type PlannedDatabase,
  type ResolveInput,
  type RunPlan,
} from '#domain/workflow/run-state.ts';

/** The FE calls ResolveDatabases makes. */
export type ResolveClient = Pick<StarRocksClient, 'showDatabases'> & ClusterProbe;

/** What ResolveDatabases needs. */
export interface ResolveDatabasesDeps {
  readonly starRocks: <T>(work: (client: ResolveClient) => Promise<T>) => Promise<T>;
  readonly catalog: Pick<CatalogStore, 'latestGoodSnapshots'>;
  readonly plans: Pick<PlanStore, 'writePlan'>;
  readonly pauses: Pick<PauseStore, 'activePause' | 'recordPausedSlot'>;
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

async function recordPausedSlot(
  input: ResolveInput,
  scheduledTime: string,
  paused: Pause,
  deps: ResolveDatabasesDeps,
): Promise<void> {
  try {
    await deps.pauses.recordPausedSlot({
      cluster: input.cluster.name,
      schedule: input.schedule.name,
      scheduledTime,
      pausedSchedule: paused.schedule,
      reason: paused.reason,
      since: paused.since,
      until: paused.until,
      by: paused.by,
      runId: input.run.id,
    });
  } catch (error) {
    // The record only serves reports: a paused run still ends paused, and quietly, without it.
    deps.logger.warn('could not record the paused slot', { scheduledTime, error });
  }
}

/** Claims one lane execution makes before it hands over to the next (about 17 history events each). */
export const LANE_ITERATIONS = 400;

/**
 * Plans one run: the slot (the scheduled time, or the schedule's latest slot at or before now), the databases
 * (SHOW DATABASES minus system databases, through the include/exclude globs, or the explicit selection), each
 * one's deterministic label and child execution name, in longest-expected-first order (the catalog's last good
 * backups; lambdas/domain/run-plan/longest-first.ts). The queue goes to the catalog (lambdas/domain/run-plan/plan-store.ts);
 * the state keeps its size and the lanes that work it, so it stays the same size for ten or ten thousand
 * databases. Tables are not listed here: each database's own execution finds out whether it is empty.
 *
 * First of all it checks the pause store: a paused cluster or schedule gets an empty plan with `paused`, before
 * the FE is even contacted (a cluster paused for maintenance may well be down); only the paused slot is recorded
 * (for reports: a lifted pause leaves no other trace).
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
    await recordPausedSlot(input, scheduledTime, paused, deps);
    return {
      scheduledTime,
      total: 0,
      preview: [],
      lanes: [],
      laneIterations: LANE_ITERATIONS,
      runKey: createHash('sha256').update(input.run.id).digest('hex').slice(0, 20),
      excluded: 0,
      paused,
    };
  }

  const { selected, excludedCount, frontEnd } = await deps.starRocks(async (client) => {
    const frontEnd = await inspectCluster(client, input.cluster, deps.logger);
    const chosen = chooseDatabases(input, await client.showDatabases());
    return { selected: chosen.selected, excludedCount: chosen.excludedCount, frontEnd };
  });

  const slotDate = new Date(scheduledTime);
  const plan = (database: string): PlannedDatabase => {
    const slot = {
      cluster: input.cluster.name,
      schedule: input.schedule.name,
      database,
      scheduledTime: slotDate,
    };
    // A name StarRocks would refuse is the database's own problem, planned with it; what its tables hold, its own
    // execution finds out (SubmitBackup lists them), so nothing here lists a database's tables.
    const problem = nameProblem(database);
    return {
      database,
      label: buildSnapshotLabel(slot),
      executionName: executionNameFor(slot),
      ...(problem === undefined ? {} : { problem }),
    };
  };
  const history = new Map(
    (await deps.catalog.latestGoodSnapshots(input.cluster.name)).map((attempt) => [
      attempt.database,
      { durationSeconds: attempt.durationSeconds, sizeBytes: attempt.sizeBytes },
    ]),
  );
  const entries = longestExpectedFirst(estimateDurations(selected, history)).map(({ database, seconds }) => ({
    ...plan(database),
    ...(seconds === null ? {} : { expectedSeconds: Math.round(seconds) }),
  }));
  await deps.plans.writePlan({
    runId: input.run.id,
    scheduledTime,
    entries,
    ...(input.tuning?.pageSize === undefined ? {} : { pageSize: input.tuning.pageSize }),
  });
  const laneCount = Math.min(input.cluster.maxConcurrentBackups, entries.length);

  deps.logger.info('run planned', {
    scheduledTime,
    databases: entries.length,
    lanes: laneCount,
    excluded: excludedCount,
    version: frontEnd.version,
    runMode: frontEnd.runMode,
  });
  return {
    scheduledTime,
    total: entries.length,
    preview: entries.slice(0, PLAN_PREVIEW_LIMIT).map((entry) => entry.database),
    lanes: Array.from({ length: laneCount }, (_, lane) => lane),
    laneIterations: input.tuning?.laneIterations ?? LANE_ITERATIONS,
    runKey: createHash('sha256').update(input.run.id).digest('hex').slice(0, 20),
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
