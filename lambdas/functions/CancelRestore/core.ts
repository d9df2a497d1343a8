import { LeaseLostError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { restoreJobsOf } from '#domain/restore/drill-chain.ts';
import { type DrillCancel, type DrillState, drillLock } from '#domain/restore/drill-state.ts';
import { cancelAnyOurs, type RestoreClient } from '#domain/restore/restore-job.ts';

/** What CancelRestore needs. */
export interface CancelRestoreDeps {
  readonly starRocks: <T>(
    work: (client: Pick<RestoreClient, 'showDatabases' | 'showRestore' | 'cancelRestore'>) => Promise<T>,
  ) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock'>;
  readonly logger: AppLogger;
}

/**
 * CANCEL RESTORE FROM the scratch database, only while this execution still holds its lock (a lapsed lease that
 * nobody took over still counts: the token is renewed first) and only if the running job is ours (label and
 * timestamp). Used at the drill's deadline and on every failure path, so no RESTORE outlives the drill; a
 * restore submitted just before a lost answer is found by its label, not by `$.restore`. A chain drill's RESTORE
 * may be its full's or its differential's: either is ours.
 */
export async function cancelDrillRestore(state: DrillState, deps: CancelRestoreDeps): Promise<DrillCancel> {
  const plan = state.plan;
  if (!plan) return { cancelled: false, why: 'no-plan' };
  const lock = drillLock(state);
  if (!lock) return { cancelled: false, why: 'no-lock' };
  try {
    await deps.locks.renewLock({ ...lock, extendSeconds: state.cluster.lock.leaseSeconds });
  } catch (error) {
    if (error instanceof LeaseLostError) return { cancelled: false, why: 'lease-lost' };
    throw error;
  }
  const result = await deps.starRocks((client) => cancelAnyOurs(client, restoreJobsOf(plan)));
  if (result.cancelled) deps.logger.warn('cancelled the drill restore', { target: plan.targetDatabase });
  return result;
}
