import type { ClusterSettings } from '#domain/config/index.ts';
import { type JobObservations, observedSeconds } from './observations.ts';
import { nextPollSeconds } from './poll-policy.ts';

/** What the poll policy needs to know about a tracked job. */
export interface PolledJob {
  readonly submittedAt: number;
  readonly starRocksState: string | null;
  readonly progress: { readonly done: number; readonly total: number } | null;
  /** Durations (seconds) of earlier FINISHED backups of this database, newest first; read once at submit. */
  readonly historySeconds?: readonly number[] | undefined;
  /** What earlier checks saw ({@link observeJob} over every SHOW BACKUP), epoch ms. */
  readonly observed?: Readonly<JobObservations> | undefined;
}

/** Whole seconds until the next CheckBackup, from the cluster's poll bounds and deadline. */
export function nextCheckSeconds(cluster: ClusterSettings, job: PolledJob, now: number): number {
  return nextPollSeconds({
    elapsedSeconds: Math.max(0, (now - job.submittedAt) / 1000),
    minSeconds: cluster.poll.minSeconds,
    maxSeconds: cluster.poll.maxSeconds,
    deadlineSeconds: cluster.timeoutSeconds,
    state: job.starRocksState ?? undefined,
    progress: job.progress,
    historySeconds: job.historySeconds,
    observed: observedSeconds(job.observed, job.submittedAt),
  });
}
