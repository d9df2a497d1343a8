/**
 * Automated Cluster Snapshots of a shared-data cluster (3.4.2+), from `information_schema.cluster_snapshots` and
 * `information_schema.cluster_snapshot_jobs` (catalog/system/information/ClusterSnapshotsTable.java,
 * ClusterSnapshotJobsTable.java; lake/snapshot/ClusterSnapshotJob.getInfo). Columns are read by name: releases
 * differ (an older layout has CREATED_TIME and FINISHED_TIME as BIGINT epoch seconds, a newer one CREATED_TIME as
 * DATETIME, printed in the session's time zone, which every connection pins to UTC).
 */

import { StarRocksResultShapeError } from '#domain/errors.ts';
import { datetimeUtcMillis } from './datetime-text.ts';
import { type ResultTable, readRows } from './result-table.ts';

/** A snapshot the FE keeps (only the newest finished automated one). */
export interface ClusterSnapshot {
  readonly name: string;
  /** SNAPSHOT_TYPE verbatim (`AUTOMATED`). */
  readonly type: string;
  /** When the snapshot was taken, epoch ms. */
  readonly createdAt: number;
  readonly storageVolume: string | null;
  readonly storagePath: string | null;
  readonly feJournalId: string | null;
}

/** lake/snapshot/ClusterSnapshotJob.ClusterSnapshotJobState. */
export type ClusterSnapshotJobState =
  | 'INITIALIZING'
  | 'SNAPSHOTING'
  | 'UPLOADING'
  | 'FINISHED'
  | 'EXPIRED'
  | 'DELETED'
  | 'ERROR';

/** One snapshot job. */
export interface ClusterSnapshotJob {
  readonly snapshotName: string;
  readonly jobId: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms; null while unfinished (the table shows 0). */
  readonly finishedAt: number | null;
  /** STATE verbatim (one of {@link ClusterSnapshotJobState} on the versions we know). */
  readonly state: string;
  readonly errorMessage: string | null;
}

/** Epoch seconds (BIGINT) or a `yyyy-MM-dd HH:mm:ss` DATETIME in UTC (the pinned session zone), as epoch ms. */
function instantOf(
  value: string,
  column: string,
  kind: 'CLUSTER SNAPSHOTS' | 'CLUSTER SNAPSHOT JOBS',
): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const ms = datetimeUtcMillis(text, { whole: false });
  if (ms !== null) return ms;
  throw new StarRocksResultShapeError(`${kind} reported ${column} ${JSON.stringify(text)}, not a time`);
}

/** Parses `SELECT * FROM information_schema.cluster_snapshots`. */
export function parseClusterSnapshots(table: ResultTable): ClusterSnapshot[] {
  const optional = ['STORAGE_VOLUME', 'STORAGE_PATH', 'FE_JOURNAL_ID'].filter((column) =>
    table.columns.some((candidate) => candidate.toUpperCase() === column),
  );
  return readRows(table, 'CLUSTER SNAPSHOTS', [
    'SNAPSHOT_NAME',
    'SNAPSHOT_TYPE',
    'CREATED_TIME',
    ...optional,
  ]).map((row) => ({
    name: row.text('SNAPSHOT_NAME'),
    type: row.nullable('SNAPSHOT_TYPE') ?? '',
    createdAt: instantOf(row.text('CREATED_TIME'), 'CREATED_TIME', 'CLUSTER SNAPSHOTS'),
    storageVolume: optional.includes('STORAGE_VOLUME') ? row.optional('STORAGE_VOLUME') : null,
    storagePath: optional.includes('STORAGE_PATH') ? row.optional('STORAGE_PATH') : null,
    feJournalId: optional.includes('FE_JOURNAL_ID') ? row.optional('FE_JOURNAL_ID') : null,
  }));
}

/** Parses `SELECT * FROM information_schema.cluster_snapshot_jobs`, oldest first. */
export function parseClusterSnapshotJobs(table: ResultTable): ClusterSnapshotJob[] {
  return readRows(table, 'CLUSTER SNAPSHOT JOBS', [
    'SNAPSHOT_NAME',
    'JOB_ID',
    'CREATED_TIME',
    'FINISHED_TIME',
    'STATE',
    'ERROR_MESSAGE',
  ])
    .map((row) => {
      const finished = row.optional('FINISHED_TIME');
      const finishedAt =
        finished === null || /^0+$/.test(finished.trim())
          ? null
          : instantOf(finished, 'FINISHED_TIME', 'CLUSTER SNAPSHOT JOBS');
      return {
        snapshotName: row.text('SNAPSHOT_NAME'),
        jobId: row.nullable('JOB_ID') ?? '',
        createdAt: instantOf(row.text('CREATED_TIME'), 'CREATED_TIME', 'CLUSTER SNAPSHOT JOBS'),
        finishedAt,
        state: (row.nullable('STATE') ?? '').trim().toUpperCase(),
        errorMessage: row.optional('ERROR_MESSAGE'),
      };
    })
    .sort((a, b) => a.createdAt - b.createdAt);
}
