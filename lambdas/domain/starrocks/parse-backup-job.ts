/**
 * SHOW BACKUP rows (14 VARCHAR columns, sql/ast/ShowBackupStmt.java) as typed {@link BackupJob}s.
 * FE times are kept verbatim. They carry no zone and follow the session's `time_zone`
 * (common/util/TimeUtils.longToTimeString), which every connection pins to UTC (statements.ts SESSION_TIME_ZONE);
 * deadlines are still measured on our own clock.
 */
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { type ResultTable, type RowReader, readRows } from './result-table.ts';

/** Every state of backup/BackupJob.java, in the order a job goes through them (CANCELLED from any unfinished one). */
export const BACKUP_JOB_STATES = [
  'PENDING',
  'SNAPSHOTING',
  'UPLOAD_SNAPSHOT',
  'UPLOADING',
  'SAVE_META',
  'UPLOAD_INFO',
  'FINISHED',
  'CANCELLED',
] as const;

/** The state of a StarRocks backup job. */
export type BackupJobState = (typeof BACKUP_JOB_STATES)[number];

/** The states after which a job does nothing more. */
export const TERMINAL_BACKUP_JOB_STATES: ReadonlySet<BackupJobState> = new Set(['FINISHED', 'CANCELLED']);

/** The Status column: `[OK]` or `[<CODE>, msg: <text>]` (codes of backup/Status.java). */
export interface BackupJobStatus {
  /** The cell as StarRocks wrote it. */
  readonly raw: string;
  /** `OK`, `TIMEOUT`, `COMMON_ERROR`, …; `null` when the text has another shape. */
  readonly code: string | null;
  /** The text after `msg: ` (may be empty, as for `[TIMEOUT, msg: ]`). */
  readonly msg: string;
}

/** Tasks done and total, summed over the Progress column's entries. */
export interface BackupProgress {
  readonly done: number;
  readonly total: number;
}

/** One row of SHOW BACKUP. */
export interface BackupJob {
  /** `-1` until the FE's first scheduler tick. */
  readonly jobId: string;
  readonly snapshotName: string;
  readonly dbName: string;
  readonly state: BackupJobState;
  /** `[db.tbl], [db.tbl2]` as StarRocks wrote it. */
  readonly backupObjs: string;
  /** `yyyy-MM-dd HH:mm:ss` in the session's zone (UTC, pinned), verbatim; `null` while unset. */
  readonly createTime: string | null;
  readonly snapshotFinishedTime: string | null;
  readonly uploadFinishedTime: string | null;
  readonly finishedTime: string | null;
  readonly unfinishedTasks: string;
  /** Parsed Progress; `null` when the column lists no task. */
  readonly progress: BackupProgress | null;
  /** `[taskId: msg], …`; may be non-empty even when FINISHED. */
  readonly taskErrMsg: string;
  readonly status: BackupJobStatus;
  /** StarRocks' own timeout in seconds; `null` if the cell is empty. */
  readonly timeoutSeconds: number | null;
}

/** The columns we read; others are ignored. */
const COLUMNS = [
  'JobId',
  'SnapshotName',
  'DbName',
  'State',
  'BackupObjs',
  'CreateTime',
  'SnapshotFinishedTime',
  'UploadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
] as const;

const STATES: ReadonlySet<string> = new Set(BACKUP_JOB_STATES);

/** Parses the Status cell (`[OK]`, `[TIMEOUT, msg: ]`, `[COMMON_ERROR, msg: user cancelled]`). */
export function parseBackupStatus(raw: string): BackupJobStatus {
  const match = /^\s*\[\s*([A-Z][A-Z0-9_]*)\s*(?:,\s*msg:\s?([\s\S]*?))?\]\s*$/.exec(raw);
  if (!match) {
    return { raw, code: null, msg: raw };
  }
  return { raw, code: match[1] ?? null, msg: match[2] ?? '' };
}

/**
 * Both Progress formats of BackupJob.getInfo: `[taskId: done/total]` (older builds) and
 * `[ task id: <id> -> finished part:<done>/ total number of subtasks:<total>]` (newer builds).
 */
const PROGRESS_ENTRY =
  /finished part:\s*(\d+)\s*\/\s*total number of subtasks:\s*(\d+)|:\s*(\d+)\s*\/\s*(\d+)/g;

/** Sums the Progress entries over every task; `null` when no entry is present. */
export function parseBackupProgress(raw: string | null): BackupProgress | null {
  if (raw === null) {
    return null;
  }
  let done = 0;
  let total = 0;
  let entries = 0;
  for (const match of raw.matchAll(PROGRESS_ENTRY)) {
    done += Number(match[1] ?? match[3]);
    total += Number(match[2] ?? match[4]);
    entries += 1;
  }
  return entries === 0 ? null : { done, total };
}

/** A row's State, refused when it is none of `states` (a version we do not know). */
export function readJobState<State extends string>(
  row: RowReader,
  statement: 'SHOW BACKUP' | 'SHOW RESTORE',
  states: ReadonlySet<string>,
): State {
  const state = row.text('State');
  if (!states.has(state)) {
    throw new StarRocksResultShapeError(
      `${statement} reported an unknown job state ${JSON.stringify(state)}`,
    );
  }
  return state as State;
}

/** The columns SHOW BACKUP and SHOW RESTORE end with alike (both come from AbstractJob's progress and status). */
export function readJobOutcome(row: RowReader): {
  unfinishedTasks: string;
  progress: BackupProgress | null;
  taskErrMsg: string;
  status: BackupJobStatus;
  timeoutSeconds: number | null;
} {
  return {
    unfinishedTasks: row.nullable('UnfinishedTasks') ?? '',
    progress: parseBackupProgress(row.nullable('Progress')),
    taskErrMsg: row.nullable('TaskErrMsg') ?? '',
    status: parseBackupStatus(row.nullable('Status') ?? ''),
    timeoutSeconds: row.optionalNumber('Timeout'),
  };
}

/** Parses every row of a SHOW BACKUP answer. */
export function parseBackupJobs(table: ResultTable): BackupJob[] {
  return readRows(table, 'SHOW BACKUP', COLUMNS).map((row) => {
    const state = readJobState<BackupJobState>(row, 'SHOW BACKUP', STATES);
    return {
      jobId: row.nullable('JobId') ?? '',
      snapshotName: row.text('SnapshotName'),
      dbName: row.nullable('DbName') ?? '',
      state,
      backupObjs: row.nullable('BackupObjs') ?? '',
      createTime: row.optional('CreateTime'),
      snapshotFinishedTime: row.optional('SnapshotFinishedTime'),
      uploadFinishedTime: row.optional('UploadFinishedTime'),
      finishedTime: row.optional('FinishedTime'),
      ...readJobOutcome(row),
    };
  });
}

/** True once the job can change no more (FINISHED or CANCELLED). */
export function isTerminalBackupState(state: BackupJobState): boolean {
  return TERMINAL_BACKUP_JOB_STATES.has(state);
}
