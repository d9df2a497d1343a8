import { InvalidInputError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type DrillState, requireDrillLeases, requirePlan } from '#domain/restore/drill-state.ts';
import {
  type CheckClient,
  checkRestoredDatabase,
  parseRestoreObjects,
  type RestoreCheck,
} from '#domain/restore/restore-check.ts';
import { restoredTableNames } from '#domain/restore/restore-plan.ts';
import { renewLeases } from '#domain/workflow/leases.ts';

/**
 * The VerifyRestore Task's TimeoutSeconds in restore-drill.asl.json (a test keeps them equal): the one step longer
 * than the lease minimum covers, so it renews for its own length.
 */
export const VERIFY_RESTORE_TASK_SECONDS = 900;

/** What VerifyRestore needs. */
export interface VerifyRestoreDeps {
  readonly starRocks: <T>(work: (client: CheckClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly logger: AppLogger;
}

/**
 * Checks the restored scratch database: every object of the snapshot (SHOW RESTORE's RestoreObjs, else the
 * catalog's table count) is there, and no restored table is empty while its source table has rows. Returns the
 * result either way; the ASL routes a failed check to the failure path.
 */
export async function verifyDrillRestore(state: DrillState, deps: VerifyRestoreDeps): Promise<RestoreCheck> {
  const plan = requirePlan(state);
  const job = state.restore;
  if (job?.phase !== 'finished') throw new InvalidInputError('VerifyRestore needs a finished $.restore');
  // Counting rows of a large database takes up to the Task's whole timeout: the leases cover it, then the margin.
  await renewLeases(
    deps.locks,
    requireDrillLeases(state),
    VERIFY_RESTORE_TASK_SECONDS + state.cluster.lock.leaseSeconds,
  );
  const check = await deps.starRocks((client) =>
    checkRestoredDatabase(client, {
      targetDatabase: plan.targetDatabase,
      sourceDatabase: plan.sourceDatabase,
      expectedTables: parseRestoreObjects(job.restoreObjects, job.restoreObjectsTruncated),
      expectedTableCount: plan.snapshot.tableCount,
      onlyTables: restoredTableNames(plan),
      sourceNames: new Map((plan.tables ?? []).map((table) => [table.alias ?? table.name, table.name])),
    }),
  );
  deps.logger.info('restored database checked', {
    target: plan.targetDatabase,
    passed: check.passed,
    tableCount: check.tableCount,
    rowCount: check.rowCount,
  });
  return check;
}
