import type { Statement } from '#local/emulator/sql/ast.ts';
import type { BackupJobRecord } from '../backup-job.ts';
import { analyzerError, executionError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { type Cell, OK, type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';
import { checkDatabaseName } from './backup.ts';

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
function backupRow(fe: Frontend, job: BackupJobRecord, session: Session): Cell[] {
  const view = fe.view(job);
  // TimeUtils.longToTimeString: the session's time_zone, not the JVM's.
  const zone = fe.sessionZone(session);
  const time = (at: number | undefined): Cell => (at === undefined ? null : zone.dateTime(at));
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
 * latest job. A row exists only while the database's slot holds a BACKUP job. After the REPOSITORY check, a job
 * with a table the user may not EXPORT empties the whole answer (ShowExecutor.visitShowBackupStatement returns
 * EMPTY_SET at the first such job).
 */
export function showBackup(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_BACKUP' }>,
  session: Session,
): Reply {
  let databases = fe.catalog.all();
  if (statement.database !== undefined) {
    const database = fe.catalog.get(statement.database);
    if (!database) throw analyzerError(`Unknown database '${statement.database}'`, 'ERR_BAD_DB_ERROR');
    databases = [database];
  }
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  const rows: Cell[][] = [];
  for (const database of databases) {
    const job = fe.slotJob(database);
    if (job?.kind !== 'BACKUP') continue;
    const denied = job.tables.some(
      (table) =>
        !fe.access.allows(session, 'EXPORT', { type: 'TABLE', database: job.database, name: table.name }),
    );
    if (denied) return varcharResult(SHOW_BACKUP_COLUMNS, []);
    rows.push(backupRow(fe, job, session));
  }
  return varcharResult(SHOW_BACKUP_COLUMNS, rows);
}

/**
 * `CANCEL BACKUP|RESTORE [FROM|IN db]`: the REPOSITORY privilege, the database (AuthorizerStmtVisitor looks the
 * job up and answers ERR_BAD_DB_ERROR), EXPORT on the tables of a BACKUP job in the slot, then
 * BackupHandler.cancel: `No backup job is currently running` / `No restore is currently running` when the slot
 * holds no job of that kind, `Failed to cancel job: …` for a job that has ended.
 */
export function cancelJob(
  fe: Frontend,
  kind: 'BACKUP' | 'RESTORE',
  databaseName: string | undefined,
  session: Session,
): Reply {
  if (databaseName !== undefined) checkDatabaseName(databaseName);
  const name = databaseName ?? session.database;
  // UNVERIFIED: without FROM and without a session database StarRocks (PR #40092) answers with a readable error.
  if (name === undefined) throw analyzerError('No database selected', 'ERR_NO_DB_ERROR');
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  const database = fe.catalog.get(name);
  if (!database) throw analyzerError(`Unknown database '${name}'`, 'ERR_BAD_DB_ERROR');
  const job = fe.slotJob(database);
  if (job?.kind === 'BACKUP') {
    for (const table of job.tables) {
      fe.access.require(session, 'EXPORT', { type: 'TABLE', database: job.database, name: table.name });
    }
  }
  if (job?.kind !== kind) {
    // BackupHandler.cancel builds "No " + (restore ? "restore" : "backup" + " job") + " is currently running".
    throw executionError(
      kind === 'BACKUP' ? 'No backup job is currently running' : 'No restore is currently running',
      'ERR_COMMON_ERROR',
    );
  }
  const end = fe.jobEnd(job);
  if (end.done) {
    const state = job.kind === 'BACKUP' ? fe.view(job).state : fe.restoreView(job).state;
    throw executionError(
      `Failed to cancel job: Job with label ${job.label} can not be cancelled. state: ${state}`,
      'ERR_COMMON_ERROR',
    );
  }
  job.cancelledAt = fe.now();
  return OK;
}

/** `CANCEL BACKUP [FROM|IN db]` (BackupHandler.cancel + BackupJob.cancel). */
export function cancelBackup(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'CANCEL_BACKUP' }>,
  session: Session,
): Reply {
  return cancelJob(fe, 'BACKUP', statement.database, session);
}
