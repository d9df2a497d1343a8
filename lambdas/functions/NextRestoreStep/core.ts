import { InvalidInputError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type ChainNext, dropsUntilNextRestore } from '#domain/restore/drill-chain.ts';
import { type DrillState, requireDrillLeases, requirePlan } from '#domain/restore/drill-state.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';
import { renewLeases } from '#domain/workflow/leases.ts';

/** What NextRestoreStep needs. */
export interface NextRestoreStepDeps {
  readonly starRocks: <T>(
    work: (client: Pick<FullStarRocksClient, 'dropPartition'>) => Promise<T>,
  ) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly logger: AppLogger;
}

/**
 * Between two RESTOREs of a drill's chain (issue 20, EXPERIMENTAL): after the RESTORE of `$.restore.chain.step`
 * FINISHED, sends the drop steps that follow it, `ALTER TABLE … DROP PARTITION IF EXISTS p FORCE` each, into the
 * scratch database, and names the next RESTORE for SubmitRestore (or none: VerifyRestore comes next).
 *
 * The drops come after the full's RESTORE is FINISHED (a table under RESTORE is not NORMAL and refuses a drop) and
 * before the differential's, so a new partition whose range overlaps a dropped one is not refused by
 * RestoreJob.checkAndPrepareMeta (fe/fe-core/src/main/java/com/starrocks/backup/RestoreJob.java; restore-steps.ts).
 * FORCE skips the recycle bin (server/LocalMetastore.dropPartition). Fenced: both leases are renewed (a conditional
 * write on this execution's token) before anything is sent, so a drill that lost its scratch database's lock sends
 * nothing. A retry is harmless: IF EXISTS makes a partition already dropped a no-op.
 * @throws InvalidInputError without a chain or a finished RESTORE of it; LeaseLostError (fenced out).
 */
export async function nextRestoreStep(state: DrillState, deps: NextRestoreStepDeps): Promise<ChainNext> {
  const plan = requirePlan(state);
  const tracked = state.restore;
  if (plan.chain === undefined || tracked?.chain === undefined || tracked.phase !== 'finished') {
    throw new InvalidInputError(
      'NextRestoreStep needs $.plan.chain and a finished RESTORE of it in $.restore',
    );
  }
  const leases = requireDrillLeases(state);
  await renewLeases(deps.locks, leases, state.cluster.lock.leaseSeconds);
  const { drops, next } = dropsUntilNextRestore(plan.chain, tracked.chain.step);
  let dropped = 0;
  if (drops.length > 0) {
    await deps.starRocks(async (client) => {
      for (const drop of drops) {
        for (const partition of drop.partitions) {
          await client.dropPartition(plan.targetDatabase, drop.table, partition, {
            ifExists: true,
            force: true,
          });
          dropped += 1;
        }
        deps.logger.info('dropped partitions of the chain', {
          target: plan.targetDatabase,
          table: drop.table,
          partitions: drop.partitions.length,
          why: drop.why,
        });
      }
    });
  }
  return { step: next ?? tracked.chain.step, done: next === null, dropped };
}
