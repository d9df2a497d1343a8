/**
 * Estimates when a running backup will end, from the durations of earlier backups of the same database
 * and from StarRocks' upload progress. Pure arithmetic; the poll policy aims its checks at the result.
 */

/** Done/total upload tasks, summed over SHOW BACKUP's `Progress` column (`[taskId: done/total], …`). */
export interface UploadProgress {
  done: number;
  total: number;
}

/** What the estimate is built from. */
export interface FinishEstimateInput {
  /** Seconds since we submitted the backup (our clock, never the FE's CreateTime). */
  elapsedSeconds: number;
  /** StarRocks' job state from SHOW BACKUP (PENDING, SNAPSHOTING, UPLOADING, SAVE_META, …), if known. */
  state?: string | undefined;
  /** Upload progress; only read while the state is UPLOADING (or unknown). */
  progress?: UploadProgress | null | undefined;
  /** Durations in seconds of earlier FINISHED backups of the same database, newest first. */
  historySeconds?: readonly number[] | undefined;
}

/** Knobs of the estimate. */
export interface FinishEstimateTuning {
  /** How many of the newest durations the median is taken over. */
  historySampleSize: number;
  /** Below this done/total fraction the progress says too little to extrapolate from. */
  minProgressFraction: number;
}

/** Defaults: the median of the last 7 durations; progress is used from 1% done. */
export const DEFAULT_FINISH_ESTIMATE_TUNING: FinishEstimateTuning = {
  historySampleSize: 7,
  minProgressFraction: 0.01,
};

/** States after the upload: only small metadata files remain to be written. */
const FINISHING_STATES: ReadonlySet<string> = new Set(['SAVE_META', 'UPLOAD_INFO']);

/**
 * The median of the newest `sampleSize` usable durations (finite and positive), or `undefined` when
 * there are none. A median, because one unusually slow night (or an adopted, instant one) must not
 * move the aim.
 */
export function medianOfRecentDurations(
  historySeconds: readonly number[] | undefined,
  sampleSize: number,
): number | undefined {
  if (!historySeconds) return undefined;
  const usable = historySeconds
    .filter((seconds) => Number.isFinite(seconds) && seconds > 0)
    .slice(0, Math.max(1, Math.floor(sampleSize)))
    .sort((a, b) => a - b);
  if (usable.length === 0) return undefined;
  const middle = Math.floor(usable.length / 2);
  const upper = usable[middle] as number;
  return usable.length % 2 === 1 ? upper : ((usable[middle - 1] as number) + upper) / 2;
}

/**
 * The fraction of upload tasks done, or `undefined` when the progress cannot be read in this state.
 * Progress only means something while UPLOADING; other states carry no (or a stale) Progress column.
 */
export function uploadFraction(
  state: string | undefined,
  progress: UploadProgress | null | undefined,
): number | undefined {
  if (!progress) return undefined;
  if (state !== undefined && state.toUpperCase() !== 'UPLOADING') return undefined;
  const { done, total } = progress;
  if (!Number.isFinite(done) || !Number.isFinite(total) || total <= 0 || done < 0) return undefined;
  return Math.min(1, done / total);
}

/**
 * The estimated total duration of the running backup in seconds (measured from submission), or
 * `undefined` when nothing is known.
 *
 * - SAVE_META / UPLOAD_INFO, or every upload task done: the end is imminent, the estimate is `elapsed`.
 * - Progress `q = done/total ≥ minProgressFraction` while UPLOADING: `elapsed / q` (linear extrapolation).
 * - History: the median of the newest durations.
 * - Both: weighted by how far the upload is, `q·progressEstimate + (1−q)·historyEstimate`, so early, noisy
 *   progress leans on history and late progress trusts itself.
 */
export function estimateFinishSeconds(
  input: FinishEstimateInput,
  tuning: FinishEstimateTuning = DEFAULT_FINISH_ESTIMATE_TUNING,
): number | undefined {
  const elapsed = Math.max(0, Number.isFinite(input.elapsedSeconds) ? input.elapsedSeconds : 0);
  if (input.state !== undefined && FINISHING_STATES.has(input.state.toUpperCase())) return elapsed;

  const fromHistory = medianOfRecentDurations(input.historySeconds, tuning.historySampleSize);
  const fraction = uploadFraction(input.state, input.progress);
  if (fraction !== undefined && fraction >= 1) return elapsed;
  const fromProgress =
    fraction !== undefined && fraction >= tuning.minProgressFraction && elapsed > 0
      ? elapsed / fraction
      : undefined;

  if (fromProgress !== undefined && fromHistory !== undefined) {
    const weight = fraction as number;
    return weight * fromProgress + (1 - weight) * fromHistory;
  }
  return fromProgress ?? fromHistory;
}
