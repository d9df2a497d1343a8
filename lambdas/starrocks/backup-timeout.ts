/**
 * StarRocks' own BACKUP `timeout` property, derived from our deadline.
 *
 * Our deadline (measured from submission by our clock) decides when a backup has run too long: CheckBackup
 * cancels it. StarRocks' timeout is only the safety net for when we are gone, so it is our deadline plus a
 * margin that covers the poll that notices the deadline and the CANCEL that follows. StarRocks' clock also starts
 * at submission (CreateTime), so the two durations line up. StarRocks wants whole seconds, at least 600.
 */
import { MIN_BACKUP_TIMEOUT_SECONDS } from './statements.ts';

/** Default margin past our deadline: long enough for a late poll, a CANCEL and its retries. */
export const DEFAULT_BACKUP_TIMEOUT_MARGIN_SECONDS = 1800;

/** Input of {@link backupTimeoutSeconds}. */
export interface BackupTimeoutInput {
  /** Our deadline for one database's backup, in seconds from submission (the cluster's `timeoutSeconds`). */
  readonly deadlineSeconds: number;
  /** How long past our deadline StarRocks waits before it cancels on its own. */
  readonly marginSeconds?: number;
}

/** Our deadline plus the margin, rounded up to whole seconds, never below StarRocks' minimum of 600. */
export function backupTimeoutSeconds({
  deadlineSeconds,
  marginSeconds = DEFAULT_BACKUP_TIMEOUT_MARGIN_SECONDS,
}: BackupTimeoutInput): number {
  if (!Number.isFinite(deadlineSeconds) || deadlineSeconds <= 0) {
    throw new RangeError(`deadlineSeconds must be a positive number, got ${deadlineSeconds}`);
  }
  if (!Number.isFinite(marginSeconds) || marginSeconds < 0) {
    throw new RangeError(`marginSeconds must be zero or more, got ${marginSeconds}`);
  }
  return Math.max(MIN_BACKUP_TIMEOUT_SECONDS, Math.ceil(deadlineSeconds + marginSeconds));
}
