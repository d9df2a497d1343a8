import type { BackupOutcome } from '../scenario.ts';
import type { CatalogTable } from './catalog.ts';

/** backup/BackupJob.java BackupJobState. */
export type BackupJobState =
  | 'PENDING'
  | 'SNAPSHOTING'
  | 'UPLOAD_SNAPSHOT'
  | 'UPLOADING'
  | 'SAVE_META'
  | 'UPLOAD_INFO'
  | 'FINISHED'
  | 'CANCELLED';

/** The scheduler's tick (BackupHandler runs every 3 s); the first tick gives the job its id. */
export const SCHEDULER_TICK_MS = 3000;
/** Phase shares of the time after the first tick. UPLOADING dominates, as on a real cluster. */
export const BACKUP_PHASE_SHARES = {
  SNAPSHOTING: 0.15,
  UPLOAD_SNAPSHOT: 0.05,
  UPLOADING: 0.6,
  SAVE_META: 0.05,
  UPLOAD_INFO: 0.15,
};
/** Where a hanging job stalls: 40 % through UPLOADING. */
export const HANG_FRACTION = 0.4;
/** The emulated BEs; tablets and per-BE tasks are spread over them. */
export const BACKEND_IDS = [10_002, 10_003, 10_004];

/** A BACKUP job as submitted; everything about its progress is derived from the clock on every read. */
export interface BackupJobRecord {
  readonly kind: 'BACKUP';
  /** The id the job gets at the first scheduler tick (SHOW BACKUP shows -1 before). */
  readonly jobId: number;
  readonly label: string;
  readonly database: string;
  readonly repository: string;
  /** Backed-up objects, sorted as StarRocks' TreeMap sorts them (case-insensitive). */
  readonly tables: readonly CatalogTable[];
  /** The BackupObjs cells, e.g. `db.tbl` (SHOW BACKUP wraps each in brackets). */
  readonly backupObjects: readonly string[];
  readonly createdAt: number;
  readonly timeoutMs: number;
  /** The fixed duration (scenario `backup.durationMs` / `defaultBackupDurationMs`). */
  readonly durationMs: number;
  /**
   * With an upload rate (scenario `uploadBytesPerSecond`): how long UPLOADING lasts, `uploadBytes / rate`. The
   * other states keep their share of `durationMs`; without it UPLOADING is its share of `durationMs` too.
   */
  readonly uploadingMs?: number;
  /** Bytes the job uploads: one replica of each partition it backs up. */
  readonly uploadBytes?: number;
  readonly outcome: BackupOutcome;
  /** A job someone else submitted (fault injection); it behaves the same. */
  readonly foreign: boolean;
  /** Set by CANCEL BACKUP. */
  cancelledAt?: number;
  /** Set when a fault completes the job early. */
  forcedFinishAt?: number;
  /** `false`: the Progress column stays empty (scenario `backup.progress: false`). */
  readonly progressColumn?: boolean;
  /** The job stands still from `startMs` for `forMs`, then resumes (fault `stallBackup`). */
  readonly stall?: { readonly startMs: number; readonly forMs: number };
}

/** The job as SHOW BACKUP would show it at one instant, plus what the repository holds. */
export interface BackupJobView {
  readonly state: BackupJobState;
  readonly done: boolean;
  /** `-1` before the first scheduler tick. */
  readonly shownJobId: number;
  readonly snapshotFinishedAt: number | undefined;
  readonly uploadFinishedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly unfinishedTasks: string;
  readonly progress: string;
  readonly status: string;
  /** When the `__ss_<label>` directory appeared (the upload started), if it has. */
  readonly snapshotDirSince: number | undefined;
  /** When the `__info_` file was written (the job finished), if it was. */
  readonly infoWrittenAt: number | undefined;
}

interface Timeline {
  firstTick: number;
  snapshotEnd: number;
  uploadSnapshotEnd: number;
  uploadingEnd: number;
  saveMetaEnd: number;
  finish: number;
}

function timeline(job: Pick<BackupJobRecord, 'createdAt' | 'durationMs' | 'uploadingMs'>): Timeline {
  const pending = Math.min(SCHEDULER_TICK_MS, job.durationMs * 0.05);
  const rest = job.durationMs - pending;
  const firstTick = job.createdAt + pending;
  const snapshotEnd = firstTick + rest * BACKUP_PHASE_SHARES.SNAPSHOTING;
  const uploadSnapshotEnd = snapshotEnd + rest * BACKUP_PHASE_SHARES.UPLOAD_SNAPSHOT;
  const uploadingEnd = uploadSnapshotEnd + (job.uploadingMs ?? rest * BACKUP_PHASE_SHARES.UPLOADING);
  const saveMetaEnd = uploadingEnd + rest * BACKUP_PHASE_SHARES.SAVE_META;
  return {
    firstTick,
    snapshotEnd,
    uploadSnapshotEnd,
    uploadingEnd,
    saveMetaEnd,
    finish:
      job.uploadingMs === undefined
        ? job.createdAt + job.durationMs
        : saveMetaEnd + rest * BACKUP_PHASE_SHARES.UPLOAD_INFO,
  };
}

