import type { RestoreOutcome } from '../scenario.ts';
import { backendTasksOf, fraction, HANG_FRACTION, SCHEDULER_TICK_MS, tabletsOf } from './backup-job.ts';
import type { CatalogTable } from './catalog.ts';

/** backup/RestoreJob.java RestoreJobState. */
export type RestoreJobState =
  | 'PENDING'
  | 'SNAPSHOTING'
  | 'DOWNLOAD'
  | 'DOWNLOADING'
  | 'COMMIT'
  | 'COMMITTING'
  | 'FINISHED'
  | 'CANCELLED';

/** Phase shares of the time after the first tick. DOWNLOADING dominates, as on a real cluster. */
const SHARES = { SNAPSHOTING: 0.1, DOWNLOAD: 0.05, DOWNLOADING: 0.6, COMMIT: 0.05, COMMITTING: 0.2 };

/** A table the job restores: the snapshot's table and the name it gets in the target database (its alias). */
export interface RestoredTable {
  readonly source: CatalogTable;
  readonly target: string;
}

/** A RESTORE job as submitted; its progress is derived from the clock on every read. */
export interface RestoreJobRecord {
  readonly kind: 'RESTORE';
  /** The id the job gets at the first scheduler tick, in checkAndPrepareMeta (SHOW RESTORE shows -1 before). */
  readonly jobId: number;
  readonly label: string;
  /** The `backup_timestamp` property, verbatim (SHOW RESTORE's Timestamp column). */
  readonly backupTimestamp: string;
  /** The database restored into. */
  readonly database: string;
  readonly repository: string;
  readonly tables: readonly RestoredTable[];
  /** The RestoreObjs cell (BackupJobInfo.getInfo: snapshot table names in Java HashMap order). */
  readonly restoreObjects: string;
  readonly allowLoad: boolean;
  readonly replicationNum: number;
  readonly createdAt: number;
  readonly timeoutMs: number;
  readonly durationMs: number;
  readonly outcome: RestoreOutcome;
  /**
   * RestoreJob.checkAndPrepareMeta refused the job (restoring into an existing table): the Status it is
   * cancelled with at the first scheduler tick, e.g. `[COMMON_ERROR, msg: Table t already exist but with
   * different schema, errMsg: ]`. The emulator checks at submission, against the catalog as it is then.
   */
  readonly refusal?: string;
  /** Set by CANCEL RESTORE. */
  cancelledAt?: number;
  /** Set once the restored tables are in the catalog (the FE settles finished jobs lazily, on the next read). */
  applied?: boolean;
}

/** The job as SHOW RESTORE would show it at one instant. */
export interface RestoreJobView {
  readonly state: RestoreJobState;
  readonly done: boolean;
  readonly shownJobId: number;
  readonly metaPreparedAt: number | undefined;
  readonly snapshotFinishedAt: number | undefined;
  readonly downloadFinishedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly unfinishedTasks: string;
  readonly progress: string;
  readonly status: string;
}

interface Timeline {
  firstTick: number;
  snapshotEnd: number;
  downloadEnd: number;
  downloadingEnd: number;
  commitEnd: number;
  finish: number;
}

function timeline(job: RestoreJobRecord): Timeline {
  const pending = Math.min(SCHEDULER_TICK_MS, job.durationMs * 0.05);
  const rest = job.durationMs - pending;
  const firstTick = job.createdAt + pending;
  const snapshotEnd = firstTick + rest * SHARES.SNAPSHOTING;
  const downloadEnd = snapshotEnd + rest * SHARES.DOWNLOAD;
  const downloadingEnd = downloadEnd + rest * SHARES.DOWNLOADING;
  const commitEnd = downloadingEnd + rest * SHARES.COMMIT;
  return {
    firstTick,
    snapshotEnd,
    downloadEnd,
    downloadingEnd,
    commitEnd,
    finish: job.createdAt + job.durationMs,
  };
}

function naturalState(t: Timeline, at: number): Exclude<RestoreJobState, 'FINISHED' | 'CANCELLED'> {
  if (at < t.firstTick) return 'PENDING';
  if (at < t.snapshotEnd) return 'SNAPSHOTING';
  if (at < t.downloadEnd) return 'DOWNLOAD';
  if (at < t.downloadingEnd) return 'DOWNLOADING';
  if (at < t.commitEnd) return 'COMMIT';
  return 'COMMITTING';
}

interface Ending {
  at: number;
  state: 'FINISHED' | 'CANCELLED';
  status: string;
}

/** The point a hanging job stalls at: 40 % through DOWNLOADING. */
function hangPoint(t: Timeline): number {
  return t.downloadEnd + (t.downloadingEnd - t.downloadEnd) * HANG_FRACTION;
}

