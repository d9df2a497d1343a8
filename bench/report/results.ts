/** The shape of bench/results/latest.json. */
import type { BundlesBenchResult } from '../bundles/bundles-bench.ts';
import type { DifferentialBenchResult } from '../differential/differential-bench.ts';
import type { ReportBenchResult } from '../html-report/report-bench.ts';
import type { PollingBenchResult } from '../polling/polling-bench.ts';
import type { LockBenchResult } from '../scale/lock-contention.ts';
import type { NightlyScaleResult } from '../scale/nightly-run.ts';
import type { ScheduleScaleResult } from '../scale/schedule-scale.ts';
import type { SynthScaleResult } from '../scale/synth.ts';
import type { WideRunResult } from '../scale/wide-run.ts';
import type { MachineInfo } from '../support/machine.ts';
import type { WindowRow } from '../window/makespan.ts';

/** Bumped when the file's shape changes incompatibly. */
export const RESULTS_SCHEMA_VERSION = 2;

/** One benchmark's data, with when and where it was measured (`--only` re-measures one section). */
export interface Section<T> {
  readonly measuredAt: string;
  readonly machine: MachineInfo;
  readonly quick: boolean;
  readonly data: T;
}

/** §3's parts; synthesis may be missing when cdk/ could not synthesize. */
export interface ScaleResult {
  readonly synth: SynthScaleResult | { readonly error: string };
  /** Resources at synth for 1 / 100 / 2,000 clusters × schedules, both designs, and the schedule sync (issue 15 §3). */
  readonly schedules?: ScheduleScaleResult;
  readonly nightly: NightlyScaleResult | { readonly error: string };
  /** One cluster of 10,000 databases, children stubbed: the parent's and the lanes' figures (issue 15 §1). */
  readonly wide?: WideRunResult | { readonly error: string };
  /** The nightly window: makespan over its lower bound, listing order vs longest expected first (issue 15 §2). */
  readonly window?: readonly WindowRow[];
  readonly locks: LockBenchResult;
  /** The nightly run shared the machine with §1 (both are virtual-time; only its wall time is affected). */
  readonly nightlyRanBesidePolling: boolean;
}

/** bench/results/latest.json. */
export interface BenchResults {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly command: string;
  readonly polling?: Section<PollingBenchResult>;
  readonly bundles?: Section<BundlesBenchResult>;
  readonly scale?: Section<ScaleResult>;
  /** §4 the HTML report (issue 19). */
  readonly report?: Section<ReportBenchResult>;
  /** §5 differential backups (issue 20), computed from the planner over a synthetic database. */
  readonly differential?: Section<DifferentialBenchResult>;
}

/** Narrows a part that may have failed. */
export function succeeded<T extends object>(part: T | { readonly error: string }): part is T {
  return !('error' in part);
}
