import type { CatalogStore } from '#domain/catalog/index.ts';
import { BackupFailedError, InvalidInputError, StarRocksUnavailableError } from '#domain/errors.ts';
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
  /** Marks a differential's full lost when the repository no longer holds it. */
  readonly catalog: Pick<CatalogStore, 'markLost'>;
  readonly logger: AppLogger;
}

/**
 * A FINISHED job is not yet a backup: SHOW SNAPSHOT must list our label OK with a timestamp, and its detail form
 * must name this database (proveSnapshot). Keeps StarRocks' snapshot timestamp verbatim (RESTORE needs it exactly)
 * and the database size from SHOW DATA at backup time. A missing or broken snapshot is a BackupFailedError.
 * Renews both leases first: SHOW SNAPSHOT reads the repository and can be slow.
 *
 * A differential is verified as a chain too: its full must still be a snapshot of this database in the repository,
 * or the differential is no restorable point. Then the full is marked lost in the catalog (the next run of the
 * schedule takes a new full) and this backup fails, so the alert says why.
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
    const baseLabel = state.job?.chain?.baseLabel;
    if (baseLabel !== undefined) await proveChainBase(state, baseLabel, client, deps);
    const size = await databaseSize(state.database, client, deps.logger);
    return { verified: true, snapshotTimestamp: proof.snapshotTimestamp, ...size };
  });
}

async function proveChainBase(
  state: BackupDatabaseState,
  baseLabel: string,
  client: StarRocksClient,
  deps: VerifySnapshotDeps,
): Promise<void> {
  const listed = await client.showSnapshot(state.cluster.repository, baseLabel);
  if (listed?.status.startsWith(REPOSITORY_UNREADABLE)) {
    // The repository could not be read (SubmitBackup treats this status alike): nothing is known of the full yet,
    // and marking it lost would end its whole chain for good. Retried by the ASL.
    throw new StarRocksUnavailableError(
      `SHOW SNAPSHOT ON ${state.cluster.repository} could not read the repository for full ${baseLabel}: ${listed.status}`,
    );
  }
  try {
    await proveSnapshot(client, {
      repository: state.cluster.repository,
      label: baseLabel,
      database: state.database,
    });
  } catch (error) {
    if (!(error instanceof BackupFailedError)) throw error;
    await deps.catalog.markLost({ cluster: state.cluster.name, database: state.database, label: baseLabel });
    throw new BackupFailedError(
      `differential ${state.job?.label} was taken against full ${baseLabel}, which repository ` +
        `${state.cluster.repository} no longer holds (${error.message}): the differential cannot be restored. The ` +
        'catalog marks the full lost, and the next run of the schedule takes a new full.',
      { cause: error },
    );
  }
}

/** SHOW SNAPSHOT's status when the FE could not list the repository (a broker or object-store failure). */
const REPOSITORY_UNREADABLE = 'ERROR: Failed to get info';

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