function ending(job: RestoreJobRecord, t: Timeline): Ending | undefined {
  const candidates: Ending[] = [];
  const outcome = job.outcome;
  // RestoreJob.run → checkAndPrepareMeta runs in PENDING, on the first scheduler tick; a failure cancels the job.
  if (job.refusal !== undefined)
    candidates.push({ at: t.firstTick, state: 'CANCELLED', status: job.refusal });
  else if (outcome === 'finish') candidates.push({ at: t.finish, state: 'FINISHED', status: '[OK]' });
  else if (typeof outcome === 'object') {
    const at = { SNAPSHOTING: t.snapshotEnd, DOWNLOADING: t.downloadingEnd, COMMITTING: t.finish }[
      outcome.atState ?? 'DOWNLOADING'
    ];
    candidates.push({ at, state: 'CANCELLED', status: outcome.cancelWithStatus });
  }
  // RestoreJob.run: `now - createTime > timeoutMs` → Status(TIMEOUT, "restore job with label: <l>  timeout.").
  candidates.push({
    at: job.createdAt + job.timeoutMs + 1,
    state: 'CANCELLED',
    status: `[TIMEOUT, msg: restore job with label: ${job.label}  timeout.]`,
  });
  if (job.cancelledAt !== undefined) {
    // RestoreJob.cancel: Status(COMMON_ERROR, "user cancelled, current state: " + state.name()).
    const progressAt = job.outcome === 'hang' ? Math.min(job.cancelledAt, hangPoint(t)) : job.cancelledAt;
    candidates.push({
      at: job.cancelledAt,
      state: 'CANCELLED',
      status: `[COMMON_ERROR, msg: user cancelled, current state: ${naturalState(t, progressAt)}]`,
    });
  }
  return candidates.reduce<Ending | undefined>(
    (first, candidate) => (first === undefined || candidate.at < first.at ? candidate : first),
    undefined,
  );
}

/**
 * Derives the job's state at `now` from its record alone (no timers).
 * UnfinishedTasks lists `signature=tabletId` while snapshotting and committing and `signature=beId` while
 * downloading (Joiner over unfinishedSignatureToId); Progress lists `[signature: done/total]` per running
 * download task (taskProgress), as RestoreJob.getInfo prints them.
 */
export function viewRestoreJob(job: RestoreJobRecord, now: number): RestoreJobView {
  const t = timeline(job);
  const next = ending(job, t);
  const ended = next !== undefined && next.at <= now ? next : undefined;
  const at = ended?.at ?? now;
  const progressAt = job.outcome === 'hang' ? Math.min(at, hangPoint(t)) : at;
  const natural = naturalState(t, progressAt);
  const finished = ended?.state === 'FINISHED';

  const tablets = tabletsOf(
    job.jobId,
    job.tables.map((table) => table.source),
  );
  const signatureOf = (index: number) => job.jobId + 1000 + index;
  let unfinishedTasks = '';
  let progress = '';
  if (!finished && (natural === 'SNAPSHOTING' || natural === 'COMMITTING')) {
    const [from, to] = natural === 'SNAPSHOTING' ? [t.firstTick, t.snapshotEnd] : [t.commitEnd, t.finish];
    const remaining = Math.ceil(tablets.length * (1 - fraction(from, to, progressAt)));
    unfinishedTasks = tablets
      .slice(tablets.length - remaining)
      .map((tablet, index) => `${signatureOf(tablets.length - remaining + index)}=${tablet.id}`)
      .join(', ');
  }
  if (!finished && natural === 'DOWNLOADING') {
    const downloaded = fraction(t.downloadEnd, t.downloadingEnd, progressAt);
    const running = backendTasksOf(job.jobId, tablets)
      .map((task) => ({ task, done: Math.floor(task.total * downloaded) }))
      .filter(({ task, done }) => done < task.total);
    unfinishedTasks = running.map(({ task }) => `${task.id}=${task.backendId}`).join(', ');
    progress = running.map(({ task, done }) => `[${task.id}: ${done}/${task.total}]`).join(', ');
  }
  const reached = (boundary: number): number | undefined =>
    progressAt >= boundary ? Math.min(boundary, at) : undefined;

  return {
    state: ended?.state ?? natural,
    done: ended !== undefined,
    shownJobId: at >= t.firstTick ? job.jobId : -1,
    metaPreparedAt: job.refusal === undefined ? reached(t.firstTick) : undefined,
    snapshotFinishedAt: reached(t.snapshotEnd),
    downloadFinishedAt: reached(t.downloadingEnd),
    finishedAt: ended?.at,
    unfinishedTasks,
    progress,
    status: ended?.status ?? '[OK]',
  };
}
