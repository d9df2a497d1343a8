/**
 * What the poll policy remembers of a job between checks: the last time it was seen before its upload, and the
 * first and the two latest Progress readings while uploading. CheckBackup folds each SHOW BACKUP into this
 * record ($.job.observed) before it asks the policy for the next wait;
 * the simulation does the same, so both feed the policy alike. Times are in one unit chosen by the caller
 * (CheckBackup: epoch ms; the simulation: seconds since submission).
 *
 * StarRocks' backup states (backup/BackupJob.java, BackupJobState):
 * PENDING → SNAPSHOTING → UPLOAD_SNAPSHOT → UPLOADING → SAVE_META → UPLOAD_INFO → FINISHED.
 */
/** Done/total upload tasks, summed over SHOW BACKUP's `Progress` column (`[taskId: done/total], …`). */
export interface UploadProgress {
  done: number;
  total: number;
}

/** A Progress reading at an elapsed time. */
export interface ProgressReading extends UploadProgress {
  elapsedSeconds: number;
}

/** {@link JobObservations} in seconds since submission. */
export interface ObservedSeconds {
  /** The last check that saw the job in PENDING, SNAPSHOTING or UPLOAD_SNAPSHOT. */
  preUploadSeenSeconds?: number | undefined;
  /** The first UPLOADING check with a usable Progress column. */
  uploadFirst?: ProgressReading | undefined;
  /** The UPLOADING check with a usable Progress column before the current one. */
  uploadPrevious?: ProgressReading | undefined;
  /** The latest reading showed the same Progress as the one before it: the upload is stalled. */
  uploadStalled?: boolean | undefined;
  /** The fastest rate measured between two consecutive readings, as a fraction of the upload per second. */
  uploadFastestPerSecond?: number | undefined;
}

/**
 * Before the upload: PENDING waits for the first scheduler tick, SNAPSHOTING waits for the BEs' snapshot tasks
 * (hard links), UPLOAD_SNAPSHOT hands the upload tasks out in one tick. Every byte of data still has to go.
 */
export const PRE_UPLOAD_STATES: ReadonlySet<string> = new Set(['PENDING', 'SNAPSHOTING', 'UPLOAD_SNAPSHOT']);

/**
 * After the upload: SAVE_META writes the metadata and job-info files locally and UPLOAD_INFO uploads those two
 * small files (BackupJob.saveMetaInfo / uploadMetaAndJobInfoFile). The job can end at any tick from here.
 */
export const FINISHING_STATES: ReadonlySet<string> = new Set(['SAVE_META', 'UPLOAD_INFO']);

/** Progress at an instant. */
export interface ProgressMark extends UploadProgress {
  at: number;
}

/** Progress readings of checks that saw the job UPLOADING with a usable Progress column. */
export interface UploadMarks {
  /** The first such check: the upload's average rate is measured from here. */
  first: ProgressMark;
  /** The one before the latest: the recent rate is measured from here. */
  previous?: ProgressMark | undefined;
  /** The latest such check (after a fold, the check being made). */
  latest: ProgressMark;
  /**
   * The latest check saw the same Progress as the one before: the upload stalled. The next reading that
   * moves starts a new measurement, because the interval that ends it holds an unknown part of the stall.
   */
  stalled?: boolean | undefined;
  /**
   * The fastest rate seen between two consecutive readings that moved by at least
   * {@link MIN_RATE_SEGMENT_FRACTION} of the upload, as a fraction of the upload per time unit. Stalls only
   * slow a segment down, so this is the closest the readings come to the upload's running rate, and aiming
   * with it errs towards checking early.
   */
  fastest?: number | undefined;
  /**
   * The rate of the latest segment, not yet in `fastest`: a segment during which a stall began shows only as
   * a slow segment followed by a stalled reading, so a segment counts once the reading after it moved too.
   */
  pending?: number | undefined;
}

/** The smallest part of the upload (done/total) two readings must be apart for their rate to count. */
export const MIN_RATE_SEGMENT_FRACTION = 0.01;

