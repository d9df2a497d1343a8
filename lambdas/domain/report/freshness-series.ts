/**
 * The recovery point a database actually had over the period: at every instant, the age of its newest verified
 * snapshot that existed then (taken at the backup's start, available from its finish). Pure.
 *
 * The objective is the age at which the freshness check would call the database late: the longest gap between two
 * slots of the schedules that select it, plus the grace (a snapshot of one slot is still fresh until the next slot's
 * grace has passed).
 */

/** A verified snapshot: when its data was captured and when it could first be restored (epoch ms). */
export interface GoodSnapshotTimes {
  readonly takenAtMs: number;
  readonly availableAtMs: number;
}

/** What {@link freshnessOverPeriod} measures. */
export interface FreshnessSeriesRequest {
  /** Every verified snapshot of the database read (before and during the period), any order. */
  readonly snapshots: readonly GoodSnapshotTimes[];
  readonly fromMs: number;
  readonly toMs: number;
  /** Null when no schedule selects the database (then nothing is over it). */
  readonly objectiveSeconds: number | null;
  /** The report day of an instant. */
  readonly dayOf: (epochMs: number) => number;
  readonly days: number;
}

/** The database's recovery point over the period. */
export interface FreshnessSeries {
  /** The newest snapshot available at the start of the period, if any. */
  readonly seed: GoodSnapshotTimes | null;
  readonly worstAgeSeconds: number | null;
  readonly overObjectiveSeconds: number;
  readonly currentAgeSeconds: number | null;
  /** Report days (ascending) on which the age was above the objective at some instant. */
  readonly overDays: readonly number[];
}

/** The objective: the longest gap between consecutive slots plus the grace; null without slots. */
export function objectiveSeconds(slotsMs: readonly number[], graceSeconds: number): number | null {
  const sorted = [...new Set(slotsMs)].sort((a, b) => a - b);
  let gap = 0;
  for (let index = 1; index < sorted.length; index += 1) {
    gap = Math.max(gap, (sorted[index] as number) - (sorted[index - 1] as number));
  }
  return gap === 0 ? null : Math.round(gap / 1000 + graceSeconds);
}

/** Measures the recovery point over [fromMs, toMs). */
export function freshnessOverPeriod(request: FreshnessSeriesRequest): FreshnessSeries {
  const { fromMs, toMs, objectiveSeconds: objective } = request;
  const ordered = [...request.snapshots].sort((a, b) => a.availableAtMs - b.availableAtMs);
  let newest: GoodSnapshotTimes | null = null;
  let index = 0;
  while (index < ordered.length && (ordered[index] as GoodSnapshotTimes).availableAtMs <= fromMs) {
    const snapshot = ordered[index] as GoodSnapshotTimes;
    if (newest === null || snapshot.takenAtMs > newest.takenAtMs) newest = snapshot;
    index += 1;
  }
  const seed = newest;
  let worst: number | null = null;
  let over = 0;
  const overDays = new Set<number>();
  let segmentStart = fromMs;
  const closeSegment = (endMs: number) => {
    if (newest === null || endMs <= segmentStart) return;
    const ageAtEnd = (endMs - newest.takenAtMs) / 1000;
    worst = Math.max(worst ?? 0, ageAtEnd);
    if (objective === null) return;
    const overFrom = Math.max(segmentStart, newest.takenAtMs + objective * 1000);
    if (overFrom >= endMs) return;
    over += (endMs - overFrom) / 1000;
    const lastDay = Math.min(request.dayOf(endMs - 1), request.days - 1);
    for (let day = Math.max(request.dayOf(overFrom), 0); day <= lastDay; day += 1) overDays.add(day);
  };
  for (; index < ordered.length; index += 1) {
    const snapshot = ordered[index] as GoodSnapshotTimes;
    if (snapshot.availableAtMs >= toMs) break;
    if (newest !== null && snapshot.takenAtMs <= newest.takenAtMs) continue;
    closeSegment(snapshot.availableAtMs);
    newest = snapshot;
    segmentStart = snapshot.availableAtMs;
  }
  closeSegment(toMs);
  const finalSnapshot: GoodSnapshotTimes | null = newest;
  return {
    seed,
    worstAgeSeconds: worst === null ? null : Math.round(worst),
    overObjectiveSeconds: Math.round(over),
    currentAgeSeconds: finalSnapshot === null ? null : Math.round((toMs - finalSnapshot.takenAtMs) / 1000),
    overDays: [...overDays].sort((a, b) => a - b),
  };
}