/** How long a job takes from submission to FINISHED when nothing interferes. */
export function backupJobDurationMs(durationMs: number, uploadingMs: number | undefined): number {
  return timeline({ createdAt: 0, durationMs, ...(uploadingMs === undefined ? {} : { uploadingMs }) }).finish;
}

function naturalState(t: Timeline, at: number): Exclude<BackupJobState, 'FINISHED' | 'CANCELLED'> {
  if (at < t.firstTick) return 'PENDING';
  if (at < t.snapshotEnd) return 'SNAPSHOTING';
  if (at < t.uploadSnapshotEnd) return 'UPLOAD_SNAPSHOT';
  if (at < t.uploadingEnd) return 'UPLOADING';
  if (at < t.saveMetaEnd) return 'SAVE_META';
  return 'UPLOAD_INFO';
}

/**
 * A stall as two clock mappings. Job time is the clock the job advances by: the timeline is laid out on it
 * as if nothing stalled. `toJob` reads a wall instant as job time (standing still through the stall);
 * `toWall` places a job-time boundary on the wall clock (later by `forMs` once past the stall's start).
 */
interface StallClock {
  toJob(at: number): number;
  toWall(boundary: number): number;
}

function stallClock(job: BackupJobRecord): StallClock {
  const stall = job.stall;
  if (!stall) return { toJob: (at) => at, toWall: (boundary) => boundary };
  return {
    toJob: (at) =>
      at <= stall.startMs ? at : at < stall.startMs + stall.forMs ? stall.startMs : at - stall.forMs,
    toWall: (boundary) => (boundary > stall.startMs ? boundary + stall.forMs : boundary),
  };
}

interface Ending {
  at: number;
  state: 'FINISHED' | 'CANCELLED';
  status: string;
}

/** The first event that ends the job, if any will (wall-clock instants). */
function ending(job: BackupJobRecord, t: Timeline, clock: StallClock): Ending | undefined {
  const candidates: Ending[] = [];
  const outcome = job.outcome;
  if (outcome === 'finish')
    candidates.push({ at: clock.toWall(t.finish), state: 'FINISHED', status: '[OK]' });
  else if (typeof outcome === 'object') {
    const at = { SNAPSHOTING: t.snapshotEnd, UPLOADING: t.uploadingEnd, UPLOAD_INFO: t.finish }[
      outcome.atState ?? 'UPLOADING'
    ];
    candidates.push({ at: clock.toWall(at), state: 'CANCELLED', status: outcome.cancelWithStatus });
  }
  // BackupJob.run: `now - createTime > timeoutMs` on a scheduler tick, status [TIMEOUT, msg: ] (empty message).
  candidates.push({ at: job.createdAt + job.timeoutMs + 1, state: 'CANCELLED', status: '[TIMEOUT, msg: ]' });
  if (job.cancelledAt !== undefined) {
    candidates.push({
      at: job.cancelledAt,
      state: 'CANCELLED',
      status: '[COMMON_ERROR, msg: user cancelled]',
    });
  }
  if (job.forcedFinishAt !== undefined)
    candidates.push({ at: job.forcedFinishAt, state: 'FINISHED', status: '[OK]' });
  return candidates.reduce<Ending | undefined>(
    (first, candidate) => (first === undefined || candidate.at < first.at ? candidate : first),
    undefined,
  );
}

/** A tablet of a job's tables, with the BE holding it and how many files it has. */
export interface Tablet {
  readonly id: number;
  readonly backendId: number;
  readonly files: number;
}

/** The tablets of a job's stored tables (views have none): 1–4 per table, ids derived from the job id. */
export function tabletsOf(jobId: number, tables: readonly CatalogTable[]): Tablet[] {
  const tablets: Tablet[] = [];
  tables.forEach((table, tableIndex) => {
    if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') return;
    const count = Math.max(1, Math.min(4, Math.round(table.replicaCount / 3)));
    const filesPerTablet = 4 + Math.min(60, Math.floor(table.sizeBytes / (64 * 1024 * 1024) / count));
    for (let index = 0; index < count; index++) {
      const id = jobId + 100 + tableIndex * 10 + index;
      tablets.push({
        id,
        backendId: BACKEND_IDS[tablets.length % BACKEND_IDS.length] as number,
        files: filesPerTablet,
      });
    }
  });
  return tablets;
}

