/**
 * The order a run starts its databases in. With at most `maxConcurrentBackups` jobs at once, starting the longest
 * expected jobs first (LPT, longest processing time first) bounds the night's makespan to 4/3 of the optimum, and
 * in practice lands close to the lower bound max(longest job, total work / slots); listing order can leave one
 * large database to start last and stretch the whole window.
 */

/** What the catalog knows of a database's last good backup. */
export interface DatabaseHistory {
  /** Seconds the last measured backup took (null when it was adopted or not measured). */
  readonly durationSeconds: number | null;
  /** Bytes SHOW DATA reported at that backup. */
  readonly sizeBytes: number | null;
}

/** One database's expected duration and where the number comes from. */
export interface DurationEstimate {
  readonly database: string;
  /** Expected seconds; null when neither history nor size says anything. */
  readonly seconds: number | null;
  readonly source: 'history' | 'size' | 'unknown';
}

/**
 * Each database's expected duration: its last measured duration; else its size divided by the cluster's observed
 * rate (bytes per second over every database that has both); else unknown.
 */
export function estimateDurations(
  databases: readonly string[],
  history: ReadonlyMap<string, DatabaseHistory>,
  sizes: ReadonlyMap<string, number> = new Map(),
): DurationEstimate[] {
  const rate = observedRate(history);
  return databases.map((database) => {
    const known = history.get(database);
    if (known?.durationSeconds != null && known.durationSeconds > 0) {
      return { database, seconds: known.durationSeconds, source: 'history' };
    }
    const size = sizes.get(database) ?? known?.sizeBytes ?? null;
    if (size !== null && rate !== null) return { database, seconds: size / rate, source: 'size' };
    return { database, seconds: null, source: 'unknown' };
  });
}

/**
 * Longest expected first. A database nothing is known about goes first: guessing it short could leave the longest
 * job of the night to start last, guessing it long costs nothing. Ties keep listing (name) order.
 */
export function longestExpectedFirst(estimates: readonly DurationEstimate[]): DurationEstimate[] {
  return [...estimates].sort((a, b) => {
    const unknownFirst = Number(a.seconds !== null) - Number(b.seconds !== null);
    if (unknownFirst !== 0) return unknownFirst;
    const longer = (b.seconds ?? 0) - (a.seconds ?? 0);
    return longer !== 0 ? longer : a.database.localeCompare(b.database);
  });
}

/** Bytes per second over every database whose last backup has both a size and a measured duration. */
function observedRate(history: ReadonlyMap<string, DatabaseHistory>): number | null {
  let bytes = 0;
  let seconds = 0;
  for (const entry of history.values()) {
    if (entry.sizeBytes == null || entry.durationSeconds == null || entry.durationSeconds <= 0) continue;
    bytes += entry.sizeBytes;
    seconds += entry.durationSeconds;
  }
  return seconds > 0 && bytes > 0 ? bytes / seconds : null;
}

/**
 * The makespan of starting `durations` in this order on `slots` parallel slots, each job going to the slot that
 * frees first (what a run with a concurrency cap does). Used to measure the order, not by the run itself.
 */
export function listScheduleMakespan(durations: readonly number[], slots: number): number {
  const free = Array.from({ length: Math.max(1, slots) }, () => 0);
  for (const duration of durations) {
    let earliest = 0;
    for (let slot = 1; slot < free.length; slot++) {
      if ((free[slot] as number) < (free[earliest] as number)) earliest = slot;
    }
    free[earliest] = (free[earliest] as number) + duration;
  }
  return Math.max(...free);
}

/** The makespan no order can beat: max(longest job, total work / slots). */
export function makespanLowerBound(durations: readonly number[], slots: number): number {
  const total = durations.reduce((sum, duration) => sum + duration, 0);
  return Math.max(Math.max(0, ...durations), total / Math.max(1, slots));
}
