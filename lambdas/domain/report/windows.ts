/** The backup window of one slot: when its first job started, its last ended, and most jobs at once. Pure. */

/** One job of a slot: seconds from the slot to its start and end. */
export interface WindowJob {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** A slot's window. */
export interface BackupWindow {
  readonly firstStart: number;
  readonly lastEnd: number;
  readonly peak: number;
  readonly jobs: number;
}

/** The window of a slot's jobs; null without a job. A job ending when another starts does not overlap it. */
export function backupWindow(jobs: readonly WindowJob[]): BackupWindow | null {
  if (jobs.length === 0) return null;
  const edges: Array<readonly [number, number]> = [];
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const job of jobs) {
    const end = Math.max(job.endSeconds, job.startSeconds);
    edges.push([job.startSeconds, 1], [end, -1]);
    firstStart = Math.min(firstStart, job.startSeconds);
    lastEnd = Math.max(lastEnd, end);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  for (const [, change] of edges) {
    running += change;
    peak = Math.max(peak, running);
  }
  return { firstStart, lastEnd, peak: Math.max(peak, 1), jobs: jobs.length };
}
