/**
 * What the policy can say about when a running backup will end: an estimate (from the durations of earlier
 * backups of the same database and from StarRocks' upload progress) and a lower bound (from StarRocks' states).
 * Pure arithmetic; the poll policy aims its checks at the estimate and polls sparsely before the lower bound.
 *
 * Times are seconds since we submitted the backup (our clock, never the FE's CreateTime).
 */
import {
  FINISHING_STATES,
  isStateIn,
  MIN_RATE_SEGMENT_FRACTION,
  type ObservedSeconds,
  PRE_UPLOAD_STATES,
  type ProgressReading,
  type UploadProgress,
} from './observations.ts';

/** What the estimate is built from. */
export interface FinishEstimateInput {
  /** Seconds since we submitted the backup. */
  elapsedSeconds: number;
  /** StarRocks' job state from SHOW BACKUP (PENDING, SNAPSHOTING, UPLOADING, SAVE_META, …), if known. */
  state?: string | undefined;
  /** Upload progress from the last SHOW BACKUP; only read while the state is UPLOADING (or unknown). */
  progress?: UploadProgress | null | undefined;
  /** Durations in seconds of earlier FINISHED backups of the same database, newest first. */
  historySeconds?: readonly number[] | undefined;
  /** What earlier checks saw (CheckBackup's `$.job.observed`). */
  observed?: ObservedSeconds | undefined;
}

/** Knobs of the estimate, and the assumption the lower bound rests on. */
export interface FinishEstimateTuning {
  /** How many of the newest durations the median is taken over. */
  historySampleSize: number;
  /** How much of the upload (done/total) must have been watched before its rate is extrapolated. */
  minProgressFraction: number;
  /**
   * ASSUMPTION: the part of a backup after its pre-upload states (the upload, then the metadata) lasts at
   * least this many times as long as the pre-upload part did. In StarRocks a snapshot is a set of hard
   * links each BE makes for its tablets, while the upload copies the very same files to the repository, so
   * the upload is the longer part on any real cluster; 0.5 asks only that it take half as long. A job seen
   * in a pre-upload state at `t` therefore cannot end before `(1 + ratio)·t`. A job that breaks this
   * assumption is noticed at most `ratio`·(its pre-upload time) late.
   */
  postUploadToPreUploadRatio: number;
}

/** Defaults: the median of the last 7 durations; a rate once 1 % of the upload was watched; ratio 0.5. */
export const DEFAULT_FINISH_ESTIMATE_TUNING: FinishEstimateTuning = {
  historySampleSize: 7,
  // The same floor the observations use for the fastest segment, so every rate the estimate reads is alike.
  minProgressFraction: MIN_RATE_SEGMENT_FRACTION,
  postUploadToPreUploadRatio: 0.5,
};

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
 * When the upload will end, extrapolating its rate: `now + (1 − q)·(now − t₀)/(q − q₀)` from an earlier
 * reading `(t₀, q₀)`. Two readings are tried, and the earlier end wins: the first Progress seen while
 * uploading (the average rate; measuring from it rather than from submission leaves the pre-upload states
 * out, and the part of the upload done before we looked) and the previous check's (the recent rate, so a job
 * that resumes after a stall is not judged by its stalled average), and the fastest rate any two consecutive
 * readings showed (a stall that began or ended between two checks slows both others down without showing
 * itself). A rate needs `minProgressFraction` of the upload between the readings.
 *
 * No estimate while the Progress has not moved since the previous check (a stalled upload says nothing about
 * when it will resume), nor once the column stops being the same count: StarRocks lists the upload tasks a
 * BE has reported on and drops each one as it finishes (BackupHandler.report,
 * BackupJob.finishSnapshotUploadTask), so on clusters with one upload task per tablet the column shows the
 * tasks in flight, not the whole upload, and its total moves. The total must stay what it was at the first
 * reading and `done` must not go back.
 *
 * Returns the end and how much of the upload (since the first reading) was watched, or `undefined`.
 */
