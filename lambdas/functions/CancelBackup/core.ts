import type { Clock } from '#domain/clock.ts';
import { InvalidInputError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import {
  type BackupJob,
  cancelledOutcome,
  isTerminalBackupState,
  type StarRocksClient,
} from '#domain/starrocks/index.ts';
import { renewLeases, requireLeases } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState, TrackedJob } from '#domain/workflow/workflow-state.ts';

/** What CancelBackup needs. */
export interface CancelBackupDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/**
 * Our deadline passed: CANCEL BACKUP FROM the database, fenced by both leases and only if the database's running
 * job is ours. What StarRocks says decides the outcome, not the deadline alone: a job of ours that FINISHED before
 * the cancel took effect goes on to verification (phase `finished`), one StarRocks ended itself keeps its own
 * status (phase `cancelled`), and only a job we really cancelled is TIMED_OUT with reason `deadline`.
 * StarRocks refuses to cancel a finished job (`Job with label … can not be cancelled. state: FINISHED`,
 * fe/fe-core/src/main/java/com/starrocks/backup/BackupHandler.java `cancel`), so the job is read again after the
 * CANCEL to see which of the two happened.
 */
export async function cancelBackup(state: BackupDatabaseState, deps: CancelBackupDeps): Promise<TrackedJob> {
  const tracked = state.job;
  if (!tracked) throw new InvalidInputError('CancelBackup needs $.job (set by SubmitBackup)');
  await renewLeases(deps.locks, requireLeases(state), state.cluster.lock.leaseSeconds);
  const decided = await deps.starRocks(async (client): Promise<Pick<TrackedJob, 'phase' | 'outcome'>> => {
    const before = await client.showBackup(state.database);
    const settled = ownSettledJob(before, tracked.label);
    if (settled) return settled;
    if (before?.snapshotName === tracked.label) {
      const result = await client.cancelBackup(state.database);
      deps.logger.warn('deadline passed: cancelled the backup', {
        label: tracked.label,
        result: result.outcome,
      });
      const after = await client.showBackup(state.database);
      const raced = after?.snapshotName === tracked.label && after.state === 'FINISHED';
      if (raced) return { phase: 'finished' };
      return { phase: 'cancelled', outcome: { state: 'TIMED_OUT', reason: 'deadline' } };
    }
    // A later job replaced our row: ours ended meanwhile; the repository says whether it left a snapshot.
    const snapshot = await client.showSnapshot(state.cluster.repository, tracked.label);
    deps.logger.warn(
      'deadline passed but our job is no longer the database latest; deciding from SHOW SNAPSHOT',
      {
        label: tracked.label,
        latest: before?.snapshotName ?? null,
        snapshotStatus: snapshot?.status ?? null,
      },
    );
    if (snapshot?.ok) return { phase: 'finished' };
    return { phase: 'cancelled', outcome: { state: 'TIMED_OUT', reason: 'deadline' } };
  });
  const now = deps.clock.now();
  const job: TrackedJob = { ...tracked, ...decided, checkedAt: now, nextWaitSeconds: 0 };
  if (decided.phase === 'finished') job.starRocksState = 'FINISHED';
  return job;
}

/** Our job already ended on its own: FINISHED (verify it) or CANCELLED by StarRocks (its status decides). */
function ownSettledJob(
  row: BackupJob | null,
  label: string,
): Pick<TrackedJob, 'phase' | 'outcome'> | undefined {
  if (!row || row.snapshotName !== label || !isTerminalBackupState(row.state)) return undefined;
  if (row.state === 'FINISHED') return { phase: 'finished' };
  return { phase: 'cancelled', outcome: cancelledOutcome(row) };
}
