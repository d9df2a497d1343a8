import { describe, expect, it } from 'vitest';
import { UnsupportedListPartitionError } from '#domain/errors.ts';
import {
  classifyStarRocksError,
  parseClusterSnapshotJobs,
  parseClusterSnapshots,
} from '#domain/starrocks/index.ts';

describe('parseClusterSnapshots', () => {
  it('reads CREATED_TIME as epoch seconds (BIGINT layout) or a UTC DATETIME (newer layout)', () => {
    const bigint = parseClusterSnapshots({
      columns: [
        'SNAPSHOT_NAME',
        'SNAPSHOT_TYPE',
        'CREATED_TIME',
        'FINISHED_TIME',
        'FE_JOURNAL_ID',
        'STORAGE_VOLUME',
      ],
      rows: [
        ['automated_cluster_snapshot_1795000000000', 'AUTOMATED', '1795000000', '1795000020', '42', 'sv'],
      ],
    });
    const datetime = parseClusterSnapshots({
      columns: ['SNAPSHOT_NAME', 'SNAPSHOT_TYPE', 'CREATED_TIME', 'STORAGE_PATH'],
      rows: [['automated_cluster_snapshot_1795000000000', 'AUTOMATED', '2026-11-18 11:06:40', 's3://b/x']],
    });
    expect(bigint[0]).toMatchObject({ createdAt: 1_795_000_000_000, storageVolume: 'sv', feJournalId: '42' });
    expect(datetime[0]).toMatchObject({ createdAt: 1_795_000_000_000, storagePath: 's3://b/x' });
  });

  it('reads jobs oldest first, an unfinished job (FINISHED_TIME 0) as not finished', () => {
    const jobs = parseClusterSnapshotJobs({
      columns: [
        'SNAPSHOT_NAME',
        'JOB_ID',
        'CREATED_TIME',
        'FINISHED_TIME',
        'STATE',
        'DETAIL_INFO',
        'ERROR_MESSAGE',
      ],
      rows: [
        ['b', '2', '1795000600', '0', 'SNAPSHOTING', '', ''],
        ['a', '1', '1795000000', '1795000020', 'ERROR', '', 'Access Denied'],
      ],
    });
    expect(jobs.map((job) => [job.snapshotName, job.state, job.finishedAt, job.errorMessage])).toEqual([
      ['a', 'ERROR', 1_795_000_020_000, 'Access Denied'],
      ['b', 'SNAPSHOTING', null, null],
    ]);
  });
});

describe('classifyStarRocksError', () => {
  it('types the list-partition refusal (BackupRestoreAnalyzer, PR #27551), wrapped or not', () => {
    for (const message of [
      'List partition table does not support backup/restore job',
      'Getting analyzing error. Detail message: List partition table does not support backup/restore job.',
    ]) {
      const error = classifyStarRocksError(
        { errno: 1064, sqlState: 'HY000', sqlMessage: message },
        { host: 'fe', port: 9030, statementKind: 'BACKUP' },
      );
      expect(error).toBeInstanceOf(UnsupportedListPartitionError);
    }
  });
});
