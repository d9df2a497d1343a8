/**
 * Collects a backup report's data from the catalog, the configuration and a clock: no environment, no SDK client
 * of its own (the CLI passes the local stores; a deployed function would pass its own). Reads, per cluster: the
 * period's attempts and a look-back before it (one index query), the paused slots and pauses, the incidents, the
 * drills, and every attempt of the databases with a verified snapshot (pins and retention, as prune reads them).
 */
import {
  type BackupAttempt,
  type CatalogStore,
  drillPointKind,
  isGoodSnapshot,
} from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import type { ClusterConfig } from '#domain/config/index.ts';
import type { IncidentStore } from '#domain/incidents/incident-store.ts';
import { hintForFailure } from '#domain/notify/failure-hints.ts';
import type { PauseStore } from '#domain/pause/index.ts';
import { historyWindow, judgeSize } from '#domain/size-anomaly/judge.ts';
import { buildSnapshotLabel } from '#domain/starrocks/snapshot-label.ts';
import { encodeColumn, sizeUnitFor } from './columns.ts';
import { describeRetention, nextRemovals, pinnedSnapshots, uncoveredDatabases } from './coverage.ts';
import { freshnessOverPeriod, objectiveSeconds } from './freshness-series.ts';
import {
  OUTCOME_CODES,
  type OutcomeCode,
  REPORT_DATA_VERSION,
  type ReportCluster,
  type ReportCoverage,
  type ReportData,
  type ReportDatabase,
  type ReportDrill,
  type ReportPinned,
  type ReportRemoval,
  type ReportUncovered,
  type ReportWindow,
} from './model.ts';
import { type ReportPeriod, reportPeriod } from './period.ts';
import { deriveMissingSlots, type MissingSlot, schedulesSelecting, slotsBetween } from './slots.ts';
import { backupWindow } from './windows.ts';

/** The catalog reads the report makes (CatalogStore provides them). */
export type ReportCatalog = Pick<
  CatalogStore,
  'listBetween' | 'listDrills' | 'latestGoodSnapshots' | 'listAllSnapshots'
>;

/** What the collector reads from. */
export interface ReportDeps {
  readonly catalog: ReportCatalog;
  readonly pauses: Pick<PauseStore, 'listPauses' | 'listPausedSlots'>;
  readonly incidents: Pick<IncidentStore, 'listIncidents'>;
  readonly clock: Clock;
}

/** The configuration fields of a cluster the report reads. */
export type ReportClusterConfig = Pick<
  ClusterConfig,
  | 'name'
  | 'user'
  | 'include'
  | 'exclude'
  | 'schedules'
  | 'maxConcurrentBackups'
  | 'timeoutSeconds'
  | 'freshness'
  | 'sizeAnomaly'
  | 'retention'
>;

/** What to report on. */
export interface ReportRequest {
  readonly clusters: readonly ReportClusterConfig[];
  /** The last `days` days up to `until` (default 30), unless `since` is given. */
  readonly days?: number | undefined;
  readonly since?: Date | undefined;
  /** End of the period (exclusive); default now. */
  readonly until?: Date | undefined;
  /** The zone days are cut in (default UTC). */
  readonly timeZone?: string | undefined;
  readonly title?: string | undefined;
}

/** How far before the period attempts are read: the size history and the recovery point at its start. */
export const LOOKBACK_DAYS = 35;
/** How far before the period slots are enumerated to find the longest gap between two (the objective). */
const OBJECTIVE_LOOKBACK_DAYS = 32;
const DAY_MS = 86_400_000;
const PAGE = 500;

/** Deduplicated texts; entries point at them by index. */
class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  add(value: string): number {
    let at = this.index.get(value);
    if (at === undefined) {
      at = this.values.length;
      this.values.push(value);
      this.index.set(value, at);
    }
    return at;
  }
}

/** One row entry before encoding: an attempt, or a slot without one. */
interface Entry {
  readonly slotMs: number;
  readonly schedule: string;
  readonly attempt: BackupAttempt | null;
  readonly missing: MissingSlot | null;
}

