/** Upload progress as the poll reads it from SHOW BACKUP's Progress column, shared by the observations and the estimate. */

/** Done/total upload tasks, summed over SHOW BACKUP's `Progress` column (`[taskId: done/total], …`). */
export interface UploadProgress {
  done: number;
  total: number;
}

/** A Progress reading at an elapsed time. */
export interface ProgressReading extends UploadProgress {
  elapsedSeconds: number;
}

/** The observations of a job (JobObservations in observations.ts) in seconds since submission. */
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
