/**
 * Automated Cluster Snapshots of a shared-data cluster (3.4.2+), derived from the clock like every job here.
 *
 * Follows lake/snapshot/ClusterSnapshotJob.java (states INITIALIZING, SNAPSHOTING, UPLOADING, FINISHED, EXPIRED,
 * DELETED, ERROR; `getInfo` reports CREATED_TIME and FINISHED_TIME as epoch seconds) and StarRocks' Cluster Snapshot
 * page: once `ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON`, the FE makes a snapshot every
 * `automated_cluster_snapshot_interval_seconds` (600 by default) named `automated_cluster_snapshot_<ms>`, keeps only
 * the newest finished one (the previous becomes EXPIRED, then DELETED), and `OFF` purges it. When in the interval a
 * job starts (the FE ties it to its metadata checkpoints) and how long it takes are the emulator's choice
 * (UNVERIFIED): one job per interval, starting at the end of each interval after ON, lasting `jobDurationSeconds`.
 */
import type { ScenarioClusterSnapshots } from '../scenario.ts';

/** lake/snapshot/ClusterSnapshotJob.ClusterSnapshotJobState. */
export type ClusterSnapshotJobState =
  | 'INITIALIZING'
  | 'SNAPSHOTING'
  | 'UPLOADING'
  | 'FINISHED'
  | 'EXPIRED'
  | 'DELETED'
  | 'ERROR';

/** One row of information_schema.cluster_snapshot_jobs. */
export interface ClusterSnapshotJobView {
  readonly snapshotName: string;
  readonly jobId: number;
  readonly createdAt: number;
  /** Unset (0 in the table) until the job finished. */
  readonly finishedAt: number | undefined;
  readonly state: ClusterSnapshotJobState;
  readonly errorMessage: string;
}

/** One row of information_schema.cluster_snapshots. */
export interface ClusterSnapshotView {
  readonly snapshotName: string;
  readonly createdAt: number;
  readonly feJournalId: number;
  readonly starMgrJournalId: number;
  readonly storageVolume: string;
  readonly storagePath: string;
}

const DEFAULT_INTERVAL_SECONDS = 600;
const DEFAULT_JOB_SECONDS = 20;
/** How many past jobs the jobs table keeps listing (UNVERIFIED: the FE's own history limit). */
const JOB_HISTORY = 10;

interface Period {
  readonly from: number;
  until: number | undefined;
  readonly storageVolume: string;
}

interface FailureWindow {
  readonly from: number;
  until: number | undefined;
  readonly message: string;
}

/** The automated snapshots of one FE. */
export class ClusterSnapshots {
  private readonly periods: Period[] = [];
  private readonly failures: FailureWindow[] = [];
  private readonly intervalMs: number;
  private readonly jobMs: number;
  private readonly defaultVolume: string;

  constructor(
    private readonly now: () => number,
    private readonly serviceId: string,
    private readonly volumeLocation: string,
    options: ScenarioClusterSnapshots = {},
    startedAt = now(),
  ) {
    this.intervalMs = (options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000;
    this.jobMs = (options.jobDurationSeconds ?? DEFAULT_JOB_SECONDS) * 1000;
    this.defaultVolume = options.storageVolume ?? 'builtin_storage_volume';
    if (options.automated === true) {
      this.periods.push({ from: startedAt, until: undefined, storageVolume: this.defaultVolume });
    }
    if (options.failWith !== undefined) {
      this.failures.push({ from: startedAt, until: undefined, message: options.failWith });
    }
  }

  /** Whether automated snapshots are on now. */
  get automated(): boolean {
    return this.periods.at(-1)?.until === undefined && this.periods.length > 0;
  }

  /** `ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON [STORAGE VOLUME sv]` / `OFF`. */
  set(on: boolean, storageVolume?: string): void {
    const now = this.now();
    const current = this.periods.at(-1);
    if (on) {
      if (current !== undefined && current.until === undefined) return;
      this.periods.push({ from: now, until: undefined, storageVolume: storageVolume ?? this.defaultVolume });
    } else if (current !== undefined && current.until === undefined) {
      current.until = now;
    }
  }

  /** Fault: jobs ending from now on fail with `message` (undefined ends the failure). */
  failWith(message: string | undefined): void {
    const now = this.now();
    const current = this.failures.at(-1);
    if (current !== undefined && current.until === undefined) current.until = now;
    if (message !== undefined) this.failures.push({ from: now, until: undefined, message });
  }

  private failureAt(instant: number): string | undefined {
    return this.failures.find(
      (window) => window.from <= instant && (window.until === undefined || instant < window.until),
    )?.message;
  }

  /** Every job started so far, oldest first, with its state now. */
  private allJobs(): ClusterSnapshotJobView[] {
    const now = this.now();
    const jobs: ClusterSnapshotJobView[] = [];
    let lastFinished: number | undefined;
    for (const period of this.periods) {
      const end = period.until ?? now;
      for (let start = period.from + this.intervalMs; start <= end; start += this.intervalMs) {
        const done = start + this.jobMs;
        const name = `automated_cluster_snapshot_${start}`;
        const jobId = Math.floor(start / 1000);
        const stopped = period.until !== undefined && period.until < done;
        let state: ClusterSnapshotJobState;
        let finishedAt: number | undefined;
        let errorMessage = '';
        if (stopped) {
          state = 'ERROR';
          errorMessage = 'automated cluster snapshot is turned off';
          finishedAt = period.until;
        } else if (now < done) {
          const fraction = (now - start) / this.jobMs;
          state = fraction < 0.1 ? 'INITIALIZING' : fraction < 0.7 ? 'SNAPSHOTING' : 'UPLOADING';
        } else {
          const failure = this.failureAt(done);
          if (failure !== undefined) {
            state = 'ERROR';
            errorMessage = failure;
            finishedAt = done;
          } else {
            state = 'FINISHED';
            finishedAt = done;
            lastFinished = jobs.length;
          }
        }
        jobs.push({ snapshotName: name, jobId, createdAt: start, finishedAt, state, errorMessage });
      }
      if (period.until !== undefined) {
        // OFF purges the kept snapshot (ClusterSnapshotMgr clears the automated snapshot).
        for (const [index, job] of jobs.entries()) {
          if (job.state === 'FINISHED') jobs[index] = { ...job, state: 'DELETED' };
        }
        lastFinished = undefined;
      }
    }
    // Only the newest finished snapshot is kept: older finished ones are expired and then deleted.
    return jobs.map((job, index) =>
      job.state === 'FINISHED' && index !== lastFinished ? { ...job, state: 'DELETED' } : job,
    );
  }

  /** information_schema.cluster_snapshot_jobs, newest last. */
  jobs(): ClusterSnapshotJobView[] {
    return this.allJobs().slice(-JOB_HISTORY);
  }

  /** information_schema.cluster_snapshots: the kept snapshot, if any. */
  snapshots(): ClusterSnapshotView[] {
    const jobs = this.allJobs();
    const kept = jobs.filter((job) => job.state === 'FINISHED');
    const period = this.periods.at(-1);
    return kept.map((job) => ({
      snapshotName: job.snapshotName,
      createdAt: job.createdAt,
      feJournalId: 1000 + (Math.floor(job.createdAt / 60_000) % 100_000),
      starMgrJournalId: 500 + (Math.floor(job.createdAt / 60_000) % 100_000),
      storageVolume: period?.storageVolume ?? this.defaultVolume,
      storagePath: `${this.volumeLocation}/${this.serviceId}/meta/image/${job.snapshotName}`,
    }));
  }
}
