import { BackupFailedError, InvalidInputError, isRetryable } from '../shared/errors.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { BackupDatabaseState, Verification } from '../shared/workflow-state.ts';
import type { StarRocksClient } from '../starrocks/index.ts';

/** What VerifySnapshot needs. */
export interface VerifySnapshotDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly logger: AppLogger;
}

/**
 * A FINISHED job is not yet a backup: SHOW SNAPSHOT must list our label with status OK, and its detail form
 * must name this database. Keeps StarRocks' snapshot timestamp verbatim (RESTORE needs it exactly) and the
 * database size from SHOW DATA at backup time. A missing or broken snapshot is a BackupFailedError.
 */
export async function verifySnapshot(
  state: BackupDatabaseState,
  deps: VerifySnapshotDeps,
): Promise<Verification> {
  const label = state.job?.label;
  if (!label) throw new InvalidInputError('VerifySnapshot needs $.job (set by SubmitBackup)');
  const repository = state.cluster.repository;
  return deps.starRocks(async (client) => {
    const snapshot = await client.showSnapshot(repository, label);
    if (!snapshot?.ok) {
      throw new BackupFailedError(
        `StarRocks reported the backup FINISHED but SHOW SNAPSHOT ON ${repository} does not list ${label} as OK: ${snapshot?.status ?? 'no such snapshot'}`,
      );
    }
    const timestamp = snapshot.timestamps.at(-1) ?? null;
    if (timestamp !== null) {
      const detail = await client.showSnapshotDetail(repository, label, timestamp);
      if (detail && detail.database !== null && detail.database !== state.database) {
        throw new BackupFailedError(
          `snapshot ${label} in ${repository} belongs to database ${detail.database}, not ${state.database}`,
        );
      }
    }
    const size = await databaseSize(state.database, client, deps.logger);
    return { verified: true, snapshotTimestamp: timestamp, ...size };
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
    if (isRetryable(error)) throw error;
    logger.warn('SHOW DATA failed; recording the snapshot without its size', {
      errorType: error instanceof Error ? error.name : typeof error,
      errorMessage: error instanceof Error ? error.message : String(error),
    });
    return { sizeBytes: null, tableCount: null };
  }
}
