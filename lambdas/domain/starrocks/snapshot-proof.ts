import { BackupFailedError } from '#domain/errors.ts';
import type { StarRocksClient } from './client.ts';

/** What SHOW SNAPSHOT proved about one label. */
export interface SnapshotProof {
  /** StarRocks' snapshot timestamp, verbatim (RESTORE needs it exactly). */
  readonly snapshotTimestamp: string;
}

/**
 * A FINISHED job is not yet a backup: SHOW SNAPSHOT must list the label with status OK and at least one
 * timestamp, and the detail form at the newest timestamp must return a row naming `database`. Anything less (no
 * timestamp, no detail row, a detail row without a database or naming another one) proves nothing and is a
 * BackupFailedError that says what was missing. StarRocks writes the `__info_<timestamp>` file last, after every
 * upload (fe/fe-core/src/main/java/com/starrocks/backup/BackupJob.java, saveMetaInfo / uploadMetaAndJobInfoFile),
 * so a listed timestamp is a complete snapshot and the detail row reads that info file.
 */
export async function proveSnapshot(
  client: Pick<StarRocksClient, 'showSnapshot' | 'showSnapshotDetail'>,
  request: { readonly repository: string; readonly label: string; readonly database: string },
): Promise<SnapshotProof> {
  const { repository, label, database } = request;
  const snapshot = await client.showSnapshot(repository, label);
  if (!snapshot?.ok) {
    throw new BackupFailedError(
      `StarRocks reported the backup FINISHED but SHOW SNAPSHOT ON ${repository} does not list ${label} as OK: ${snapshot?.status ?? 'no such snapshot'}`,
    );
  }
  const timestamp = snapshot.timestamps.at(-1);
  if (timestamp === undefined) {
    throw new BackupFailedError(
      `SHOW SNAPSHOT ON ${repository} lists ${label} as OK but with no timestamp: the snapshot cannot be restored`,
    );
  }
  const detail = await client.showSnapshotDetail(repository, label, timestamp);
  if (detail === null || detail.database === null) {
    throw new BackupFailedError(
      `SHOW SNAPSHOT ON ${repository} returns no detail naming a database for ${label} at ${timestamp}: the snapshot could not be verified`,
    );
  }
  if (detail.database !== database) {
    throw new BackupFailedError(
      `snapshot ${label} in ${repository} belongs to database ${detail.database}, not ${database}`,
    );
  }
  return { snapshotTimestamp: timestamp };
}
