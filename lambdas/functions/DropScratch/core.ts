import { LeaseLostError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type DrillCleanup, type DrillState, drillLock } from '#domain/restore/drill-state.ts';
import { cancelRestoreIfOurs, type RestoreClient } from '#domain/restore/restore-job.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';

/** What DropScratch needs. */
export interface DropScratchDeps {
  readonly starRocks: <T>(
    work: (
      client: Pick<RestoreClient, 'showDatabases' | 'showRestore' | 'cancelRestore'> &
        Pick<FullStarRocksClient, 'dropDatabase'>,
    ) => Promise<T>,
  ) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock'>;
  readonly logger: AppLogger;
}

/**
 * Drops the drill's scratch database (skipping the recycle bin), on every path: after a passed check, after a
 * failure, after our deadline. Only while this execution holds the scratch database's lock: without it the drill
 * never created the database (or another execution of the same slot owns it now). A RESTORE of ours still
 * running there is cancelled first.
 */
export async function dropScratchDatabase(state: DrillState, deps: DropScratchDeps): Promise<DrillCleanup> {
  const plan = state.plan;
  const lock = drillLock(state);
  if (!plan || !lock) return { dropped: false, why: 'no-lock' };
  try {
    await deps.locks.renewLock({ ...lock, extendSeconds: state.cluster.lock.leaseSeconds });
  } catch (error) {
    if (error instanceof LeaseLostError) return { dropped: false, why: 'lease-lost' };
    throw error;
  }
  return deps.starRocks(async (client) => {
    if (!(await client.showDatabases()).includes(plan.targetDatabase))
      return { dropped: false, why: 'absent' };
    await cancelRestoreIfOurs(client, {
      targetDatabase: plan.targetDatabase,
      label: plan.snapshot.label,
      snapshotTimestamp: plan.snapshot.snapshotTimestamp,
    });
    await client.dropDatabase(plan.targetDatabase, { force: true });
    deps.logger.info('dropped the scratch database', { database: plan.targetDatabase });
    return { dropped: true, why: 'dropped' };
  });
}