function graceSeconds(cluster: ReportClusterConfig): number {
  return cluster.freshness.graceMinutes === undefined
    ? cluster.timeoutSeconds
    : Math.round(cluster.freshness.graceMinutes * 60);
}

function outcomeOf(entry: Entry): OutcomeCode {
  if (entry.missing) return entry.missing.kind === 'paused' ? OUTCOME_CODES.PAUSED : OUTCOME_CODES.MISSED;
  const attempt = entry.attempt as BackupAttempt;
  switch (attempt.state) {
    case 'FINISHED':
      if (attempt.lostAt !== undefined) return OUTCOME_CODES.LOST;
      return attempt.verified ? OUTCOME_CODES.FINISHED : OUTCOME_CODES.UNVERIFIED;
    case 'FAILED':
      return OUTCOME_CODES.FAILED;
    case 'TIMED_OUT':
      return OUTCOME_CODES.TIMED_OUT;
    case 'SKIPPED':
      return OUTCOME_CODES.SKIPPED;
  }
}

function msOrNull(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

async function readPeriodAttempts(
  catalog: ReportCatalog,
  cluster: string,
  from: Date,
  to: Date,
): Promise<BackupAttempt[]> {
  const attempts: BackupAttempt[] = [];
  let cursor: string | null = null;
  do {
    const page = await catalog.listBetween({ cluster, from, to, cursor, limit: PAGE });
    for (const attempt of page.items) attempts.push(attempt);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return attempts;
}

function rebuiltLabel(cluster: string, attempt: BackupAttempt, slotMs: number): string | null {
  try {
    return buildSnapshotLabel({
      cluster,
      schedule: attempt.schedule,
      database: attempt.database,
      scheduledTime: new Date(slotMs),
    });
  } catch {
    return null;
  }
}

interface ClusterContext {
  readonly index: number;
  readonly config: ReportClusterConfig;
  readonly period: ReportPeriod;
  readonly nowMs: number;
  readonly strings: StringTable;
}

/**
 * Size anomalies of the period's FINISHED attempts, judged as SummarizeRun judges them: each size against the
 * median of the database's earlier FINISHED sizes (other labels), newest first.
 */
function sizeAnomalies(
  context: ClusterContext,
  windowAttempts: readonly BackupAttempt[],
): Map<BackupAttempt, { kind: 'drop' | 'growth'; median: number }> {
  const marks = new Map<BackupAttempt, { kind: 'drop' | 'growth'; median: number }>();
  const window = historyWindow(context.config.sizeAnomaly);
  const byDatabase = new Map<string, BackupAttempt[]>();
  for (const attempt of windowAttempts) {
    if (attempt.state !== 'FINISHED' || attempt.sizeBytes === null) continue;
    byDatabase.set(attempt.database, [...(byDatabase.get(attempt.database) ?? []), attempt]);
  }
  for (const finished of byDatabase.values()) {
    finished.sort(
      (a, b) => a.scheduledTime.localeCompare(b.scheduledTime) || a.recordedAt.localeCompare(b.recordedAt),
    );
    finished.forEach((attempt, index) => {
      if (Date.parse(attempt.scheduledTime) < context.period.fromMs) return;
      const history: number[] = [];
      for (let at = index - 1; at >= 0 && history.length < window; at -= 1) {
        const earlier = finished[at] as BackupAttempt;
        if (earlier.label !== attempt.label) history.push(earlier.sizeBytes as number);
      }
      const verdict = judgeSize(attempt.sizeBytes, history, context.config.sizeAnomaly);
      if (verdict.kind === 'drop' || verdict.kind === 'growth') {
        marks.set(attempt, { kind: verdict.kind, median: verdict.median });
      }
    });
  }
  return marks;
}

function objectiveOf(
  context: ClusterContext,
  database: string,
  slotCache: Map<string, number[]>,
): number | null {
  const { period } = context;
  const slots: number[] = [];
  for (const schedule of schedulesSelecting(context.config, database)) {
    let cached = slotCache.get(schedule.name);
    if (cached === undefined) {
      cached = slotsBetween(schedule, period.fromMs - OBJECTIVE_LOOKBACK_DAYS * DAY_MS, period.toMs);
      slotCache.set(schedule.name, cached);
    }
    slots.push(...cached);
  }
  return objectiveSeconds(slots, graceSeconds(context.config));
}

function encodeDatabase(
  context: ClusterContext,
  database: string,
  entries: readonly Entry[],
  slotIndex: ReadonlyMap<number, number>,
  windowAttempts: readonly BackupAttempt[],
  anomalies: ReadonlyMap<BackupAttempt, { kind: 'drop' | 'growth'; median: number }>,
  objective: number | null,
): ReportDatabase {
  const { config, strings, period } = context;
  const scheduleIndex = new Map(config.schedules.map((schedule, index) => [schedule.name, index]));
  const largest = Math.max(0, ...entries.map((entry) => entry.attempt?.sizeBytes ?? 0));
  const sizeUnit = sizeUnitFor(largest);
  const reasons: Array<[number, number]> = [];
  const hints: Array<[number, number]> = [];
  const runs: Array<[number, number]> = [];
  const labels: Array<[number, string]> = [];
  const marks: Array<[number, 'drop' | 'growth', number]> = [];
  const pinned: number[] = [];
  const starts: (number | null)[] = [];
  const durations: (number | null)[] = [];
  const sizes: (number | null)[] = [];
  let outcomes = '';
  let schedules = '';
  entries.forEach((entry, at) => {
    const outcome = outcomeOf(entry);
    outcomes += outcome;
    schedules += (scheduleIndex.get(entry.schedule) ?? 0).toString(36).slice(-1);
    const attempt = entry.attempt;
    const reason = attempt?.reason ?? entry.missing?.reason ?? null;
    if (reason !== null && reason !== '') reasons.push([at, strings.add(reason)]);
    if (attempt === null) {
      starts.push(null);
      durations.push(null);
      sizes.push(null);
      return;
    }
    const startedMs = msOrNull(attempt.startedAt);
    starts.push(startedMs === null ? null : (startedMs - entry.slotMs) / 1000);
    durations.push(attempt.durationSeconds);
    sizes.push(attempt.sizeBytes === null ? null : attempt.sizeBytes / sizeUnit);
    if (attempt.state === 'FAILED' || attempt.state === 'TIMED_OUT') {
      hints.push([
        at,
        strings.add(
          hintForFailure({
            state: attempt.state,
            reason: attempt.reason ?? '',
            database,
            user: config.user,
            timeoutSeconds: config.timeoutSeconds,
          }),
        ),
      ]);
      runs.push([at, strings.add(attempt.runId)]);
    }
    if (attempt.label !== rebuiltLabel(config.name, attempt, entry.slotMs)) labels.push([at, attempt.label]);
    const anomaly = anomalies.get(attempt);
    if (anomaly) marks.push([at, anomaly.kind, Math.round(anomaly.median / sizeUnit)]);
    if (attempt.pinned === true) pinned.push(at);
  });

  const series = freshnessOverPeriod({
    snapshots: [
      ...windowAttempts.filter(isGoodSnapshot).map((attempt) => {
        const slotMs = Date.parse(attempt.scheduledTime);
        const takenAtMs = msOrNull(attempt.startedAt) ?? msOrNull(attempt.finishedAt) ?? slotMs;
        return { takenAtMs, availableAtMs: msOrNull(attempt.finishedAt) ?? Date.parse(attempt.recordedAt) };
      }),
      // A differential schedule found the database unchanged since its newest snapshot: that snapshot holds the
      // data as of this check, so the recovery point is as fresh as the check.
      ...windowAttempts
        .filter((attempt) => attempt.state === 'SKIPPED' && attempt.reason === 'unchanged')
        .map((attempt) => {
          const checkedAtMs = msOrNull(attempt.finishedAt) ?? Date.parse(attempt.recordedAt);
          return { takenAtMs: checkedAtMs, availableAtMs: checkedAtMs };
        }),
    ],
    fromMs: period.fromMs,
    toMs: period.toMs,
    objectiveSeconds: objective,
    dayOf: period.dayOf,
    days: period.days,
  });

  return {
    cluster: context.index,
    name: database,
    n: entries.length,
    k: encodeColumn(entries.map((entry) => slotIndex.get(entry.slotMs) ?? null)),
    o: outcomes,
    h: /^0*$/.test(schedules) ? '' : schedules,
    s: encodeColumn(starts),
    d: encodeColumn(durations),
    z: encodeColumn(sizes),
    sizeUnit,
    reasons,
    hints,
    runs,
    labels,
    anomalies: marks,
    pinned,
    freshness: {
      objectiveSeconds: objective,
      seed:
        series.seed === null
          ? null
          : [Math.round(series.seed.takenAtMs / 1000), Math.round(series.seed.availableAtMs / 1000)],
      worstAgeSeconds: series.worstAgeSeconds,
      overObjectiveSeconds: series.overObjectiveSeconds,
      currentAgeSeconds: series.currentAgeSeconds,
      overDays: encodeColumn(series.overDays),
    },
  };
}

function windowsOf(
  slots: readonly number[],
  periodAttempts: readonly BackupAttempt[],
  slotIndex: ReadonlyMap<number, number>,
): ReportWindow[] {
  const jobsBySlot = new Map<number, Array<{ startSeconds: number; endSeconds: number }>>();
  for (const attempt of periodAttempts) {
    const started = msOrNull(attempt.startedAt);
    const finished = msOrNull(attempt.finishedAt);
    if (started === null || finished === null) continue;
    const slotMs = Date.parse(attempt.scheduledTime);
    const jobs = jobsBySlot.get(slotMs) ?? [];
    jobs.push({ startSeconds: (started - slotMs) / 1000, endSeconds: (finished - slotMs) / 1000 });
    jobsBySlot.set(slotMs, jobs);
  }
  const windows: ReportWindow[] = [];
  for (const slotMs of slots) {
    const window = backupWindow(jobsBySlot.get(slotMs) ?? []);
    const index = slotIndex.get(slotMs);
    if (window === null || index === undefined) continue;
    windows.push([
      index,
      Math.round(window.firstStart),
      Math.round(window.lastEnd),
      window.peak,
      window.jobs,
    ]);
  }
  return windows;
}

interface ClusterPart {
  readonly cluster: ReportCluster;
  readonly databases: ReportDatabase[];
  readonly drills: ReportDrill[];
  readonly uncovered: ReportUncovered[];
  readonly pinned: ReportPinned[];
  readonly removals: ReportRemoval[];
  readonly drillsTruncated: boolean;
}

async function collectCluster(context: ClusterContext, deps: ReportDeps): Promise<ClusterPart> {
  const { config, period, nowMs } = context;
  const from = new Date(period.fromMs);
  const to = new Date(period.toMs);
  const windowAttempts = await readPeriodAttempts(
    deps.catalog,
    config.name,
    new Date(period.fromMs - LOOKBACK_DAYS * DAY_MS),
    to,
  );
  const [pausedSlots, pauses, incidents, drills, latestGood] = await Promise.all([
    deps.pauses.listPausedSlots({ cluster: config.name, from, to }),
    deps.pauses.listPauses(config.name, { includeExpired: true }),
    deps.incidents.listIncidents(config.name),
    deps.catalog.listDrills({ cluster: config.name, limit: 500 }),
    deps.catalog.latestGoodSnapshots(config.name),
  ]);

  const byDatabase = new Map<string, BackupAttempt[]>();
  for (const attempt of windowAttempts) {
    const list = byDatabase.get(attempt.database) ?? [];
    list.push(attempt);
    byDatabase.set(attempt.database, list);
  }
  const missing = deriveMissingSlots({
    cluster: config,
    databases: [...byDatabase.keys()],
    attempts: windowAttempts.map((attempt) => ({
      database: attempt.database,
      schedule: attempt.schedule,
      slotMs: Date.parse(attempt.scheduledTime),
    })),
    fromMs: period.fromMs,
    expectedUntilMs: Math.min(period.toMs, nowMs) - 1 - graceSeconds(config) * 1000,
    pausedSlots: pausedSlots.map((slot) => ({
      schedule: slot.schedule,
      slotMs: Date.parse(slot.scheduledTime),
      reason: slot.reason,
    })),
    pauses: pauses.map((pause) => ({
      schedule: pause.schedule,
      sinceMs: Date.parse(pause.since),
      untilMs: pause.until === null ? null : Date.parse(pause.until),
      reason: pause.reason,
    })),
  });

  const inPeriod = (slotMs: number) => slotMs >= period.fromMs && slotMs < period.toMs;
  const entriesOf = new Map<string, Entry[]>();
  const add = (database: string, entry: Entry) => {
    const list = entriesOf.get(database) ?? [];
    list.push(entry);
    entriesOf.set(database, list);
  };
  const periodAttempts = windowAttempts.filter((attempt) => inPeriod(Date.parse(attempt.scheduledTime)));
  for (const attempt of periodAttempts) {
    add(attempt.database, {
      slotMs: Date.parse(attempt.scheduledTime),
      schedule: attempt.schedule,
      attempt,
      missing: null,
    });
  }
  for (const slot of missing) {
    add(slot.database, { slotMs: slot.slotMs, schedule: slot.schedule, attempt: null, missing: slot });
  }
  for (const entries of entriesOf.values()) {
    entries.sort(
      (a, b) =>
        a.slotMs - b.slotMs ||
        (a.attempt?.recordedAt ?? '').localeCompare(b.attempt?.recordedAt ?? '') ||
        (a.attempt?.attempt ?? 0) - (b.attempt?.attempt ?? 0),
    );
  }
  const slots = [...new Set([...entriesOf.values()].flatMap((entries) => entries.map((e) => e.slotMs)))].sort(
    (a, b) => a - b,
  );
  const slotIndex = new Map(slots.map((slotMs, index) => [slotMs, index]));

  const anomalies = sizeAnomalies(context, windowAttempts);
  const slotCache = new Map<string, number[]>();
  const databases = [...entriesOf.keys()]
    .sort()
    .map((database) =>
      encodeDatabase(
        context,
        database,
        entriesOf.get(database) ?? [],
        slotIndex,
        byDatabase.get(database) ?? [],
        anomalies,
        objectiveOf(context, database, slotCache),
      ),
    );

  const pinned: ReportPinned[] = [];
  const removals: ReportRemoval[] = [];
  for (const database of [...new Set(latestGood.map((attempt) => attempt.database))].sort()) {
    const all = await deps.catalog.listAllSnapshots({ cluster: config.name, database });
    pinned.push(...pinnedSnapshots(config.name, all));
    if (config.retention !== undefined) {
      removals.push(
        ...nextRemovals({ cluster: config.name, retention: config.retention, attempts: all, nowMs }),
      );
    }
  }

  const periodDrills = drills.filter((drill) => {
    const startedMs = Date.parse(drill.startedAt);
    return startedMs >= period.fromMs && startedMs < period.toMs;
  });
  const oldestDrill = drills[drills.length - 1];

  return {
    cluster: {
      name: config.name,
      maxConcurrentBackups: config.maxConcurrentBackups,
      graceSeconds: graceSeconds(config),
      schedules: config.schedules.map(({ name, cron, timezone, enabled }) => ({
        name,
        cron,
        timezone,
        enabled,
      })),
      slots: encodeColumn(slots.map((slotMs) => slotMs / 60_000)),
      slotDays: encodeColumn(slots.map((slotMs) => period.dayOf(slotMs))),
      windows: windowsOf(slots, periodAttempts, slotIndex),
      retention: describeRetention(config.retention),
    },
    databases,
    drills: periodDrills
      .map((drill) => ({
        cluster: context.index,
        database: drill.database,
        label: drill.label,
        startedAt: Math.round(Date.parse(drill.startedAt) / 1000),
        durationSeconds: drill.durationSeconds,
        state: drill.state,
        reason: drill.reason,
        tableCount: drill.tableCount,
        rowCount: drill.rowCount,
        scratchDropped: drill.scratchDropped,
        ...(drillPointKind(drill) === 'chain'
          ? {
              pointKind: 'chain' as const,
              ...(drill.fullLabel === undefined ? {} : { fullLabel: drill.fullLabel }),
            }
          : {}),
      }))
      .sort((a, b) => a.startedAt - b.startedAt),
    uncovered: uncoveredDatabases({
      cluster: config.name,
      config,
      incidents,
      catalogDatabases: [...new Set(periodAttempts.map((attempt) => attempt.database))],
    }),
    pinned,
    removals,
    drillsTruncated:
      drills.length >= 500 && oldestDrill !== undefined && Date.parse(oldestDrill.startedAt) > period.fromMs,
  };
}

function notes(request: ReportRequest, period: ReportPeriod, truncatedDrills: readonly string[]): string[] {
  const lines = [
    `Days are cut in ${period.timeZone}; each cell is one database on one day, coloured by its worst outcome that day.`,
    'Paused: a slot a run found paused (each such run records its slot), or a slot a pause the catalog still holds covered.',
    'Missed: a slot of an enabled schedule that selects the database, after its grace, for which the catalog holds no ' +
      'attempt and no pause: derived from the schedule’s cron slots while the database was being backed up (between ' +
      'its first and last attempt, or while the whole schedule recorded nothing). The schedule did not fire, the run ' +
      'failed before reaching any database, or the run did not reach this one.',
    'Slots whose grace has not passed by the end of the period are not judged yet.',
    'The recovery point is the age of the newest verified snapshot at each instant (taken at the backup’s start, ' +
      'restorable from its finish); a snapshot later found lost never counts. The objective is the age at which the ' +
      'freshness check calls a database late: the longest gap between its slots plus the grace.',
    'Size anomalies are judged as each run judges them (the median of the earlier FINISHED sizes), with the ' +
      `${LOOKBACK_DAYS} days before the period as history.`,
    'Retention shows what a prune would remove now; restores and drills holding a snapshot are not known here.',
  ];
  if (request.clusters.length === 0) lines.push('The configuration selects no cluster.');
  for (const cluster of truncatedDrills) {
    lines.push(
      `Cluster ${cluster}: only the newest 500 drills were read; earlier drills of the period are left out.`,
    );
  }
  return lines;
}

/** Collects the report's data. */
export async function collectReportData(request: ReportRequest, deps: ReportDeps): Promise<ReportData> {
  const nowMs = deps.clock.now();
  const period = reportPeriod({
    untilMs: request.until?.getTime() ?? nowMs,
    days: request.days,
    sinceMs: request.since?.getTime(),
    timeZone: request.timeZone ?? 'UTC',
  });
  const strings = new StringTable();
  const parts: ClusterPart[] = [];
  for (const [index, config] of request.clusters.entries()) {
    parts.push(await collectCluster({ index, config, period, nowMs, strings }, deps));
  }
  const coverage: ReportCoverage = {
    uncovered: parts.flatMap((part) => part.uncovered),
    pinned: parts.flatMap((part) => part.pinned),
    removals: parts.flatMap((part) => part.removals),
    withoutRetention: request.clusters
      .filter((cluster) => cluster.retention === undefined)
      .map((cluster) => cluster.name),
  };
  return {
    version: REPORT_DATA_VERSION,
    title: request.title ?? 'StarRocks backups',
    generatedAt: new Date(nowMs).toISOString(),
    timeZone: period.timeZone,
    period: {
      from: new Date(period.fromMs).toISOString(),
      to: new Date(period.toMs).toISOString(),
      firstDay: period.firstDay,
      days: period.days,
    },
    clusters: parts.map((part) => part.cluster),
    databases: parts.flatMap((part) => part.databases),
    strings: strings.values,
    drills: parts.flatMap((part) => part.drills),
    coverage,
    notes: notes(
      request,
      period,
      parts.filter((part) => part.drillsTruncated).map((part) => part.cluster.name),
    ),
  };
}
