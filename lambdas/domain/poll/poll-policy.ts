/**
 * The poll policy: how long the BackupDatabase workflow waits before its next SHOW BACKUP.
 *
 * Step Functions bills per state transition and caps an execution's history, so a long backup must be
 * polled rarely; an alert at 3 a.m. must still come soon after the job ends. The policy spends a *lag
 * budget*: `r(τ)` is the longest we accept to notice an end that happens at elapsed time `τ`. The next
 * wait is the longest `w` such that every instant in `(t, t + w]` is checked within its budget,
 * `w ≤ r(τ)` for all `τ ∈ (t, t + w]`, so a job that ends at `τ` is seen at most `r(τ)` later.
 *
 * Without an estimate, `r(τ) = growthFraction·τ` (5%): the lag stays ≤ 5% of the duration, and a
 * 24 h backup takes about 120 checks. With an estimated total duration `E` (history or progress, see
 * finish-estimate.ts) the budget follows the estimate:
 *
 * - far before it, `τ < E/(1+degradeError)`: `farFraction·τ` (50%): an end this early is unlikely;
 * - approaching it, `τ < E/(1+windowError)`: `growthFraction·τ` (5%): the estimate may be off by ±30%;
 * - around it, `τ ≤ E/(1−windowError)`: `max(denseFloorSeconds, denseFraction·τ)` (120 s, 2%): the
 *   estimate is within ±10% (the window is 11% wide so that an error of exactly 10% is inside it);
 * - after it: `growthFraction·τ` (5%): the job overran its estimate, or stalled.
 *
 * Once the job is past its upload (SAVE_META, UPLOAD_INFO: two small files left) it can end at any check:
 * unless history places the end later, the budget is the tighter of the growth rule and the dense rule,
 * `min(growthFraction·τ, max(denseFloorSeconds, denseFraction·τ))`, so it never exceeds either guarantee.
 *
 * Before the earliest end StarRocks' states allow (a job still snapshotting has all its data to upload; see
 * `earliestFinishSeconds`), only a failure can end the job, and the budget is at least
 * `failureOnlyFraction·τ` (50%) whatever the zone.
 *
 * Every budget is clamped to [minSeconds, maxSeconds]; the wait is an integer (Wait's SecondsPath
 * rejects fractions) and never carries the next check more than `minSeconds` past the deadline.
 */
import {
  DEFAULT_FINISH_ESTIMATE_TUNING,
  earliestFinishSeconds,
  estimateFinishSeconds,
  type FinishEstimateTuning,
  isEndImminent,
} from './finish-estimate.ts';
import type { ObservedSeconds, UploadProgress } from './observations.ts';

/** What the policy knows when the workflow is about to wait. */
export interface PollPolicyInput {
  /** Seconds since we submitted the backup (our clock). Fractions are fine. */
  elapsedSeconds: number;
  /** The shortest wait (config `poll.minSeconds`). */
  minSeconds: number;
  /** The longest wait (config `poll.maxSeconds`). */
  maxSeconds: number;
  /** Our deadline in seconds since submission (the cluster's `timeoutSeconds`). */
  deadlineSeconds: number;
  /** StarRocks' job state from the last SHOW BACKUP, if known. */
  state?: string | undefined;
  /** Upload progress (done/total tasks) from the last SHOW BACKUP, if known. */
  progress?: UploadProgress | null | undefined;
  /** Durations in seconds of earlier FINISHED backups of the same database, newest first. */
  historySeconds?: readonly number[] | undefined;
  /** What earlier checks saw: the last pre-upload sighting and the first Progress while uploading. */
  observed?: ObservedSeconds | undefined;
}

/**
 * The policy's knobs; the defaults meet the design's targets (bench/poll-table.ts prints them).
 * Zones stay ordered only while `0 ≤ windowError < degradeError` and `windowError < 1`.
 */
export interface PollTuning extends FinishEstimateTuning {
  /** Budget as a fraction of elapsed time without an estimate, near it and after it. */
  growthFraction: number;
  /** Budget as a fraction of elapsed time far before the estimate. */
  farFraction: number;
  /** Budget as a fraction of elapsed time inside the window around the estimate. */
  denseFraction: number;
  /** The smallest budget inside the window, in seconds (a 2-minute lag is fine for any job). */
  denseFloorSeconds: number;
  /** Relative error of the estimate the dense window covers. */
  windowError: number;
  /** Relative error of the estimate below which the policy is still no sparser than the growth rule. */
  degradeError: number;
  /** Budget as a fraction of elapsed time while the states say the job cannot finish yet (only fail). */
  failureOnlyFraction: number;
}

/**
 * Defaults: 5% growth, 50% far, 2% (at least 120 s) within ±10% of the estimate, 5% within ±30%, 50% while
 * the job cannot finish yet.
 */
export const DEFAULT_POLL_TUNING: PollTuning = {
  ...DEFAULT_FINISH_ESTIMATE_TUNING,
  growthFraction: 0.05,
  farFraction: 0.5,
  denseFraction: 0.02,
  denseFloorSeconds: 120,
  windowError: 0.11,
  degradeError: 0.31,
  failureOnlyFraction: 0.5,
};

/** One stretch of elapsed time and the lag budget that applies in it (non-decreasing within the zone). */
interface BudgetZone {
  startSeconds: number;
  budgetAt: (elapsedSeconds: number) => number;
}

