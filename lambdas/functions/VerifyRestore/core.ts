import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import { checkStepOf, compareWithManifest } from '#domain/differential/index.ts';
import { InvalidInputError, SnapshotNotFoundError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type DrillState, requireDrillLeases, requirePlan } from '#domain/restore/drill-state.ts';
import {
  CHECK_TABLE_NAMES_MAX,
  type CheckClient,
  checkRestoredDatabase,
  parseRestoreObjects,
  type RestoreCheck,
} from '#domain/restore/restore-check.ts';
import { restoredTableNames } from '#domain/restore/restore-plan.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';
import { renewLeases } from '#domain/workflow/leases.ts';

/**
 * The VerifyRestore Task's TimeoutSeconds in restore-drill.asl.json (a test keeps them equal): the one step longer
 * than the lease minimum covers, so it renews for its own length.
 */
export const VERIFY_RESTORE_TASK_SECONDS = 900;

/** What VerifyRestore needs. */
export interface VerifyRestoreDeps {
  readonly starRocks: <T>(
    work: (client: CheckClient & Pick<FullStarRocksClient, 'readPartitionManifest'>) => Promise<T>,
  ) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  /** A snapshot's partition manifest from the catalog (a chain drill's differential); read only for a chain. */
  readonly readManifest: ManifestStore['readManifest'];
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
  if (plan.chain !== undefined) return verifyChainRestore(state, deps);
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

/**
 * A chain drill's check (issue 20, EXPERIMENTAL): the scratch database holds every object of the differential's
 * manifest, no restored table is empty while its source table has rows (as for a full), and every partition is
 * there at the visible version the manifest recorded, with no partition or table more (restore-steps.ts' check
 * step, compared as runRestoreChain compares it: lambdas/domain/differential/take.ts compareWithManifest). A RESTORE
 * sets a partition's visible version to the snapshot's (PhysicalPartitionImpl.updateVersionForRestore,
 * fe/fe-core/src/main/java/com/starrocks/catalog/PhysicalPartitionImpl.java), so a partition of the full that the
 * differential should have replaced, or one the drops missed, shows up here. The manifest is read from the catalog
 * (it is too large for the state); a missing one fails the drill.
 * @throws SnapshotNotFoundError when the catalog no longer holds the differential's manifest.
 */
async function verifyChainRestore(state: DrillState, deps: VerifyRestoreDeps): Promise<RestoreCheck> {
  const plan = requirePlan(state);
  const ref = { cluster: plan.cluster, database: plan.sourceDatabase, label: plan.snapshot.label };
  const manifest = await deps.readManifest(ref);
  if (manifest === undefined) {
    throw new SnapshotNotFoundError(
      `the catalog no longer holds the partition manifest of differential ${plan.snapshot.label}; the chain drill cannot be checked`,
    );
  }
  await renewLeases(
    deps.locks,
    requireDrillLeases(state),
    VERIFY_RESTORE_TASK_SECONDS + state.cluster.lock.leaseSeconds,
  );
  const expected = checkStepOf(manifest);
  const names = [...expected.tables.map((table) => table.name), ...expected.others];
  const { check, mismatches } = await deps.starRocks(async (client) => {
    const basic = await checkRestoredDatabase(client, {
      targetDatabase: plan.targetDatabase,
      sourceDatabase: plan.sourceDatabase,
      expectedTables: names,
      expectedTableCount: names.length,
    });
    return {
      check: basic,
      mismatches: compareWithManifest(expected, await client.readPartitionManifest(plan.targetDatabase)),
    };
  });
  const compared = expected.tables.reduce((sum, table) => sum + table.partitions.length, 0);
  const differs =
    mismatches.length === 0
      ? null
      : `the restored database differs from the manifest of ${plan.snapshot.label} in ${mismatches.length} ${mismatches.length === 1 ? 'place' : 'places'}: ${mismatches
          .slice(0, 5)
          .map(describeMismatch)
          .join('; ')}${mismatches.length > 5 ? '; …' : ''}`;
  const problem = [check.problem, differs].filter((text) => text !== null).join('; ') || null;
  const result: RestoreCheck = {
    ...check,
    passed: problem === null,
    problem,
    mismatches: mismatches.slice(0, CHECK_TABLE_NAMES_MAX),
    comparedPartitions: compared,
  };
  deps.logger.info('restored chain checked', {
    target: plan.targetDatabase,
    passed: result.passed,
    tableCount: result.tableCount,
    comparedPartitions: compared,
    mismatches: mismatches.length,
  });
  return result;
}

function describeMismatch(mismatch: {
  table: string;
  partition: string | null;
  expected: string | null;
  actual: string | null;
}): string {
  const where =
    mismatch.partition === null ? mismatch.table : `${mismatch.table} partition ${mismatch.partition}`;
  if (mismatch.actual === null) return `${where} is missing`;
  if (mismatch.expected === null) return `${where} is not in the manifest`;
  return `${where}: expected version ${mismatch.expected}, found ${mismatch.actual}`;
}