export function uploadEndFromProgress(
  input: FinishEstimateInput,
  tuning: FinishEstimateTuning = DEFAULT_FINISH_ESTIMATE_TUNING,
): { seconds: number; watchedFraction: number } | undefined {
  const first = input.observed?.uploadFirst;
  const previous = input.observed?.uploadPrevious;
  const progress = input.progress;
  const fraction = uploadFraction(input.state, progress);
  if (!first || !progress || fraction === undefined) return undefined;
  const sameCount = (reading: ProgressReading) =>
    reading.total === progress.total && reading.done <= progress.done;
  if (!sameCount(first) || (previous !== undefined && !sameCount(previous))) return undefined;
  if (fraction >= 1) return { seconds: input.elapsedSeconds, watchedFraction: 1 };
  if (input.observed?.uploadStalled || (previous !== undefined && previous.done === progress.done))
    return undefined;

  const endFrom = (reading: ProgressReading): number | undefined => {
    const watched = fraction - reading.done / reading.total;
    const seconds = input.elapsedSeconds - reading.elapsedSeconds;
    if (watched < tuning.minProgressFraction || !(seconds > 0)) return undefined;
    return input.elapsedSeconds + ((1 - fraction) * seconds) / watched;
  };
  const fastest = input.observed?.uploadFastestPerSecond;
  const endAtFastest =
    fastest !== undefined && Number.isFinite(fastest) && fastest > 0
      ? input.elapsedSeconds + (1 - fraction) / fastest
      : undefined;
  const ends = [endFrom(first), previous && endFrom(previous), endAtFastest].filter(
    (end): end is number => end !== undefined,
  );
  if (ends.length === 0) return undefined;
  const firstFraction = first.done / first.total;
  return {
    seconds: Math.min(...ends),
    watchedFraction: firstFraction >= 1 ? 1 : (fraction - firstFraction) / (1 - firstFraction),
  };
}

/**
 * The estimated total duration of the running backup in seconds (measured from submission), or
 * `undefined` when nothing is known.
 *
 * - SAVE_META / UPLOAD_INFO, or every upload task done: only two small files remain, the job can end at
 *   any check: the estimate is `elapsed` (the policy polls densely), or the history's duration if that is
 *   later (it includes however long this database's metadata steps take).
 * - UPLOADING with a usable rate (see {@link uploadEndFromProgress}): the upload's end. Progress says nothing
 *   of the steps after it, which real StarRocks finishes within seconds; a longer tail is caught by the
 *   finishing-state rule above.
 * - History: the median of the newest durations.
 * - Both: history, moved later by progress when the upload alone will outlast it, weighted by how much of
 *   the upload the rate was measured over. An upload ending before the history's duration does not mean
 *   the job will: the metadata steps may fill the gap.
 */
export function estimateFinishSeconds(
  input: FinishEstimateInput,
  tuning: FinishEstimateTuning = DEFAULT_FINISH_ESTIMATE_TUNING,
): number | undefined {
  const elapsed = Math.max(0, Number.isFinite(input.elapsedSeconds) ? input.elapsedSeconds : 0);
  const fromHistory = medianOfRecentDurations(input.historySeconds, tuning.historySampleSize);
  const uploadDone = (uploadFraction(input.state, input.progress) ?? 0) >= 1;
  if (isStateIn(FINISHING_STATES, input.state) || uploadDone) return Math.max(elapsed, fromHistory ?? 0);

  const upload = uploadEndFromProgress({ ...input, elapsedSeconds: elapsed }, tuning);
  if (upload === undefined) return fromHistory;
  if (fromHistory === undefined) return upload.seconds;
  const weight = Math.min(1, Math.max(0, upload.watchedFraction));
  return fromHistory + weight * Math.max(0, upload.seconds - fromHistory);
}

/**
 * Whether the job can end at any check now: it is past its upload (SAVE_META, UPLOAD_INFO, or every upload
 * task done) and no history places its end later. The policy then polls at least as densely as both the
 * growth rule and the dense rule around an estimate.
 */
export function isEndImminent(
  input: FinishEstimateInput,
  tuning: FinishEstimateTuning = DEFAULT_FINISH_ESTIMATE_TUNING,
): boolean {
  const pastUpload =
    isStateIn(FINISHING_STATES, input.state) || (uploadFraction(input.state, input.progress) ?? 0) >= 1;
  if (!pastUpload) return false;
  const fromHistory = medianOfRecentDurations(input.historySeconds, tuning.historySampleSize);
  return !(fromHistory !== undefined && fromHistory > input.elapsedSeconds);
}

/**
 * The earliest the job can end by StarRocks' states, under the assumption documented on
 * {@link FinishEstimateTuning.postUploadToPreUploadRatio}: a job still before its upload at `t` (or last
 * seen so at `t`) cannot end before `(1 + ratio)·t`. `0` when the states say nothing.
 */
export function earliestFinishSeconds(
  input: FinishEstimateInput,
  tuning: FinishEstimateTuning = DEFAULT_FINISH_ESTIMATE_TUNING,
): number {
  const ratio = Math.max(0, tuning.postUploadToPreUploadRatio);
  const elapsed = Math.max(0, Number.isFinite(input.elapsedSeconds) ? input.elapsedSeconds : 0);
  const seenBefore = input.observed?.preUploadSeenSeconds;
  const lastPreUpload = isStateIn(PRE_UPLOAD_STATES, input.state)
    ? elapsed
    : seenBefore !== undefined && Number.isFinite(seenBefore)
      ? Math.max(0, Math.min(seenBefore, elapsed))
      : 0;
  return (1 + ratio) * lastPreUpload;
}
