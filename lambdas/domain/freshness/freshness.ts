/**
 * Freshness of a cluster's backups: for each database, its latest good snapshot, that snapshot's age, and whether
 * the schedules that should have produced a newer one are overdue.
 *
 * - `fresh`: the latest good snapshot belongs to the most recent expected slot, or a later one (or no enabled
 *   schedule expects anything of the database yet).
 * - `late`: an expected slot's grace period has passed and the latest good snapshot is older than that slot.
 * - `never`: no good snapshot at all.
 *
 * A slot is "expected" of a database once the slot's time plus the database's expected backup duration plus a grace
 * has passed: the expected duration is the p95 of its recent successful backups (the history), else the cluster's
 * `timeoutSeconds` (our own deadline for one backup); the grace defaults to one hour. A nightly at 02:00 whose
 * backups take at most an hour is late from 04:00 the same morning, not a day later.
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
  /**
   * A later slot a differential schedule found the database unchanged at (SKIPPED `unchanged`): the snapshot holds
   * that slot's data too.
   */
  readonly unchangedThrough?: string | undefined;
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
  /** Seconds after a slot's expected end before a missing snapshot is late; {@link DEFAULT_GRACE_SECONDS} by default. */
  readonly graceSeconds?: number | undefined;
  /**
   * A database's expected backup duration in seconds (see {@link expectedDurationOf}); where it gives undefined (or
   * is left out) the cluster's `timeoutSeconds` is allowed.
   */
  readonly expectedDurations?: ((database: string) => number | undefined) | undefined;
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
  /** The most recent slot whose expected end plus grace is over, over the schedules that select this database. */
  readonly expectedSlot: string | null;
  /** The backup duration the verdict allowed for: the history's p95, else the cluster's timeoutSeconds. */
  readonly expectedDurationSeconds: number;
  /** The schedule that slot belongs to. */
  readonly expectedSchedule: string | null;
  /** `expectedSlot` plus the expected duration plus the grace: from then on, a missing snapshot is late. */
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

/** The default grace after a slot's expected end: one hour. */
export const DEFAULT_GRACE_SECONDS = 3600;

/** How many of a database's newest successful backup durations its expected duration is taken from. */
export const EXPECTED_DURATION_SAMPLE = 20;

/**
 * A database's expected backup duration: the 95th percentile (nearest rank) of `durations` (its recent successful
 * backups, in seconds), or the cluster's `timeoutSeconds` without any history.
 */
export function expectedDurationOf(
  durations: readonly number[],
  cluster: Pick<FreshnessCluster, 'timeoutSeconds'>,
): number {
  const known = durations.filter((seconds) => Number.isFinite(seconds) && seconds >= 0).sort((a, b) => a - b);
  if (known.length === 0) return cluster.timeoutSeconds;
  return known[Math.ceil(0.95 * known.length) - 1] as number;
}

/** The latest slot of `schedule` that ended `delaySeconds` ago or earlier at `now`, or null when there is none. */
export function expectedSlot(schedule: FreshnessSchedule, now: number, delaySeconds: number): Date | null {
  return previousSlot(schedule, new Date(now - delaySeconds * 1000));
}

/**
 * The databases of `request` that have no good snapshot of the latest slot at or before `now` (no allowance): the
 * only ones whose expected duration can change the verdict, so a caller reads the history of these alone.
 */
export function databasesBehindLatestSlot(request: Omit<FreshnessRequest, 'expectedDurations'>): string[] {
  const report = assessFreshness({ ...request, graceSeconds: 0, expectedDurations: () => 0 });
  return report.databases.filter((entry) => entry.state !== 'fresh').map((entry) => entry.database);
}

function selects(cluster: FreshnessCluster, schedule: FreshnessSchedule, database: string): boolean {
  return selectDatabases([database], effectiveDatabaseFilters(cluster, schedule)).selected.length > 0;
}

