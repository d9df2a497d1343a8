/**
 * SHOW RESTORE rows (18 VARCHAR columns, backup/RestoreJob.getInfo) as typed {@link RestoreJob}s.
 * Times and the Timestamp are kept verbatim. The times carry no zone and follow the session's `time_zone`
 * (common/util/TimeUtils.longToTimeString), which every connection pins to UTC (statements.ts SESSION_TIME_ZONE);
 * the Timestamp is the snapshot's, in the FE JVM's zone, and RESTORE needs it exactly.
 */
import {
  type BackupJobStatus,
  type BackupProgress,
  readJobOutcome,
  readJobState,
} from './parse-backup-job.ts';
import { type ResultTable, readRows } from './result-table.ts';

/** Every state of backup/RestoreJob.java, in the order a job goes through them (CANCELLED from any unfinished one). */
export const RESTORE_JOB_STATES = [
  'PENDING',
  'SNAPSHOTING',
  'DOWNLOAD',
  'DOWNLOADING',
  'COMMIT',
  'COMMITTING',
  'FINISHED',
  'CANCELLED',
] as const;

/** The state of a StarRocks restore job. */
export type RestoreJobState = (typeof RESTORE_JOB_STATES)[number];

/** The states after which a restore job does nothing more. */
export const TERMINAL_RESTORE_JOB_STATES: ReadonlySet<RestoreJobState> = new Set(['FINISHED', 'CANCELLED']);

/** One row of SHOW RESTORE. */
export interface RestoreJob {
  /** `-1` until the FE's first scheduler tick. */
  readonly jobId: string;
  readonly label: string;
  /** The `backup_timestamp` the restore reads, verbatim. */
  readonly timestamp: string;
  /** The database restored into. */
  readonly dbName: string;
  readonly state: RestoreJobState;
  /** `null` when the cell is neither `true` nor `false`. */
  readonly allowLoad: boolean | null;
  readonly replicationNum: number | null;
  /** The restored tables as StarRocks lists them (`t1, t2 PARTITIONS [p1, p2]`). */
  readonly restoreObjs: string;
  /** `yyyy-MM-dd HH:mm:ss` in the session's zone (UTC, pinned), verbatim; `null` while unset. */
  readonly createTime: string | null;
  readonly metaPreparedTime: string | null;
  readonly snapshotFinishedTime: string | null;
  readonly downloadFinishedTime: string | null;
  readonly finishedTime: string | null;
  readonly unfinishedTasks: string;
  /** Download progress summed over the running tasks; `null` when the column lists none. */
  readonly progress: BackupProgress | null;
  readonly taskErrMsg: string;
  /** `[OK]`, `[TIMEOUT, msg: restore job with label: <l>  timeout.]`, `[COMMON_ERROR, msg: user cancelled, …]`. */
  readonly status: BackupJobStatus;
  readonly timeoutSeconds: number | null;
}

const COLUMNS = [
  'JobId',
  'Label',
  'Timestamp',
  'DbName',
  'State',
  'AllowLoad',
  'ReplicationNum',
  'RestoreObjs',
  'CreateTime',
  'MetaPreparedTime',
  'SnapshotFinishedTime',
  'DownloadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
] as const;

const STATES: ReadonlySet<string> = new Set(RESTORE_JOB_STATES);

/** Parses every row of a SHOW RESTORE answer. */
export function parseRestoreJobs(table: ResultTable): RestoreJob[] {
  return readRows(table, 'SHOW RESTORE', COLUMNS).map((row) => {
    const state = readJobState<RestoreJobState>(row, 'SHOW RESTORE', STATES);
    const allowLoad = (row.nullable('AllowLoad') ?? '').trim().toLowerCase();
    return {
      jobId: row.nullable('JobId') ?? '',
      label: row.text('Label'),
      timestamp: row.nullable('Timestamp') ?? '',
      dbName: row.nullable('DbName') ?? '',
      state,
      allowLoad: allowLoad === 'true' ? true : allowLoad === 'false' ? false : null,
      replicationNum: row.optionalNumber('ReplicationNum'),
      restoreObjs: row.nullable('RestoreObjs') ?? '',
      createTime: row.optional('CreateTime'),
      metaPreparedTime: row.optional('MetaPreparedTime'),
      snapshotFinishedTime: row.optional('SnapshotFinishedTime'),
      downloadFinishedTime: row.optional('DownloadFinishedTime'),
      finishedTime: row.optional('FinishedTime'),
      ...readJobOutcome(row),
    };
  });
}

/** True once the restore job can change no more (FINISHED or CANCELLED). */
export function isTerminalRestoreState(state: RestoreJobState): boolean {
  return TERMINAL_RESTORE_JOB_STATES.has(state);
}
