/**
 * Runs a poll policy over a backup of known duration, in pure arithmetic (no timers), to count the checks
 * and measure how late the end is noticed. Used by the property tests and by bench/poll-table.ts.
 */
import type { UploadProgress } from '#domain/poll/observations.ts';
import { type JobObservations, observedSeconds, observeJob } from '#domain/poll/observations.ts';
import { nextPollSeconds, type PollPolicyInput } from '#domain/poll/poll-policy.ts';

/** A simulated backup and the policy's fixed inputs. */
export interface PollSimulationInput {
  /** When the simulated job ends, in seconds after submission. */
  durationSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** Our deadline; defaults to no deadline. A job longer than the deadline ends at the first check past it. */
  deadlineSeconds?: number | undefined;
  historySeconds?: readonly number[] | undefined;
  /** What SHOW BACKUP's Progress says at an elapsed time (defaults to nothing). */
  progressAt?: ((elapsedSeconds: number) => UploadProgress | null) | undefined;
  /** What SHOW BACKUP's State says at an elapsed time (defaults to unknown). */
  stateAt?: ((elapsedSeconds: number) => string | undefined) | undefined;
  /** The policy under test; defaults to {@link nextPollSeconds}. A fixed interval is `() => 60`. */
  policy?: ((input: PollPolicyInput) => number) | undefined;
  /** A safety stop for broken policies. */
  maxPolls?: number | undefined;
}

/** What the simulated workflow saw. */
export interface PollSimulationResult {
  /** Checks made, including the one that saw the end. */
  polls: number;
  /** Elapsed time of every check. */
  pollTimesSeconds: number[];
  /** Elapsed time of the check that saw the end. */
  detectedAtSeconds: number;
  /** `detectedAtSeconds − end` for this exact duration. */
  lagSeconds: number;
  /**
   * The length of the wait during which the job ended: the lag had it ended just after the previous
   * check, i.e. the worst lag for any end time within that wait.
   */
  worstLagSeconds: number;
  /** The longest wait before the end: the worst lag for an unexpected end (a failure) earlier on. */
  maxWaitSeconds: number;
  /** Whether the job finished, or our deadline ended it. */
  endedBy: 'finished' | 'deadline';
}

/**
 * Simulates the Wait → CheckBackup loop until a check at or after the job's end. Each check records what it
 * saw exactly as CheckBackup does ({@link observeJob}), so the policy is fed as in production.
 */
export function simulatePolling(input: PollSimulationInput): PollSimulationResult {
  const policy = input.policy ?? nextPollSeconds;
  const deadline = input.deadlineSeconds ?? Number.POSITIVE_INFINITY;
  const endsAt = Math.min(input.durationSeconds, deadline);
  const maxPolls = input.maxPolls ?? 1_000_000;
  const pollTimesSeconds: number[] = [];
  let elapsed = 0;
  let previous = 0;
  let maxWaitSeconds = 0;
  // SubmitBackup is followed by a Wait before the first check, so the first wait is computed at 0, before
  // anything was observed.
  let lastSeen: { state: string | undefined; progress: UploadProgress | null } = {
    state: undefined,
    progress: null,
  };
  let observed: JobObservations = {};
  while (pollTimesSeconds.length < maxPolls) {
    const wait = policy({
      elapsedSeconds: elapsed,
      minSeconds: input.minSeconds,
      maxSeconds: input.maxSeconds,
      deadlineSeconds: deadline,
      state: lastSeen.state,
      progress: lastSeen.progress,
      historySeconds: input.historySeconds,
      observed: observedSeconds(observed, 0, 1),
    });
    previous = elapsed;
    elapsed += wait;
    maxWaitSeconds = Math.max(maxWaitSeconds, wait);
    pollTimesSeconds.push(elapsed);
    if (elapsed >= endsAt) break;
    lastSeen = { state: input.stateAt?.(elapsed), progress: input.progressAt?.(elapsed) ?? null };
    observed = observeJob(observed, lastSeen.state, lastSeen.progress, elapsed);
  }
  return {
    polls: pollTimesSeconds.length,
    pollTimesSeconds,
    detectedAtSeconds: elapsed,
    lagSeconds: elapsed - endsAt,
    worstLagSeconds: elapsed - previous,
    maxWaitSeconds,
    endedBy: input.durationSeconds > deadline ? 'deadline' : 'finished',
  };
}

/** How a simulated backup moves through StarRocks' states. */
export interface LinearUploadModel {
  durationSeconds: number;
  /** Upload tasks in SHOW BACKUP's Progress (default 1000). */
  totalTasks?: number | undefined;
  /** Fraction of the duration spent in PENDING/SNAPSHOTING before the upload starts (default 0.02). */
  uploadStartFraction?: number | undefined;
  /** Fraction of the duration at which the last upload task is done (default 0.99). */
  uploadEndFraction?: number | undefined;
}

/**
 * A backup whose upload tasks complete at a steady rate: SNAPSHOTING, then UPLOADING with linear
 * progress, then UPLOAD_INFO until the end.
 */
export function linearUploadProgress(model: LinearUploadModel): {
  progressAt: (elapsedSeconds: number) => UploadProgress | null;
  stateAt: (elapsedSeconds: number) => string | undefined;
} {
  const total = model.totalTasks ?? 1000;
  const uploadStart = (model.uploadStartFraction ?? 0.02) * model.durationSeconds;
  const uploadEnd = (model.uploadEndFraction ?? 0.99) * model.durationSeconds;
  const stateAt = (elapsed: number): string | undefined => {
    if (elapsed < uploadStart) return 'SNAPSHOTING';
    if (elapsed < uploadEnd) return 'UPLOADING';
    return elapsed < model.durationSeconds ? 'UPLOAD_INFO' : 'FINISHED';
  };
  const progressAt = (elapsed: number): UploadProgress | null => {
    if (elapsed < uploadStart) return null;
    const fraction = Math.min(1, (elapsed - uploadStart) / Math.max(1e-9, uploadEnd - uploadStart));
    return { done: Math.floor(total * fraction), total };
  };
  return { progressAt, stateAt };
}