/**
 * The number of whole seconds to wait before the next check (≥ 1, in `[minSeconds, maxSeconds]`).
 * Pure: the same input always gives the same wait.
 */
export function nextPollSeconds(input: PollPolicyInput, tuning: PollTuning = DEFAULT_POLL_TUNING): number {
  const minSeconds = Number.isFinite(input.minSeconds) ? Math.max(1, Math.floor(input.minSeconds)) : 1;
  const maxSeconds = Number.isFinite(input.maxSeconds)
    ? Math.max(minSeconds, Math.floor(input.maxSeconds))
    : minSeconds;
  const elapsed =
    Number.isFinite(input.elapsedSeconds) && input.elapsedSeconds > 0 ? input.elapsedSeconds : 0;
  const clamp = (seconds: number): number => Math.min(maxSeconds, Math.max(minSeconds, seconds));

  const known = { ...input, elapsedSeconds: elapsed };
  const estimate = estimateFinishSeconds(known, tuning);
  const zones = withEarliestFinish(
    isEndImminent(known, tuning) ? imminentZones(tuning, clamp) : budgetZones(estimate, tuning, clamp),
    earliestFinishSeconds(known, tuning),
    (tau) => clamp(tuning.failureOnlyFraction * tau),
  );
  const wait = longestWaitWithinBudget(elapsed, zones);
  const whole = clamp(Math.floor(wait));

  if (!(input.deadlineSeconds > elapsed)) return minSeconds;
  // Land at (or just after) the deadline so CheckBackup notices the timeout at once.
  return Math.min(whole, Math.max(minSeconds, Math.ceil(input.deadlineSeconds - elapsed)));
}

/** The lag budget zones for an estimated duration (or the single growth zone without one). */
function budgetZones(
  estimateSeconds: number | undefined,
  tuning: PollTuning,
  clamp: (seconds: number) => number,
): BudgetZone[] {
  const growth = (tau: number): number => clamp(tuning.growthFraction * tau);
  if (estimateSeconds === undefined || !(estimateSeconds > 0)) return [{ startSeconds: 0, budgetAt: growth }];
  return [
    { startSeconds: 0, budgetAt: (tau) => clamp(tuning.farFraction * tau) },
    { startSeconds: estimateSeconds / (1 + tuning.degradeError), budgetAt: growth },
    {
      startSeconds: estimateSeconds / (1 + tuning.windowError),
      budgetAt: (tau) => clamp(Math.max(tuning.denseFloorSeconds, tuning.denseFraction * tau)),
    },
    { startSeconds: estimateSeconds / (1 - tuning.windowError), budgetAt: growth },
  ];
}

/** The one zone of a job that can end at any check: never looser than the growth or the dense rule. */
function imminentZones(tuning: PollTuning, clamp: (seconds: number) => number): BudgetZone[] {
  const budgetAt = (tau: number): number =>
    clamp(
      Math.min(tuning.growthFraction * tau, Math.max(tuning.denseFloorSeconds, tuning.denseFraction * tau)),
    );
  return [{ startSeconds: 0, budgetAt }];
}

/**
 * The zones with the failure-only budget laid under every zone before `earliestSeconds` (the larger of the
 * two applies there). Each merged zone lies within one original zone, so its budget still never decreases.
 */
function withEarliestFinish(
  zones: readonly BudgetZone[],
  earliestSeconds: number,
  failureOnly: (elapsedSeconds: number) => number,
): BudgetZone[] {
  if (!(earliestSeconds > 0)) return [...zones];
  const starts = [...new Set([...zones.map((zone) => zone.startSeconds), earliestSeconds])].sort(
    (a, b) => a - b,
  );
  return starts.map((startSeconds) => {
    const zone = zoneAt(zones, startSeconds);
    if (startSeconds >= earliestSeconds) return { startSeconds, budgetAt: zone.budgetAt };
    return { startSeconds, budgetAt: (tau) => Math.max(zone.budgetAt(tau), failureOnly(tau)) };
  });
}

/** The zone an instant falls in (zones are ordered by start; the first starts at 0). */
function zoneAt(zones: readonly BudgetZone[], elapsedSeconds: number): BudgetZone {
  let found = zones[0] as BudgetZone;
  for (const zone of zones) if (zone.startSeconds <= elapsedSeconds) found = zone;
  return found;
}

/**
 * The longest `w` with `w ≤ r(τ)` for every `τ ∈ (t, t + w]`. Within a zone the budget does not
 * decrease, so only the current instant and the start of each later zone the wait would reach can bind:
 * at each such start the wait either stops there or goes on with the smaller of the two budgets.
 */
function longestWaitWithinBudget(elapsed: number, zones: readonly BudgetZone[]): number {
  let current = 0;
  for (let index = 1; index < zones.length; index++) {
    if ((zones[index] as BudgetZone).startSeconds <= elapsed) current = index;
  }
  let wait = (zones[current] as BudgetZone).budgetAt(elapsed);
  for (const zone of zones.slice(current + 1)) {
    const distance = zone.startSeconds - elapsed;
    if (distance >= wait) break;
    wait = Math.max(distance, Math.min(wait, zone.budgetAt(zone.startSeconds)));
  }
  return wait;
}
