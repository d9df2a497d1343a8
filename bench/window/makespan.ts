/**
 * §4 of `npm run bench`: the nightly window. 200 databases with heavy-tailed backup durations (log-normal: half
 * under 15 min, a tail of multi-hour jobs), run under a concurrency cap, started in listing order (today's) or
 * longest-expected-first from history estimates that are off by up to ±30 % (lambdas/domain/run-plan). The makespan is
 * compared with the lower bound no order can beat, max(longest job, total work / slots).
 */
import {
  estimateDurations,
  listScheduleMakespan,
  longestExpectedFirst,
  makespanLowerBound,
} from '#domain/run-plan/longest-first.ts';

/** The window benchmark's figures for one cap. */
export interface WindowRow {
  readonly slots: number;
  readonly databases: number;
  readonly trials: number;
  /** makespan / lower bound, listing order. */
  readonly listing: RatioStats;
  /** makespan / lower bound, longest expected first. */
  readonly longestFirst: RatioStats;
}

/** Mean, 95th percentile and worst of a ratio over the trials. */
export interface RatioStats {
  readonly mean: number;
  readonly p95: number;
  readonly worst: number;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same night on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Log-normal seconds with a 15 min median and sigma 1.5, capped at 24 h. */
function heavyTailedSeconds(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  const v = next();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(86_400, 900 * Math.exp(1.5 * normal));
}

function stats(ratios: number[]): RatioStats {
  const sorted = [...ratios].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, ratio) => sum + ratio, 0) / sorted.length;
  return {
    mean,
    p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN,
    worst: sorted.at(-1) ?? Number.NaN,
  };
}

/** Runs `trials` seeded nights of `databases` jobs under each cap. */
export function runWindowBench(
  options: { databases?: number; trials?: number; caps?: readonly number[] } = {},
): WindowRow[] {
  const databases = options.databases ?? 200;
  const trials = options.trials ?? 200;
  return (options.caps ?? [2, 4, 8]).map((slots) => {
    const listing: number[] = [];
    const longest: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const next = random(1000 * slots + trial);
      const names = Array.from({ length: databases }, (_, i) => `db_${String(i).padStart(4, '0')}`);
      const actual = new Map(names.map((name) => [name, heavyTailedSeconds(next)]));
      // History is off by up to ±30 % either way.
      const history = new Map(
        names.map((name) => [
          name,
          { durationSeconds: (actual.get(name) ?? 0) * (0.7 + 0.6 * next()), sizeBytes: null },
        ]),
      );
      const bound = makespanLowerBound([...actual.values()], slots);
      const inListing = names.map((name) => actual.get(name) ?? 0);
      const ordered = longestExpectedFirst(estimateDurations(names, history)).map(
        ({ database }) => actual.get(database) ?? 0,
      );
      listing.push(listScheduleMakespan(inListing, slots) / bound);
      longest.push(listScheduleMakespan(ordered, slots) / bound);
    }
    return { slots, databases, trials, listing: stats(listing), longestFirst: stats(longest) };
  });
}
