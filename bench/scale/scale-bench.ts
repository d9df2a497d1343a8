/** §3 Scale: synthesis, a nightly run of many databases, and lock contention. */
import { fileURLToPath } from 'node:url';
import type { ScaleResult } from '../report/results.ts';
import { formatCount } from '../report/table.ts';
import { runJsonChild } from '../support/child-process.ts';
import { startBenchTables } from '../support/local-tables.ts';
import { runWindowBench } from '../window/makespan.ts';
import { type LockBenchOptions, type LockBenchResult, runLockBench } from './lock-contention.ts';
import type { NightlyScaleOptions, NightlyScaleResult } from './nightly-run.ts';
import { runScheduleScale } from './schedule-scale.ts';
import type { SynthScaleResult } from './synth.ts';
import type { WideRunResult } from './wide-run.ts';

const NIGHTLY_MAIN = fileURLToPath(new URL('./nightly-main.ts', import.meta.url));
const WIDE_MAIN = fileURLToPath(new URL('./wide-main.ts', import.meta.url));
const SYNTH_MAIN = fileURLToPath(new URL('./synth-main.ts', import.meta.url));

/** The sizes of the full and the quick run. */
export const SCALE_SIZES = {
  full: {
    nightly: { clusters: 20, databasesPerCluster: 50, maxConcurrentBackups: 4 },
    wide: { databases: 10_000, maxConcurrentBackups: 8 },
    synthRuns: 5,
    locks: { contenders: 100, rounds: 5, keys: 1000, concurrency: 32, slotCapacity: 4 },
  },
  quick: {
    nightly: { clusters: 2, databasesPerCluster: 10, maxConcurrentBackups: 4 },
    wide: { databases: 300, maxConcurrentBackups: 4 },
    synthRuns: 1,
    locks: { contenders: 10, rounds: 2, keys: 50, concurrency: 8, slotCapacity: 4 },
  },
} as const satisfies Record<
  string,
  {
    nightly: NightlyScaleOptions;
    wide: { databases: number; maxConcurrentBackups: number };
    synthRuns: number;
    locks: LockBenchOptions;
  }
>;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Starts the nightly run in its own process; the promise never rejects (a failure becomes `{error}`). */
export function startNightlyScale(
  options: NightlyScaleOptions,
): Promise<NightlyScaleResult | { error: string }> {
  return runJsonChild<NightlyScaleResult>(
    NIGHTLY_MAIN,
    [String(options.clusters), String(options.databasesPerCluster), String(options.maxConcurrentBackups)],
    30 * 60_000,
  ).catch((error: unknown) => ({ error: message(error) }));
}

/** Runs the wide night (one cluster, many databases, children stubbed) in its own process. */
export function runWideScale(options: {
  databases: number;
  maxConcurrentBackups: number;
}): Promise<WideRunResult | { error: string }> {
  return runJsonChild<WideRunResult>(
    WIDE_MAIN,
    [String(options.databases), String(options.maxConcurrentBackups)],
    30 * 60_000,
  ).catch((error: unknown) => ({ error: message(error) }));
}

/** Synthesizes both configurations in a fresh process; a failure (cdk/ not ready) becomes `{error}`. */
export function runSynthScaleChild(runs: number): Promise<SynthScaleResult | { error: string }> {
  return runJsonChild<SynthScaleResult>(SYNTH_MAIN, [String(runs)], 15 * 60_000).catch((error: unknown) => ({
    error: message(error),
  }));
}

/**
 * Runs §3. When `nightly` is already running (started beside §1), synthesis and the lock benchmark run while it
 * finishes (each compares against a baseline measured in the same moment); otherwise the nightly run goes first.
 */
export async function runScaleBench(options: {
  quick: boolean;
  nightly?: Promise<NightlyScaleResult | { error: string }>;
  log?: (line: string) => void;
}): Promise<ScaleResult> {
  const log = options.log ?? (() => undefined);
  const sizes = options.quick ? SCALE_SIZES.quick : SCALE_SIZES.full;
  const besidePolling = options.nightly !== undefined;
  if (!besidePolling) {
    log(
      `§3 scale: nightly run of ${sizes.nightly.clusters * sizes.nightly.databasesPerCluster} databases over ${sizes.nightly.clusters} clusters`,
    );
  }
  const nightly = options.nightly ?? (await startNightlyScale(sizes.nightly));
  log(`§3 scale: synthesis 1 × 1 vs 20 × 3 (${sizes.synthRuns} runs each, fresh process)`);
  const synth = await runSynthScaleChild(sizes.synthRuns);
  const schedules = await runScheduleScale({ quick: options.quick, log });
  log(`§3 scale: lock contention (${sizes.locks.contenders} acquirers, ${sizes.locks.keys} keys)`);
  const tables = await startBenchTables();
  let locks: LockBenchResult;
  try {
    locks = await runLockBench(tables, sizes.locks);
  } finally {
    await tables.close();
  }
  if (besidePolling) log('§3 scale: waiting for the nightly run');
  const nightlyResult = await nightly;
  log(`§3 scale: one cluster of ${formatCount(sizes.wide.databases)} databases in lanes (children stubbed)`);
  const wide = await runWideScale(sizes.wide);
  log('§3 scale: the nightly window, listing order vs longest expected first (200 databases)');
  const window = runWindowBench({ trials: options.quick ? 20 : 200 });
  return {
    synth,
    schedules,
    nightly: nightlyResult,
    wide,
    window,
    locks,
    nightlyRanBesidePolling: besidePolling,
  };
}
