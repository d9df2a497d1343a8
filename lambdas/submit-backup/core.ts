import type { CatalogStore } from '../catalog/index.ts';
import type { LockStore } from '../lock/index.ts';
import { nextCheckSeconds } from '../poll/next-check.ts';
import type { Clock } from '../shared/clock.ts';
import { backupTimeoutPropertySeconds } from '../shared/config/index.ts';
import { EmptyDatabaseError, SnapshotLabelExistsError } from '../shared/errors.ts';
import { extendLeases, renewLeases, requireLeases } from '../shared/leases.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { BackupDatabaseState, TrackedJob } from '../shared/workflow-state.ts';
import {
  type BackupJob,
  capabilitiesOf,
  isTerminalBackupState,
  MAX_LABEL_ATTEMPTS,
  type StarRocksClient,
  slotLabels,
} from '../starrocks/index.ts';

/** How many earlier durations feed the poll policy's estimate. */
const HISTORY_DEPTH = 7;

/** What SubmitBackup needs. */
export interface SubmitBackupDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot' | 'noteSubmission' | 'readSubmission'>;
  readonly catalog: Pick<CatalogStore, 'listAttemptsAt' | 'recentDurations'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/** What this execution submitted earlier (a retried SubmitBackup), as its lock records it. */
interface OwnSubmission {
  readonly label: string;
  readonly labelAttempt: number;
  readonly submittedAt: number;
}

type Decision =
  | {
      readonly kind: 'submitted';
      readonly label: string;
      readonly attempt: number;
      readonly submittedAt: number;
      readonly job?: BackupJob;
    }
  | {
      readonly kind: 'adopted-job';
      readonly label: string;
      readonly attempt: number;
      readonly job: BackupJob;
    }
  | { readonly kind: 'adopted-snapshot'; readonly label: string; readonly attempt: number };

/**
 * Adopts what this slot already produced, or submits BACKUP SNAPSHOT: a good snapshot in the catalog or in
 * the repository, or our label still running in SHOW BACKUP, is adopted and never resubmitted; a label
 * StarRocks says exists (a leftover from an interrupted upload) moves to the next attempt suffix.
 * Acts only while this execution still holds both leases (fenced by their tokens, renewed on entry and again
 * right before BACKUP, where the lock also records the label and time being submitted: a retry after a lost
 * answer finds its own job and keeps its submission time, and whoever inherits the lock finds the job).
 */
export async function submitBackup(state: BackupDatabaseState, deps: SubmitBackupDeps): Promise<TrackedJob> {
  const leases = requireLeases(state);
  await renewLeases(deps.locks, leases, state.cluster.lock.leaseSeconds);
  const own = await deps.locks.readSubmission(leases.lock);

  const decision =
    (await adoptFromCatalog(state, deps)) ??
    (await deps.starRocks((client) => adoptOrSubmit(state, client, own, deps)));
  const now = deps.clock.now();
  const historySeconds = await deps.catalog.recentDurations({
    cluster: state.cluster.name,
    database: state.database,
    limit: HISTORY_DEPTH,
  });
  const seenJob = decision.kind === 'adopted-snapshot' ? undefined : decision.job;
  const running = decision.kind !== 'adopted-snapshot' && (!seenJob || !isTerminalBackupState(seenJob.state));
  const adoptedJob = seenJob;
  // A job of someone else's adopted: its start is unknown to our clock, so the deadline counts from now. Our own
  // earlier submission keeps its time, so its duration and deadline stay true.
  const submittedAt = decision.kind === 'submitted' ? decision.submittedAt : now;
  const job: TrackedJob = {
    label: decision.label,
    labelAttempt: decision.attempt,
    phase: running ? 'running' : 'finished',
    origin: decision.kind,
    submittedAt,
    deadlineAt: submittedAt + state.cluster.timeoutSeconds * 1000,
    checkedAt: now,
    starRocksState: adoptedJob?.state ?? null,
    starRocksJobId: adoptedJob?.jobId ?? null,
    progress: adoptedJob?.progress ?? null,
    nextWaitSeconds: 0,
    polls: 0,
    historySeconds,
  };
  if (running) job.nextWaitSeconds = nextCheckSeconds(state.cluster, job, now);
  await extendLeases(deps.locks, state, job.nextWaitSeconds);
  deps.logger.info('backup tracked', {
    label: job.label,
    origin: job.origin,
    phase: job.phase,
    nextWaitSeconds: job.nextWaitSeconds,
  });
  return job;
}

