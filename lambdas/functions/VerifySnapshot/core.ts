import { InvalidInputError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { isTransient } from '#domain/retry-policy.ts';
import { proveSnapshot, type StarRocksClient } from '#domain/starrocks/index.ts';
import { renewLeases, requireLeases } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState, Verification } from '#domain/workflow/workflow-state.ts';

/** What VerifySnapshot needs. */
export interface VerifySnapshotDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot'>;
  readonly logger: AppLogger;
}

/**
 * A FINISHED job is not yet a backup: SHOW SNAPSHOT must list our label OK with a timestamp, and its detail form
 * must name this database (proveSnapshot). Keeps StarRocks' snapshot timestamp verbatim (RESTORE needs it exactly)
 * and the database size from SHOW DATA at backup time. A missing or broken snapshot is a BackupFailedError.
 * Renews both leases first: SHOW SNAPSHOT reads the repository and can be slow.
 */
export async function verifySnapshot(
  state: BackupDatabaseState,
  deps: VerifySnapshotDeps,
): Promise<Verification> {
  const label = state.job?.label;
  if (!label) throw new InvalidInputError('VerifySnapshot needs $.job (set by SubmitBackup)');
  await renewLeases(deps.locks, requireLeases(state), state.cluster.lock.leaseSeconds);
  return deps.starRocks(async (client) => {
    const proof = await proveSnapshot(client, {
      repository: state.cluster.repository,
      label,
      database: state.database,
    });
    const size = await databaseSize(state.database, client, deps.logger);
    return { verified: true, snapshotTimestamp: proof.snapshotTimestamp, ...size };
  });
}

/** SHOW DATA is informative: when it fails for a non-transient reason the backup still counts. */
async function databaseSize(
  database: string,
  client: StarRocksClient,
  logger: AppLogger,
): Promise<{ sizeBytes: number | null; tableCount: number | null }> {
  try {
    const data = await client.showData(database);
    return { sizeBytes: data.totalBytes, tableCount: data.tableCount };
  } catch (error) {
    if (isTransient(error)) throw error;
    logger.warn('SHOW DATA failed; recording the snapshot without its size', {
      errorType: error instanceof Error ? error.name : typeof error,
      errorMessage: error instanceof Error ? error.message : String(error),
    });
    return { sizeBytes: null, tableCount: null };
  }
}