/** What CheckBackup keeps for the policy ($.job.observed). */
export interface JobObservations {
  /** The last check that saw the job in a pre-upload state (its upload started after this). */
  preUploadSeenAt?: number | undefined;
  /** Progress readings while UPLOADING. */
  upload?: UploadMarks | undefined;
}

/** Whether `state` (SHOW BACKUP's State, any case) is one of `states`. */
export function isStateIn(states: ReadonlySet<string>, state: string | null | undefined): boolean {
  return state !== null && state !== undefined && states.has(state.toUpperCase());
}

function usable(progress: UploadProgress | null | undefined): progress is UploadProgress {
  return (
    progress !== null &&
    progress !== undefined &&
    Number.isFinite(progress.done) &&
    Number.isFinite(progress.total) &&
    progress.total > 0 &&
    progress.done >= 0
  );
}

/**
 * Folds one SHOW BACKUP observation (state and Progress at `at`) into the record. Pure; returns a new object
 * when something changed and the same one otherwise.
 */
export function observeJob(
  previous: JobObservations | undefined,
  state: string | null | undefined,
  progress: UploadProgress | null | undefined,
  at: number,
): JobObservations {
  const record: JobObservations = previous ?? {};
  if (isStateIn(PRE_UPLOAD_STATES, state)) return { ...record, preUploadSeenAt: at };
  if (state?.toUpperCase() !== 'UPLOADING' || !usable(progress)) return record;
  const mark: ProgressMark = { at, done: progress.done, total: progress.total };
  return { ...record, upload: nextUploadMarks(record.upload, mark) };
}

/**
 * The marks after one more reading. A reading that shows no movement marks a stall; the first one that moves
 * after a stall starts the measurement afresh (a rate across the stall would put the end far too late).
 */
function nextUploadMarks(upload: UploadMarks | undefined, mark: ProgressMark): UploadMarks {
  if (!upload) return { first: mark, latest: mark };
  const { latest } = upload;
  const sameCount = mark.total === latest.total;
  const stalledNow = sameCount && mark.done === latest.done;
  // The pending segment is dropped when this reading shows the stall it may have run into.
  const fastest = stalledNow ? upload.fastest : fastestRate(upload.fastest, upload.pending);
  // A segment that ends a stall holds an unknown part of it: its rate says nothing of the running rate.
  const pending = sameCount && !stalledNow && !upload.stalled ? segmentRate(latest, mark) : undefined;
  const kept = {
    ...(fastest === undefined ? {} : { fastest }),
    ...(pending === undefined ? {} : { pending }),
  };
  if (stalledNow) return { first: mark, latest: mark, stalled: true, ...kept };
  if (upload.stalled) return { first: mark, latest: mark, ...kept };
  return { first: upload.first, previous: latest, latest: mark, ...kept };
}

/** The upload's rate between two readings of the same count, when they are far enough apart to be read. */
function segmentRate(from: ProgressMark, to: ProgressMark): number | undefined {
  const moved = (to.done - from.done) / to.total;
  const span = to.at - from.at;
  return moved >= MIN_RATE_SEGMENT_FRACTION && span > 0 ? moved / span : undefined;
}

function fastestRate(known: number | undefined, segment: number | undefined): number | undefined {
  if (segment === undefined) return known;
  return known === undefined ? segment : Math.max(known, segment);
}

/** The job's observations as seconds since its submission (`unit` ms per second; the simulation uses 1). */
export function observedSeconds(
  observed: Readonly<JobObservations> | undefined,
  submittedAt: number,
  unit = 1000,
): ObservedSeconds {
  const since = (at: number) => (at - submittedAt) / unit;
  const reading = (mark: ProgressMark | undefined): ProgressReading | undefined =>
    mark && { elapsedSeconds: since(mark.at), done: mark.done, total: mark.total };
  const preUploadSeenAt = observed?.preUploadSeenAt;
  return {
    preUploadSeenSeconds: preUploadSeenAt === undefined ? undefined : since(preUploadSeenAt),
    uploadFirst: reading(observed?.upload?.first),
    uploadPrevious: reading(observed?.upload?.previous),
    uploadStalled: observed?.upload?.stalled === true,
    uploadFastestPerSecond:
      observed?.upload?.fastest === undefined ? undefined : observed.upload.fastest * unit,
  };
}
