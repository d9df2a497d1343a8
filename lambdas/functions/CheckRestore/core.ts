import type { Clock } from '#domain/clock.ts';
import { InvalidInputError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type DrillState, drillTiming, requireDrillLeases } from '#domain/restore/drill-state.ts';
import { checkRestoreJob, type RestoreClient, type TrackedRestore } from '#domain/restore/restore-job.ts';
import { renewLeases } from '#domain/workflow/leases.ts';

/** What CheckRestore needs. */
export interface CheckRestoreDeps {
  readonly starRocks: <T>(work: (client: Pick<RestoreClient, 'showRestore'>) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/**
 * One poll of the drill's RESTORE: SHOW RESTORE FROM the scratch database, the phase (running, finished,
 * cancelled by StarRocks, past the drill's deadline), the next Wait from the poll policy, and both leases renewed
 * to cover it. The deadline counts from our submit time on our clock.
 */
export async function checkDrillRestore(state: DrillState, deps: CheckRestoreDeps): Promise<TrackedRestore> {
  const tracked = state.restore;
  if (!tracked) throw new InvalidInputError('CheckRestore needs $.restore (set by SubmitRestore)');
  const leases = requireDrillLeases(state);
  const job = await deps.starRocks((client) =>
    checkRestoreJob(client, tracked, drillTiming(state), () => deps.clock.now()),
  );
  await renewLeases(deps.locks, leases, job.nextWaitSeconds + state.cluster.lock.leaseSeconds);
  deps.logger.info('restore checked', {
    label: job.label,
    phase: job.phase,
    starRocksState: job.starRocksState,
    progress: job.progress,
    nextWaitSeconds: job.nextWaitSeconds,
  });
  return job;
}
