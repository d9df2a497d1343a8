import type { Clock } from '#domain/clock.ts';
import { InvalidInputError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { nextCheckSeconds } from '#domain/poll/next-check.ts';
import { observeJob } from '#domain/poll/observations.ts';
import { type BackupJob, cancelledOutcome, type StarRocksClient } from '#domain/starrocks/index.ts';
import { extendLeases } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState, Outcome, TrackedJob } from '#domain/workflow/workflow-state.ts';

/** What CheckBackup needs. */
export interface CheckBackupDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/** What SHOW BACKUP (or, when our row is gone, SHOW SNAPSHOT) says about our job. */
type Observation =
  | { readonly kind: 'running'; readonly job: BackupJob }
  | { readonly kind: 'finished'; readonly job: BackupJob | null }
  | { readonly kind: 'cancelled'; readonly job: BackupJob | null; readonly outcome: Outcome };

/**
 * One poll: reads our job's state, decides the phase (running, finished, cancelled by StarRocks, or past our
 * own deadline), picks the next Wait from the poll policy, and renews both leases to cover it.
 * The deadline counts from our submit time on our clock, never from the FE's CreateTime.
 */
export async function checkBackup(state: BackupDatabaseState, deps: CheckBackupDeps): Promise<TrackedJob> {
  const tracked = state.job;
  if (!tracked) throw new InvalidInputError('CheckBackup needs $.job (set by SubmitBackup)');
  const observation = await deps.starRocks((client) => observe(state, tracked, client, deps));
  const now = deps.clock.now();

  const job: TrackedJob = {
    ...tracked,
    polls: tracked.polls + 1,
    checkedAt: now,
    starRocksState: observation.job?.state ?? tracked.starRocksState,
    starRocksJobId: observation.job?.jobId ?? tracked.starRocksJobId,
    progress: observation.job?.progress ?? tracked.progress,
    observed: observeJob(tracked.observed, observation.job?.state, observation.job?.progress, now),
    nextWaitSeconds: 0,
  };
  if (observation.kind === 'cancelled') {
    job.phase = 'cancelled';
    job.outcome = observation.outcome;
  } else if (observation.kind === 'finished') {
    job.phase = 'finished';
  } else if (now >= tracked.deadlineAt) {
    job.phase = 'deadline';
  } else {
    job.phase = 'running';
    job.nextWaitSeconds = nextCheckSeconds(state.cluster, job, now);
  }
  await extendLeases(deps.locks, state, job.nextWaitSeconds);
  deps.logger.info('backup checked', {
    label: job.label,
    phase: job.phase,
    starRocksState: job.starRocksState,
    progress: job.progress,
    nextWaitSeconds: job.nextWaitSeconds,
  });
  return job;
}

async function observe(
  state: BackupDatabaseState,
  tracked: TrackedJob,
  client: StarRocksClient,
  deps: CheckBackupDeps,
): Promise<Observation> {
  const row = await client.showBackup(state.database);
  if (row && row.snapshotName === tracked.label) {
    if (row.state === 'FINISHED') return { kind: 'finished', job: row };
    if (row.state === 'CANCELLED') return { kind: 'cancelled', job: row, outcome: cancelledOutcome(row) };
    return { kind: 'running', job: row };
  }
  // SHOW BACKUP keeps only a database's latest job: a later job replaced our row, so ours has ended.
  // Whether it left a good snapshot is for the repository to say.
  const snapshot = await client.showSnapshot(state.cluster.repository, tracked.label);
  deps.logger.warn('our job is no longer the database latest in SHOW BACKUP; deciding from SHOW SNAPSHOT', {
    label: tracked.label,
    latest: row?.snapshotName ?? null,
    snapshotStatus: snapshot?.status ?? null,
  });
  if (snapshot?.ok) return { kind: 'finished', job: null };
  return {
    kind: 'cancelled',
    job: null,
    outcome: {
      state: 'FAILED',
      reason: `backup job ${tracked.label} is no longer listed by SHOW BACKUP${row ? ` (replaced by ${row.snapshotName})` : ''} and SHOW SNAPSHOT reports ${snapshot?.status ?? 'nothing'}`,
    },
  };
}
