import type { Statement } from '../../sql/ast.ts';
import type { BackupJobRecord } from '../backup-job.ts';
import { analyzerError, executionError } from '../errors.ts';
import type { Frontend, Session } from '../frontend.ts';
import { type Cell, OK, type Reply, varcharResult } from '../result.ts';

/** sql/ast/ShowBackupStmt.java TITLE_NAMES. */
export const SHOW_BACKUP_COLUMNS = [
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

/** BackupJob.getInfo: one SHOW BACKUP row. Unset times are `\N`, which goes out as SQL NULL. */
function backupRow(fe: Frontend, job: BackupJobRecord): Cell[] {
  const view = fe.view(job);
  const time = (at: number | undefined): Cell => (at === undefined ? null : fe.zone.dateTime(at));
  return [
    String(view.shownJobId),
    job.label,
    job.database,
    view.state,
    job.backupObjects.map((object) => `[${object}]`).join(', '),
    time(job.createdAt),
    time(view.snapshotFinishedAt),
    time(view.uploadFinishedAt),
    time(view.finishedAt),
    view.unfinishedTasks,
    view.progress,
    '',
    view.status,
    String(Math.floor(job.timeoutMs / 1000)),
  ];
}

/**
 * `SHOW BACKUP [FROM|IN db]` (3.0+ scope, PR #17528): with FROM the db's latest job, without it every database's
 * latest job. A row exists only while the database's slot holds a BACKUP job.
 */
export function showBackup(fe: Frontend, statement: Extract<Statement, { kind: 'SHOW_BACKUP' }>): Reply {
  let databases = fe.catalog.all();
  if (statement.database !== undefined) {
    const database = fe.catalog.get(statement.database);
    if (!database) throw analyzerError(`Unknown database '${statement.database}'`, 'ERR_BAD_DB_ERROR');
    databases = [database];
  }
  const rows = databases.flatMap((database) => {
    const job = fe.slotJob(database);
    return job ? [backupRow(fe, job)] : [];
  });
  return varcharResult(SHOW_BACKUP_COLUMNS, rows);
}

/** `CANCEL BACKUP [FROM|IN db]` (BackupHandler.cancel + BackupJob.cancel). */
export function cancelBackup(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'CANCEL_BACKUP' }>,
  session: Session,
): Reply {
  const name = statement.database ?? session.database;
  // UNVERIFIED: without FROM and without a session database StarRocks (PR #40092) answers with a readable error.
  if (name === undefined) throw analyzerError('No database selected', 'ERR_NO_DB_ERROR');
  const database = fe.catalog.get(name);
  if (!database) throw executionError(`Unknown database '${name}'`, 'ERR_BAD_DB_ERROR');
  const job = fe.slotJob(database);
  if (!job) throw executionError('No backup job is currently running', 'ERR_COMMON_ERROR');
  const view = fe.view(job);
  if (view.done) {
    throw executionError(
      `Failed to cancel job: Job with label ${job.label} can not be cancelled. state: ${view.state}`,
      'ERR_COMMON_ERROR',
    );
  }
  job.cancelledAt = fe.now();
  return OK;
}
