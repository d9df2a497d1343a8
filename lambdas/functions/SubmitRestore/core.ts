import type { Clock } from '#domain/clock.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import {
  type DrillState,
  drillTiming,
  requireDrillLeases,
  requirePlan,
} from '#domain/restore/drill-state.ts';
import { type RestoreClient, submitRestoreJob, type TrackedRestore } from '#domain/restore/restore-job.ts';
import { isTerminalRestoreState } from '#domain/starrocks/index.ts';
import { renewLeases } from '#domain/workflow/leases.ts';

/** What SubmitRestore needs. */
export interface SubmitRestoreDeps {
  readonly starRocks: <T>(work: (client: RestoreClient & DropClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

interface DropClient {
  dropDatabase(database: string, options?: { readonly force?: boolean }): Promise<void>;
}

/**
 * Submits the drill's RESTORE into its scratch database (fenced by the scratch database's lock), or adopts it
 * when a retried submit finds our job already running. A scratch database left by an earlier attempt of the same
 * drill slot is dropped first: its name is reserved for this drill, and the lock says no one else uses it.
 */
export async function submitDrillRestore(
  state: DrillState,
  deps: SubmitRestoreDeps,
): Promise<TrackedRestore> {
  const plan = requirePlan(state);
  const leases = requireDrillLeases(state);
  await renewLeases(deps.locks, leases, state.cluster.lock.leaseSeconds);
  const timing = drillTiming(state);
  const job = await deps.starRocks(async (client) => {
    if ((await client.showDatabases()).includes(plan.targetDatabase)) {
      const row = await client.showRestore(plan.targetDatabase);
      const oursRunning =
        row !== null &&
        row.label === plan.snapshot.label &&
        row.timestamp === plan.snapshot.snapshotTimestamp &&
        !isTerminalRestoreState(row.state);
      if (!oursRunning) {
        deps.logger.warn('dropping a scratch database left by an earlier attempt of this drill', {
          database: plan.targetDatabase,
        });
        await client.dropDatabase(plan.targetDatabase, { force: true });
      }
    }
    return submitRestoreJob(client, {
      plan,
      timing,
      historySeconds: plan.historySeconds,
      now: () => deps.clock.now(),
    });
  });
  await renewLeases(deps.locks, leases, job.nextWaitSeconds + state.cluster.lock.leaseSeconds);
  deps.logger.info('restore tracked', {
    label: job.label,
    target: job.targetDatabase,
    origin: job.origin,
    nextWaitSeconds: job.nextWaitSeconds,
  });
  return job;
}
