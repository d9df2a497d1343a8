import { LeaseLostError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { restoreJobsOf } from '#domain/restore/drill-chain.ts';
import {
  type DrillCleanup,
  type DrillState,
  drillLock,
  isOnDemandRestore,
} from '#domain/restore/drill-state.ts';
import { cancelAnyOurs, type RestoreClient } from '#domain/restore/restore-job.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';

/** What DropScratch needs. */
export interface DropScratchDeps {
  readonly starRocks: <T>(
    work: (
      client: Pick<RestoreClient, 'showDatabases' | 'showRestore' | 'cancelRestore'> &
        Pick<FullStarRocksClient, 'dropDatabase' | 'listTables'>,
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
 *
 * An on-demand restore's target is the operator's database: this step runs only on its failure paths, and drops
 * the target only when this restore created it (`$.restore.createsTarget`) and it holds no table, without FORCE
 * (so it stays in the recycle bin); otherwise it is `kept`, partly restored, for the operator to look at.
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
  const onDemand = isOnDemandRestore(state);
  if (onDemand && !createdTarget(state)) return { dropped: false, why: 'kept' };
  return deps.starRocks(async (client) => {
    if (!(await client.showDatabases()).includes(plan.targetDatabase))
      return { dropped: false, why: 'absent' };
    await cancelAnyOurs(client, restoreJobsOf(plan));
    if (onDemand) {
      if ((await client.listTables(plan.targetDatabase)).length > 0) return { dropped: false, why: 'kept' };
      await client.dropDatabase(plan.targetDatabase);
      deps.logger.info('dropped the empty database the failed restore created', {
        database: plan.targetDatabase,
      });
      return { dropped: true, why: 'dropped' };
    }
    await client.dropDatabase(plan.targetDatabase, { force: true });
    deps.logger.info('dropped the scratch database', { database: plan.targetDatabase });
    return { dropped: true, why: 'dropped' };
  });
}

/** Whether SubmitRestore said this restore creates its target (`SubmittedRestore.createsTarget`). */
function createdTarget(state: DrillState): boolean {
  return (state.restore as { readonly createsTarget?: unknown } | undefined)?.createsTarget === true;
}
