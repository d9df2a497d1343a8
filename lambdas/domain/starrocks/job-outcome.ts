import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import type { BackupJob } from './parse-backup-job.ts';

/**
 * The outcome of a job StarRocks itself ended: its own timeout ends a job with `[TIMEOUT, msg: ]`, which is
 * TIMED_OUT; any other status is FAILED (fe/fe-core/src/main/java/com/starrocks/backup/BackupJob.java `run`,
 * the timeout check, and `cancelInternal`).
 */
export function cancelledOutcome(job: BackupJob): { state: BackupOutcomeState; reason: string } {
  const taskErrors = job.taskErrMsg.trim();
  const reason = taskErrors ? `${job.status.raw} ${taskErrors}` : job.status.raw;
  return { state: job.status.code === 'TIMEOUT' ? 'TIMED_OUT' : 'FAILED', reason };
}