/** One task per BE (upload or download) over the files of its tablets. */
export interface BackendTask {
  readonly id: number;
  readonly backendId: number;
  readonly total: number;
}

/** The per-BE upload (BACKUP) or download (RESTORE) tasks of a job's tablets. */
export function backendTasksOf(jobId: number, tablets: readonly Tablet[]): BackendTask[] {
  return BACKEND_IDS.flatMap((backendId, index) => {
    const total = tablets
      .filter((tablet) => tablet.backendId === backendId)
      .reduce((sum, tablet) => sum + tablet.files, 0);
    return total === 0 ? [] : [{ id: jobId + 1 + index, backendId, total }];
  });
}

/** How far `at` is between `from` and `to`, clamped to 0–1. */
export function fraction(from: number, to: number, at: number): number {
  if (to <= from) return 1;
  return Math.min(1, Math.max(0, (at - from) / (to - from)));
}

/**
 * Derives the job's state at `now` from its record alone (no timers), so a virtual clock can jump ahead.
 * @param progressFormat `compact` `[id: done/total]` or `verbose` (newer BackupJob.getInfo)
 */
export function viewBackupJob(
  job: BackupJobRecord,
  now: number,
  progressFormat: 'compact' | 'verbose',
): BackupJobView {
  const t = timeline(job);
  const clock = stallClock(job);
  const next = ending(job, t, clock);
  // The ending that has already happened, if any; a done job shows the instant it ended.
  const ended = next !== undefined && next.at <= now ? next : undefined;
  const at = ended?.at ?? now;
  const hangAt = t.uploadSnapshotEnd + (t.uploadingEnd - t.uploadSnapshotEnd) * HANG_FRACTION;
  // How far the job itself has come (job time): a stall or a hang holds it back, the wall clock runs on.
  const jobAt = clock.toJob(at);
  const progressAt = job.outcome === 'hang' ? Math.min(jobAt, hangAt) : jobAt;
  const natural = naturalState(t, progressAt);
  const finished = ended?.state === 'FINISHED';
  const forced = finished && job.forcedFinishAt === ended?.at;

  const tablets = tabletsOf(job.jobId, job.tables);
  const tasks = backendTasksOf(job.jobId, tablets);
  const reached = (boundary: number): boolean => progressAt >= boundary || forced;

  let unfinishedTasks = '';
  let progress = '';
  if (natural === 'SNAPSHOTING' && !forced) {
    const remaining = Math.ceil(tablets.length * (1 - fraction(t.firstTick, t.snapshotEnd, progressAt)));
    unfinishedTasks = tablets
      .slice(tablets.length - remaining)
      .map((tablet) => `${tablet.id}=${tablet.backendId}`)
      .join(', ');
  }
  if (reached(t.uploadSnapshotEnd)) {
    const uploaded = forced ? 1 : fraction(t.uploadSnapshotEnd, t.uploadingEnd, progressAt);
    const entries = tasks.map((task) => ({ task, done: Math.floor(task.total * uploaded) }));
    progress = (job.progressColumn === false ? [] : entries)
      .map(({ task, done }) =>
        progressFormat === 'compact'
          ? `[${task.id}: ${done}/${task.total}]`
          : `[ task id: ${task.id} -> finished part:${done}/ total number of subtasks:${task.total}]`,
      )
      .join(', ');
    if (natural === 'UPLOADING' && !forced) {
      unfinishedTasks = entries
        .filter(({ task, done }) => done < task.total)
        .map(({ task }) => `${task.id}=${task.backendId}`)
        .join(', ');
    }
  }
  // A cancelled job keeps its unfinished task list (BackupJob.cancelInternal does not clear it).
  if (finished) unfinishedTasks = '';

  return {
    state: ended?.state ?? natural,
    done: ended !== undefined,
    shownJobId: jobAt >= t.firstTick || forced ? job.jobId : -1,
    snapshotFinishedAt: reached(t.snapshotEnd) ? Math.min(clock.toWall(t.snapshotEnd), at) : undefined,
    uploadFinishedAt: reached(t.uploadingEnd) ? Math.min(clock.toWall(t.uploadingEnd), at) : undefined,
    finishedAt: ended?.at,
    unfinishedTasks,
    progress,
    status: ended?.status ?? '[OK]',
    snapshotDirSince: reached(t.uploadSnapshotEnd)
      ? Math.min(clock.toWall(t.uploadSnapshotEnd), at)
      : undefined,
    infoWrittenAt: finished ? ended?.at : undefined,
  };
}