/** A FINISHED, verified attempt of this very slot in the catalog: the slot already ran. */
async function adoptFromCatalog(
  state: BackupDatabaseState,
  deps: SubmitBackupDeps,
): Promise<Decision | undefined> {
  const attempts = await deps.catalog.listAttemptsAt({
    cluster: state.cluster.name,
    database: state.database,
    scheduledTime: state.scheduledTime,
  });
  const good = attempts.find((attempt) => attempt.state === 'FINISHED' && attempt.verified);
  if (!good) return undefined;
  return { kind: 'adopted-snapshot', label: good.label, attempt: attemptOfLabel(state, good.label) };
}

async function adoptOrSubmit(
  state: BackupDatabaseState,
  client: StarRocksClient,
  own: OwnSubmission | undefined,
  deps: SubmitBackupDeps,
): Promise<Decision> {
  const labels = labelsOfSlot(state);
  const version = await client.currentVersion();

  const latest = await client.showBackup(state.database);
  const latestAttempt = latest ? labels.indexOf(latest.snapshotName) + 1 : 0;
  if (latest && latestAttempt > 0 && latest.state !== 'CANCELLED') {
    if (own?.label === latest.snapshotName) {
      // Our own submission, whose answer was lost (a Lambda or statement timeout after BACKUP was accepted).
      return {
        kind: 'submitted',
        label: latest.snapshotName,
        attempt: latestAttempt,
        submittedAt: own.submittedAt,
        job: latest,
      };
    }
    return { kind: 'adopted-job', label: latest.snapshotName, attempt: latestAttempt, job: latest };
  }

  const snapshot = await client.showSnapshot(state.cluster.repository, state.label);
  if (snapshot?.ok) {
    const timestamp = snapshot.timestamps.at(-1);
    const detail =
      timestamp === undefined
        ? null
        : await client.showSnapshotDetail(state.cluster.repository, state.label, timestamp);
    if (detail?.database === state.database)
      return { kind: 'adopted-snapshot', label: state.label, attempt: 1 };
  }

  const tables = capabilitiesOf(version).supportsViewsInWholeDbBackup
    ? undefined
    : await olapTablesIfMixed(state, client);
  // A cancelled job of ours may have left its __ss_ directory behind: start past it.
  for (
    let attempt = Math.max(1, latestAttempt + (latestAttempt > 0 ? 1 : 0));
    attempt <= MAX_LABEL_ATTEMPTS;
    attempt += 1
  ) {
    const label = labels[attempt - 1] as string;
    const submittedAt = deps.clock.now();
    // The last fence before BACKUP, for both leases; the lock keeps what is submitted, for a retry or an heir.
    await deps.locks.noteSubmission({
      ...requireLeases(state).lock,
      label,
      labelAttempt: attempt,
      submittedAt,
      extendSeconds: state.cluster.lock.leaseSeconds,
    });
    await deps.locks.renewSlot({
      ...requireLeases(state).slot,
      extendSeconds: state.cluster.lock.leaseSeconds,
    });
    try {
      await client.submitBackup({
        database: state.database,
        label,
        repository: state.cluster.repository,
        timeoutSeconds: backupTimeoutPropertySeconds(state.cluster.timeoutSeconds),
        type: state.cluster.backupType,
        version,
        ...(tables === undefined ? {} : { tables }),
      });
      return { kind: 'submitted', label, attempt, submittedAt };
    } catch (error) {
      if (!(error instanceof SnapshotLabelExistsError)) throw error;
      deps.logger.warn('label already used in the repository; trying the next attempt', { label, attempt });
    }
  }
  throw new SnapshotLabelExistsError(
    `every label of this slot up to attempt ${MAX_LABEL_ATTEMPTS} already exists in repository ${state.cluster.repository}`,
  );
}

/**
 * On StarRocks ≤ 3.3 a whole-database BACKUP fails on a view, materialized view or external table: back up
 * the OLAP tables by name instead. Undefined = the whole database (nothing else in it).
 */
async function olapTablesIfMixed(
  state: BackupDatabaseState,
  client: StarRocksClient,
): Promise<string[] | undefined> {
  const tables = await client.listTables(state.database);
  const olap = tables.filter((table) => table.kind === 'OLAP').map((table) => table.name);
  if (olap.length === tables.length) return undefined;
  if (olap.length === 0) {
    throw new EmptyDatabaseError(
      `database ${state.database} has no OLAP table to back up (only views or external tables)`,
    );
  }
  return olap;
}

function labelsOfSlot(state: BackupDatabaseState): string[] {
  return slotLabels({
    cluster: state.cluster.name,
    schedule: state.schedule,
    database: state.database,
    scheduledTime: new Date(state.scheduledTime),
  });
}

function attemptOfLabel(state: BackupDatabaseState, label: string): number {
  const attempt = labelsOfSlot(state).indexOf(label) + 1;
  return attempt > 0 ? attempt : 1;
}