/** The latest slot whose data the snapshot holds: its own, or a later one found unchanged since. */
function coveredThrough(snapshot: GoodSnapshot): string {
  const unchanged = snapshot.unchangedThrough;
  return unchanged !== undefined && unchanged > snapshot.scheduledTime ? unchanged : snapshot.scheduledTime;
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
  const graceSeconds = request.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new RangeError(`graceSeconds must be a non-negative number, got ${graceSeconds}`);
  }
  const schedules = cluster.schedules.filter(
    (schedule) => schedule.enabled && (request.schedule === undefined || schedule.name === request.schedule),
  );
  const durationOf = (database: string) => request.expectedDurations?.(database) ?? cluster.timeoutSeconds;
  // Databases share few distinct allowances (one per p95 value), so slots are computed once per allowance.
  const slotCache = new Map<string, Date | null>();
  const slotOf = (schedule: FreshnessSchedule, delaySeconds: number) => {
    const key = `${schedule.name}\u0000${delaySeconds}`;
    if (!slotCache.has(key)) slotCache.set(key, expectedSlot(schedule, now, delaySeconds));
    return slotCache.get(key) ?? null;
  };

  const latest = new Map<string, GoodSnapshot>();
  for (const snapshot of request.latestGood) {
    const known = latest.get(snapshot.database);
    if (!known || known.scheduledTime < snapshot.scheduledTime) latest.set(snapshot.database, snapshot);
  }
  const names = [...new Set([...latest.keys(), ...(request.knownDatabases ?? [])])].sort();

  const databases = names.map((database): DatabaseFreshness => {
    const expectedDurationSeconds = durationOf(database);
    const allowanceSeconds = expectedDurationSeconds + graceSeconds;
    let expected: { slot: Date; schedule: string } | null = null;
    for (const schedule of schedules) {
      const slot = slotOf(schedule, allowanceSeconds);
      if (!slot || !selects(cluster, schedule, database)) continue;
      if (expected === null || slot.getTime() > expected.slot.getTime()) {
        expected = { slot, schedule: schedule.name };
      }
    }
    const snapshot = latest.get(database);
    const expectedBy = expected === null ? null : expected.slot.getTime() + allowanceSeconds * 1000;
    let state: FreshnessState;
    if (snapshot === undefined) state = 'never';
    else if (expected === null) state = 'fresh';
    else state = Date.parse(coveredThrough(snapshot)) >= expected.slot.getTime() ? 'fresh' : 'late';
    const takenAt = snapshot === undefined ? null : takenAtOf(snapshot);
    return {
      database,
      state,
      snapshot: snapshot?.label ?? null,
      snapshotScheduledTime: snapshot?.scheduledTime ?? null,
      takenAt,
      ageSeconds: takenAt === null ? null : secondsBetween(takenAt, now),
      expectedSlot: expected?.slot.toISOString() ?? null,
      expectedDurationSeconds,
      expectedSchedule: expected?.schedule ?? null,
      expectedBy: expectedBy === null ? null : new Date(expectedBy).toISOString(),
      lateBySeconds:
        state !== 'fresh' && expectedBy !== null ? Math.max(0, Math.floor((now - expectedBy) / 1000)) : null,
    };
  });

  return { cluster: cluster.name, evaluatedAt: new Date(now).toISOString(), graceSeconds, databases };
}

/** How many databases' histories are read at once (each is one or a few catalog queries). */
const HISTORY_READS_AT_ONCE = 8;

/**
 * The expected durations of `databases`, read from their recent successful backups (`recentDurations`, the
 * catalog's), as {@link FreshnessRequest.expectedDurations} takes them.
 */
export async function readExpectedDurations(
  cluster: Pick<FreshnessCluster, 'name' | 'timeoutSeconds'>,
  databases: readonly string[],
  recentDurations: (request: { cluster: string; database: string; limit: number }) => Promise<number[]>,
): Promise<(database: string) => number | undefined> {
  const durations = new Map<string, number>();
  for (let start = 0; start < databases.length; start += HISTORY_READS_AT_ONCE) {
    await Promise.all(
      databases.slice(start, start + HISTORY_READS_AT_ONCE).map(async (database) => {
        const history = await recentDurations({
          cluster: cluster.name,
          database,
          limit: EXPECTED_DURATION_SAMPLE,
        });
        durations.set(database, expectedDurationOf(history, cluster));
      }),
    );
  }
  return (database) => durations.get(database);
}
