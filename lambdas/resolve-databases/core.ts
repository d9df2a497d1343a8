import type { CatalogStore } from '../catalog/index.ts';
import type { Clock } from '../shared/clock.ts';
import { effectiveDatabaseFilters, previousSlot, selectDatabases } from '../shared/config/index.ts';
import { ConfigError, UnknownDatabaseError } from '../shared/errors.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { PlannedDatabase, ResolveInput, RunPlan } from '../shared/run-state.ts';
import {
  buildSnapshotLabel,
  executionNameFor,
  formatVersion,
  isSupportedVersion,
  type StarRocksClient,
} from '../starrocks/index.ts';

/** What ResolveDatabases needs. */
export interface ResolveDatabasesDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly catalog: Pick<CatalogStore, 'recordAttempt'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/**
 * Plans one run: the slot (the scheduled time, or the schedule's latest slot at or before now), the databases
 * (SHOW DATABASES minus system databases, through the include/exclude globs, or the explicit selection), and
 * each one's deterministic label and child execution name. A database without tables is recorded SKIPPED
 * (`empty`) here and not planned. Fails the run as a whole on an unknown explicit database or a dead FE.
 */
export async function resolveDatabases(input: ResolveInput, deps: ResolveDatabasesDeps): Promise<RunPlan> {
  const scheduledTime = slotOf(input, deps.clock);
  const { selected, excludedCount, empty } = await deps.starRocks(async (client) => {
    const version = await client.currentVersion();
    if (!isSupportedVersion(version)) {
      deps.logger.warn('StarRocks version outside the tested range (3.0–3.5); continuing', {
        version: formatVersion(version),
      });
    }
    const available = await client.showDatabases();
    const chosen = chooseDatabases(input, available);
    const emptyNames: string[] = [];
    const withTables: string[] = [];
    for (const database of chosen.selected) {
      // Any row at all (view, external table…) means "not empty": a TABLE_TYPE filter alone can mislead (3.4.x).
      const tables = await client.listTables(database);
      (tables.length === 0 ? emptyNames : withTables).push(database);
    }
    return { selected: withTables, excludedCount: chosen.excludedCount, empty: emptyNames };
  });

  const slotDate = new Date(scheduledTime);
  const plan = (database: string): PlannedDatabase => {
    const slot = {
      cluster: input.cluster.name,
      schedule: input.schedule.name,
      database,
      scheduledTime: slotDate,
    };
    return { database, label: buildSnapshotLabel(slot), executionName: executionNameFor(slot) };
  };
  for (const database of empty) await recordEmpty(input, plan(database).label, database, scheduledTime, deps);

  deps.logger.info('run planned', {
    scheduledTime,
    databases: selected.length,
    skippedEmpty: empty.length,
    excluded: excludedCount,
  });
  return {
    scheduledTime,
    databases: selected.map(plan),
    skippedEmpty: empty.length,
    excluded: excludedCount,
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
