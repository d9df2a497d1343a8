/**
 * Freshness of a cluster's backups: for each database, its latest good snapshot, that snapshot's age, and whether
 * the schedules that should have produced a newer one are overdue.
 *
 * - `fresh`: the latest good snapshot belongs to the most recent expected slot, or a later one (or no enabled
 *   schedule expects anything of the database yet).
 * - `late`: an expected slot's grace period has passed and the latest good snapshot is older than that slot.
 * - `never`: no good snapshot at all.
 *
 * A slot is "expected" once its grace period is over: the expected slot of a schedule is its latest slot at or
 * before `now - grace`. The default grace is the cluster's `timeoutSeconds` (our own deadline for one backup):
 * until it passes, the slot's backup may still be running legitimately, so calling it late would be a false alarm.
 *
 * Pure: no I/O, time comes in as `now`. The CLI's `status` command and the deployed freshness checker share it.
 */
import { effectiveDatabaseFilters, previousSlot, selectDatabases } from '#domain/config/index.ts';

/** The verdict for one database. */
export type FreshnessState = 'fresh' | 'late' | 'never';

/** The schedule fields freshness reads. */
export interface FreshnessSchedule {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly enabled: boolean;
  readonly include?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
}

/** The cluster fields freshness reads. */
export interface FreshnessCluster {
  readonly name: string;
  readonly timeoutSeconds: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly schedules: readonly FreshnessSchedule[];
}

/** A database's latest good snapshot, as the catalog's latest-good pointer holds it. */
export interface GoodSnapshot {
  readonly database: string;
  readonly label: string;
  readonly schedule: string;
  /** The slot the snapshot was taken for, ISO 8601 UTC. */
  readonly scheduledTime: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** What to assess. */
export interface FreshnessRequest {
  readonly cluster: FreshnessCluster;
  /** The latest good snapshot of every database that has one (at most one per database). */
  readonly latestGood: readonly GoodSnapshot[];
  /** More databases to report even without a snapshot (e.g. those the FE has and a schedule selects). */
  readonly knownDatabases?: readonly string[] | undefined;
  /** Epoch ms. */
  readonly now: number;
  /** Defaults to {@link defaultGraceSeconds}. */
  readonly graceSeconds?: number | undefined;
  /** Only this schedule's expectations count (all enabled schedules when omitted). */
  readonly schedule?: string | undefined;
}

/** The verdict and its evidence for one database. */
export interface DatabaseFreshness {
  readonly database: string;
  readonly state: FreshnessState;
  /** Label of the latest good snapshot, or null. */
  readonly snapshot: string | null;
  /** The slot that snapshot was taken for. */
  readonly snapshotScheduledTime: string | null;
  /** When the data was captured: the backup's start (else its finish, else its slot). */
  readonly takenAt: string | null;
  /** Seconds from `takenAt` to `now`, or null without a snapshot. */
  readonly ageSeconds: number | null;
  /** The most recent slot whose grace period is over, over the schedules that select this database. */
  readonly expectedSlot: string | null;
  /** The schedule that slot belongs to. */
  readonly expectedSchedule: string | null;
  /** `expectedSlot` plus the grace period: from then on, a missing snapshot is late. */
  readonly expectedBy: string | null;
  /** Seconds past `expectedBy` when late, else null. */
  readonly lateBySeconds: number | null;
}

/** Freshness of one cluster. */
export interface FreshnessReport {
  readonly cluster: string;
  /** `now`, ISO 8601 UTC. */
  readonly evaluatedAt: string;
  readonly graceSeconds: number;
  /** By database name. */
  readonly databases: readonly DatabaseFreshness[];
}

/** The default grace period: the cluster's own deadline for one backup. */
export function defaultGraceSeconds(cluster: Pick<FreshnessCluster, 'timeoutSeconds'>): number {
  return cluster.timeoutSeconds;
}

/** The latest slot of `schedule` whose grace period has passed at `now`, or null when there is none yet. */
export function expectedSlot(schedule: FreshnessSchedule, now: number, graceSeconds: number): Date | null {
  return previousSlot(schedule, new Date(now - graceSeconds * 1000));
}

function selects(cluster: FreshnessCluster, schedule: FreshnessSchedule, database: string): boolean {
  return selectDatabases([database], effectiveDatabaseFilters(cluster, schedule)).selected.length > 0;
}

function takenAtOf(snapshot: GoodSnapshot): string {
  return snapshot.startedAt ?? snapshot.finishedAt ?? snapshot.scheduledTime;
}

function secondsBetween(fromIso: string, toMs: number): number {
  return Math.max(0, Math.floor((toMs - Date.parse(fromIso)) / 1000));
}

/**
 * Assesses every database that has a good snapshot or is listed in `knownDatabases`.
 * Throws `ConfigError` (from the cron evaluation) for a schedule with an invalid cron or time zone.
 */
export function assessFreshness(request: FreshnessRequest): FreshnessReport {
  const { cluster, now } = request;
  const graceSeconds = request.graceSeconds ?? defaultGraceSeconds(cluster);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new RangeError(`graceSeconds must be a non-negative number, got ${graceSeconds}`);
  }
  const schedules = cluster.schedules.filter(
    (schedule) => schedule.enabled && (request.schedule === undefined || schedule.name === request.schedule),
  );
  const slots = new Map(schedules.map((schedule) => [schedule, expectedSlot(schedule, now, graceSeconds)]));

  const latest = new Map<string, GoodSnapshot>();
  for (const snapshot of request.latestGood) {
    const known = latest.get(snapshot.database);
    if (!known || known.scheduledTime < snapshot.scheduledTime) latest.set(snapshot.database, snapshot);
  }
  const names = [...new Set([...latest.keys(), ...(request.knownDatabases ?? [])])].sort();

  const databases = names.map((database): DatabaseFreshness => {
    let expected: { slot: Date; schedule: string } | null = null;
    for (const schedule of schedules) {
      const slot = slots.get(schedule);
      if (!slot || !selects(cluster, schedule, database)) continue;
      if (expected === null || slot.getTime() > expected.slot.getTime()) {
        expected = { slot, schedule: schedule.name };
      }
    }
    const snapshot = latest.get(database);
    const expectedBy = expected === null ? null : expected.slot.getTime() + graceSeconds * 1000;
    let state: FreshnessState;
    if (snapshot === undefined) state = 'never';
    else if (expected === null) state = 'fresh';
    else state = Date.parse(snapshot.scheduledTime) >= expected.slot.getTime() ? 'fresh' : 'late';
    const takenAt = snapshot === undefined ? null : takenAtOf(snapshot);
    return {
      database,
      state,
      snapshot: snapshot?.label ?? null,
      snapshotScheduledTime: snapshot?.scheduledTime ?? null,
      takenAt,
      ageSeconds: takenAt === null ? null : secondsBetween(takenAt, now),
      expectedSlot: expected?.slot.toISOString() ?? null,
      expectedSchedule: expected?.schedule ?? null,
      expectedBy: expectedBy === null ? null : new Date(expectedBy).toISOString(),
      lateBySeconds:
        state !== 'fresh' && expectedBy !== null ? Math.max(0, Math.floor((now - expectedBy) / 1000)) : null,
    };
  });

  return { cluster: cluster.name, evaluatedAt: new Date(now).toISOString(), graceSeconds, databases };
}
