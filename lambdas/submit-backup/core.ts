import type { CatalogStore } from '../catalog/index.ts';
import type { LockStore } from '../lock/index.ts';
import { nextCheckSeconds } from '../poll/next-check.ts';
import type { Clock } from '../shared/clock.ts';
import { backupTimeoutPropertySeconds } from '../shared/config/index.ts';
import { EmptyDatabaseError, SnapshotLabelExistsError } from '../shared/errors.ts';
import { extendLeases, requireLeases } from '../shared/leases.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { BackupDatabaseState, TrackedJob } from '../shared/workflow-state.ts';
import {
  type BackupJob,
  buildSnapshotLabel,
  capabilitiesOf,
  isTerminalBackupState,
  type StarRocksClient,
} from '../starrocks/index.ts';

/** How many labels one slot may try before giving up (each leftover `__ss_<label>` costs one). */
export const MAX_LABEL_ATTEMPTS = 5;
/** How many earlier durations feed the poll policy's estimate. */
const HISTORY_DEPTH = 7;

/** What SubmitBackup needs. */
export interface SubmitBackupDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'assertLockCurrent' | 'renewLock' | 'renewSlot'>;
  readonly catalog: Pick<CatalogStore, 'listAttemptsAt' | 'recentDurations'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

type Decision =
  | { readonly kind: 'submitted'; readonly label: string; readonly attempt: number }
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
 * Acts only while our lock token is current.
 */
export async function submitBackup(state: BackupDatabaseState, deps: SubmitBackupDeps): Promise<TrackedJob> {
  const { lock } = requireLeases(state);
  await deps.locks.assertLockCurrent(lock);

  const decision =
    (await adoptFromCatalog(state, deps)) ??
    (await deps.starRocks((client) => adoptOrSubmit(state, client, deps)));
  const now = deps.clock.now();
  const historySeconds = await deps.catalog.recentDurations({
    cluster: state.cluster.name,
    database: state.database,
    limit: HISTORY_DEPTH,
  });
  const running =
    decision.kind === 'submitted' ||
    (decision.kind === 'adopted-job' && !isTerminalBackupState(decision.job.state));
  const adoptedJob = decision.kind === 'adopted-job' ? decision.job : undefined;
  const job: TrackedJob = {
    label: decision.label,
    labelAttempt: decision.attempt,
    phase: running ? 'running' : 'finished',
    origin: decision.kind,
    // An adopted job's own start is unknown to our clock; the deadline counts from when we adopted it.
    submittedAt: now,
    deadlineAt: now + state.cluster.timeoutSeconds * 1000,
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
  deps: SubmitBackupDeps,
): Promise<Decision> {
  const labels = slotLabels(state);
  const version = await client.currentVersion();

  const latest = await client.showBackup(state.database);
  const latestAttempt = latest ? labels.indexOf(latest.snapshotName) + 1 : 0;
  if (latest && latestAttempt > 0 && latest.state !== 'CANCELLED') {
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
      return { kind: 'submitted', label, attempt };
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

function slotLabels(state: BackupDatabaseState): string[] {
  const scheduledTime = new Date(state.scheduledTime);
  return Array.from({ length: MAX_LABEL_ATTEMPTS }, (_, index) =>
    buildSnapshotLabel({
      cluster: state.cluster.name,
      schedule: state.schedule,
      database: state.database,
      scheduledTime,
      attempt: index + 1,
    }),
  );
}

function attemptOfLabel(state: BackupDatabaseState, label: string): number {
  const attempt = slotLabels(state).indexOf(label) + 1;
  return attempt > 0 ? attempt : 1;
}
