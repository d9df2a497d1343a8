import type { CatalogStore } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import type { ClusterSettings } from '#domain/config/index.ts';
import type { InheritedLease, LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { DRILL_SCHEDULE_NAME, RESTORE_SCHEDULE_NAME } from '#domain/restore/drill-state.ts';
import {
  type BackupJob,
  cancelledOutcome,
  type FullStarRocksClient,
  isTerminalBackupState,
  isTerminalRestoreState,
  proveSnapshot,
  slotLabels,
} from '#domain/starrocks/index.ts';
import { type BackupOutcomeState, FAILURE_STATES } from '#domain/workflow/outcomes.ts';
import type { BackupDatabaseState, OrphanAlert, SettledOrphans } from '#domain/workflow/workflow-state.ts';

/** What SettleOrphans needs. */
export interface SettleOrphansDeps {
  readonly starRocks: <T>(
    cluster: ClusterSettings,
    work: (client: FullStarRocksClient) => Promise<T>,
  ) => Promise<T>;
  readonly locks: Pick<LockStore, 'takeOverFrom' | 'releaseLock' | 'inspectLocks' | 'releaseSlot'>;
  readonly catalog: Pick<CatalogStore, 'recordAttempt' | 'listAttemptsAt'>;
  /** A differential schedule's label records its kind and base in its manifest head (SubmitBackup, before BACKUP). */
  readonly manifests: Pick<ManifestStore, 'readChain'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/**
 * How long after an ended holder noted a submission its BACKUP may still arrive: the note and the BACKUP are sent by
 * one SubmitBackup invocation, which cannot outlive the Task's TimeoutSeconds (120 s; a test keeps the ASL under this
 * bound). StopExecution does not stop a running invocation
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html).
 */
export const SUBMISSION_WINDOW_SECONDS = 130;

type Settled = SettledOrphans['settled'][number];

/** One settlement pass: the first may defer a job StarRocks does not show yet; the second decides. */
interface Pass {
  readonly recheck: boolean;
  readonly pendingUntil: number[];
  readonly out: SettledOrphans;
}

/**
 * In a BackupDatabase execution that took a lock or slot over from an ended holder (AcquireSlot / AcquireLock set
 * `takenOver`): settles what that holder left on StarRocks and in the catalog before this execution goes on, so no
 * job runs that no record or live execution owns, and the cluster never runs more jobs than its slots.
 * - Our database's lock, inherited: its job is settled under our lock. A job of this very slot that still runs is
 *   left for SubmitBackup to adopt (and record, once, under its label).
 * - A slot, inherited: the ended holder may still hold its own database's lock; we take that lock over, settle its
 *   job, and release the lock.
 * A second pass (after `recheckAfterSeconds`) decides what the first deferred.
 */
export async function settleInherited(
  state: BackupDatabaseState,
  deps: SettleOrphansDeps,
): Promise<SettledOrphans> {
  const pass = newPass(state.orphans?.recheckAfterSeconds !== undefined);
  const me = state.execution.id;
  const fromLock = state.lock?.takenOver ?? null;
  if (fromLock) {
    await settleWork(
      state.cluster,
      state.database,
      fromLock,
      { settler: me, pass, deps },
      labelsOfSlot(state),
    );
  }
  const fromSlot = state.slot?.takenOver ?? null;
  const slotDatabase = fromSlot?.database;
  const sameAsLock =
    fromLock !== null && slotDatabase === state.database && fromLock.holder === fromSlot?.holder;
  if (fromSlot && slotDatabase !== undefined && !sameAsLock) {
    await settleHeldLock(state.cluster, slotDatabase, fromSlot.holder, { settler: me, pass, deps });
  }
  return finish(pass, deps);
}

/**
 * After an execution ended without cleaning up (aborted, timed out, failed in a way no Catch handles): whatever it
 * still holds is settled, as the SettleExecution machine does when EventBridge reports the end. Every lock it holds
 * is taken over, its job settled and the lock released; every slot it holds is released. An attempt it never
 * recorded is recorded.
 */
export async function settleEnded(
  request: {
    readonly cluster: ClusterSettings;
    readonly executionArn: string;
    readonly status: string;
    /** The ended execution's own input, when it was a BackupDatabase execution (for an attempt it never recorded). */
    readonly attempt?: {
      readonly runId: string;
      readonly schedule: string;
      readonly scheduledTime: string;
      readonly database: string;
      readonly label: string;
    };
    readonly settler: string;
    /** The second pass, after a first one deferred a submission StarRocks did not show yet. */
    readonly recheck?: boolean;
  },
  deps: SettleOrphansDeps,
): Promise<SettledOrphans> {
  const pass = newPass(request.recheck === true);
  const { cluster, executionArn, settler } = request;
  const held = await deps.locks.inspectLocks(cluster.name);
  const itsLocks = held.locks.filter(
    (lock) =>
      lock.holder === executionArn || (lock.holder === settler && lock.inheritedFrom === executionArn),
  );
  for (const lock of itsLocks) {
    await settleHeldLock(cluster, lock.database, executionArn, { settler, pass, deps });
  }
  for (const slot of held.slots.filter((record) => record.holder === executionArn)) {
    await deps.locks.releaseSlot({
      cluster: cluster.name,
      slot: slot.slot,
      holder: executionArn,
      token: slot.token,
    });
  }
  const attempt = request.attempt;
  if (attempt && !pass.out.settled.some((entry) => entry.database === attempt.database)) {
    const inherited: InheritedLease = { holder: executionArn, token: 0, ...attempt };
    const reason = `execution ${nameOf(executionArn)} ended ${request.status} without recording its attempt`;
    await recordIfMissing(cluster, attempt.database, inherited, { state: 'FAILED', reason }, { pass, deps });
  }
  return finish(pass, deps);
}

interface Context {
  readonly settler: string;
  readonly pass: Pass;
  readonly deps: SettleOrphansDeps;
}

function newPass(recheck: boolean): Pass {
  return { recheck, pendingUntil: [], out: { settled: [], alerts: [] } };
}

/** The pass's answer, asking for a second pass when the first deferred a job (never on the second pass itself). */
function finish(pass: Pass, deps: SettleOrphansDeps): SettledOrphans {
  if (pass.recheck || pass.pendingUntil.length === 0) return pass.out;
  const waitMs = Math.max(...pass.pendingUntil) - deps.clock.now();
  return { ...pass.out, recheckAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/**
 * Takes `database`'s lock from the ended holder `from` if it still holds it, settles the job under it, and releases
 * it once settled; while the job is deferred, or when settling fails, the lock stays held on `from`'s behalf (it
 * still names `from`'s work for whoever comes next).
 */
async function settleHeldLock(
  cluster: ClusterSettings,
  database: string,
  from: string,
  context: Context,
): Promise<void> {
  const { deps, pass, settler } = context;
  const taken = await deps.locks.takeOverFrom({
    cluster: cluster.name,
    database,
    from,
    holder: settler,
    leaseSeconds: cluster.lock.leaseSeconds,
  });
  if (!taken?.takenOver) {
    pass.out.settled.push({ holder: from, database, action: 'nothing', label: null, state: null });
    return;
  }
  const pendingBefore = pass.pendingUntil.length;
  await settleWork(cluster, database, taken.takenOver, context, []);
  if (pass.pendingUntil.length === pendingBefore) {
    await deps.locks.releaseLock({ cluster: cluster.name, database, holder: settler, token: taken.token });
  }
}

/** The older work the ended holder had inherited (settled again, idempotently), then its own. */
async function settleWork(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease,
  context: Context,
  adoptable: readonly string[],
): Promise<void> {
  if (inherited.unsettled) await settleJob(cluster, database, inherited.unsettled, context, adoptable);
  await settleJob(cluster, database, inherited, context, adoptable);
}

/** What became of the inherited job, in the outcome vocabulary; `pending` when it may still be on its way. */
interface JobVerdict {
  readonly state: BackupOutcomeState;
  readonly reason: string | null;
  readonly pending?: boolean;
  readonly cancelled?: boolean;
  readonly snapshotTimestamp?: string;
  readonly starRocksJobId?: string | null;
}

/**
 * Settles the job an ended holder left on `database`, as StarRocks reports it: still running → CANCEL BACKUP
 * (unless it is a job of `adoptable`, which the caller adopts); FINISHED → proven with SHOW SNAPSHOT and recorded
 * FINISHED; CANCELLED → recorded with StarRocks' status; never submitted → recorded as ended before submitting;
 * noted but not visible yet while its invocation may still send it → deferred to the second pass.
 */
async function settleJob(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease,
  context: Context,
  adoptable: readonly string[],
): Promise<void> {
  const { deps, pass } = context;
  if (inherited.schedule === DRILL_SCHEDULE_NAME) {
    await settleDrill(cluster, database, inherited, context);
    return;
  }
  if (inherited.schedule === RESTORE_SCHEDULE_NAME) {
    await settleRestore(cluster, database, inherited, context);
    return;
  }
  const label = inherited.submittedLabel;
  if (label === undefined) {
    const reason = `execution ${nameOf(inherited.holder)} ended before it submitted a backup`;
    await recordIfMissing(cluster, database, inherited, { state: 'FAILED', reason }, context);
    return;
  }
  if (adoptable.includes(label)) {
    const running = await deps.starRocks(cluster, async (client) => {
      const row = await client.showBackup(database);
      return row?.snapshotName === label && !isTerminalBackupState(row.state);
    });
    if (running) {
      pass.out.settled.push({ holder: inherited.holder, database, action: 'adopt', label, state: null });
      return;
    }
  }
  const arrivesBy = submissionArrivesBy(inherited);
  const mayStillArrive = !pass.recheck && arrivesBy !== undefined && deps.clock.now() < arrivesBy;
  const verdict = await deps.starRocks(cluster, (client) =>
    judgeJob(client, { cluster, database, label, holder: inherited.holder, mayStillArrive }, context),
  );
  if (verdict.pending && arrivesBy !== undefined) {
    pass.pendingUntil.push(arrivesBy);
    pass.out.settled.push({ holder: inherited.holder, database, action: 'pending', label, state: null });
    return;
  }
  const withLabel: InheritedLease = { ...inherited, submittedLabel: label };
  if (verdict.state === 'FINISHED') {
    await write(cluster, database, withLabel, verdict, context, 'recorded');
    return;
  }
  await recordIfMissing(cluster, database, withLabel, verdict, context);
}

async function judgeJob(
  client: FullStarRocksClient,
  job: {
    cluster: ClusterSettings;
    database: string;
    label: string;
    holder: string;
    /** The ended holder's BACKUP may still be on its way (its invocation can outlive the execution). */
    mayStillArrive: boolean;
  },
  context: Context,
): Promise<JobVerdict> {
  const { database, label } = job;
  let row: BackupJob | null = await client.showBackup(database);
  let cancelled = false;
  if (row?.snapshotName === label && !isTerminalBackupState(row.state)) {
    const result = await client.cancelBackup(database);
    context.deps.logger.warn('cancelled the backup of an ended execution', {
      label,
      holder: job.holder,
      result: result.outcome,
    });
    cancelled = true;
    row = await client.showBackup(database);
  }
  const ours = row?.snapshotName === label ? row : null;
  if (ours?.state === 'CANCELLED') {
    if (cancelled) {
      return {
        state: 'FAILED',
        reason: `orphaned: execution ${nameOf(job.holder)} ended while its backup ran; ${nameOf(context.settler)} cancelled the job`,
        cancelled,
        starRocksJobId: ours.jobId,
      };
    }
    return { ...cancelledOutcome(ours), starRocksJobId: ours.jobId };
  }
  // FINISHED, or our row was replaced by a later job: the repository decides.
  try {
    const proof = await proveSnapshot(client, { repository: job.cluster.repository, label, database });
    return {
      state: 'FINISHED',
      reason: null,
      cancelled,
      snapshotTimestamp: proof.snapshotTimestamp,
      starRocksJobId: ours?.jobId ?? null,
    };
  } catch (error) {
    if (ours === null && job.mayStillArrive) return { state: 'FAILED', reason: null, pending: true };
    const why = error instanceof Error ? error.message : String(error);
    return {
      state: 'FAILED',
      reason: `orphaned: execution ${nameOf(job.holder)} ended and its job ${label} left no verified snapshot (${why})`,
      cancelled,
      starRocksJobId: ours?.jobId ?? null,
    };
  }
}

/** A restore drill's RESTORE into its scratch database: cancelled if still running, the scratch dropped. */
async function settleDrill(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease,
  context: Context,
): Promise<void> {
  const { deps, pass } = context;
  await deps.starRocks(cluster, async (client) => {
    if (!(await client.showDatabases()).includes(database)) return;
    const row = await client.showRestore(database);
    if (row && !isTerminalRestoreState(row.state)) {
      const result = await client.cancelRestore(database);
      deps.logger.warn('cancelled the restore of an ended drill', { database, result: result.outcome });
    }
    await client.dropDatabase(database, { force: true });
  });
  pass.out.settled.push({
    holder: inherited.holder,
    database,
    action: 'cancelled',
    label: inherited.label ?? null,
    state: null,
  });
}

/**
 * An operator's on-demand restore that ended without cleaning up (stopped, timed out): its RESTORE is cancelled if
 * it still runs with the snapshot's label, and nothing else is touched. The target is the operator's database,
 * never dropped here, and a restore is no backup attempt, so nothing is recorded in the catalog.
 */
async function settleRestore(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease,
  context: Context,
): Promise<void> {
  const { deps, pass } = context;
  const label = inherited.submittedLabel ?? inherited.label;
  const seen = await deps.starRocks(cluster, async (client) => {
    if (!(await client.showDatabases()).includes(database)) return 'none' as const;
    const row = await client.showRestore(database);
    if (!row || row.label !== label) return 'none' as const;
    if (isTerminalRestoreState(row.state)) return 'ended' as const;
    const result = await client.cancelRestore(database);
    deps.logger.warn('cancelled the RESTORE of an ended restore execution', {
      database,
      result: result.outcome,
    });
    return 'cancelled' as const;
  });
  // SubmitRestore notes the RESTORE on the lock before it sends it: an invocation still running when the execution
  // was stopped may send it after this look (Lambda is not stopped with the execution), so look again later.
  const arrivesBy = submissionArrivesBy(inherited);
  if (seen === 'none' && !pass.recheck && arrivesBy !== undefined && deps.clock.now() < arrivesBy) {
    pass.pendingUntil.push(arrivesBy);
    pass.out.settled.push({
      holder: inherited.holder,
      database,
      action: 'pending',
      label: label ?? null,
      state: null,
    });
    return;
  }
  pass.out.settled.push({
    holder: inherited.holder,
    database,
    action: seen === 'cancelled' ? 'cancelled' : 'nothing',
    label: label ?? null,
    state: null,
  });
}

/** Until when a job the ended holder noted may still reach the FE (its invocation may outlive the execution). */
function submissionArrivesBy(inherited: InheritedLease): number | undefined {
  return inherited.submittedAt === undefined
    ? undefined
    : inherited.submittedAt + SUBMISSION_WINDOW_SECONDS * 1000;
}

/** Records a failure only when the ended holder recorded nothing for that slot itself. */
async function recordIfMissing(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease,
  verdict: JobVerdict,
  context: Pick<Context, 'pass' | 'deps'>,
): Promise<void> {
  const { deps, pass } = context;
  const action: Settled['action'] = verdict.cancelled ? 'cancelled' : 'nothing';
  const label = inherited.submittedLabel ?? inherited.label ?? null;
  if (!hasAttemptIdentity(inherited) || label === null) {
    deps.logger.warn('an ended holder left no attempt identity; nothing recorded', {
      holder: inherited.holder,
    });
    pass.out.settled.push({ holder: inherited.holder, database, action, label, state: null });
    return;
  }
  const existing = await deps.catalog.listAttemptsAt({
    cluster: cluster.name,
    database,
    scheduledTime: inherited.scheduledTime,
  });
  const own = existing.find((attempt) => attempt.executionId === inherited.holder);
  if (own) {
    pass.out.settled.push({ holder: inherited.holder, database, action, label: own.label, state: own.state });
    // The ended holder recorded its failure but may have ended before alerting it; a repeated alert is refused by
    // the run's alert budget, which grants each database once.
    if (FAILURE_STATES.has(own.state)) {
      pass.out.alerts.push(alertFor(cluster, database, inherited, own.label, own.state, own.reason));
    }
    return;
  }
  await write(cluster, database, inherited, verdict, context, verdict.cancelled ? 'cancelled' : 'recorded');
}

/** Writes the inherited attempt's terminal item; a failure it newly records is alerted. */
async function write(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease,
  verdict: JobVerdict,
  context: Pick<Context, 'pass' | 'deps'>,
  action: Settled['action'],
): Promise<void> {
  const { deps, pass } = context;
  const label = inherited.submittedLabel ?? inherited.label;
  if (!hasAttemptIdentity(inherited) || label === undefined) {
    pass.out.settled.push({ holder: inherited.holder, database, action, label: label ?? null, state: null });
    return;
  }
  // Recorded as what the submitter decided: a differential recorded as a full would become a chain's base.
  const chain = await deps.manifests.readChain({ cluster: cluster.name, database, label });
  const { item } = await deps.catalog.recordAttempt({
    ...(chain === undefined
      ? {}
      : { mode: chain.mode, ...(chain.baseLabel === undefined ? {} : { baseLabel: chain.baseLabel }) }),
    cluster: cluster.name,
    database,
    label,
    repository: cluster.repository,
    schedule: inherited.schedule,
    scheduledTime: inherited.scheduledTime,
    runId: inherited.runId,
    executionId: inherited.holder,
    attempt: inherited.labelAttempt ?? attemptOf(inherited, label),
    state: verdict.state,
    reason: verdict.reason,
    startedAt: inherited.submittedAt === undefined ? null : new Date(inherited.submittedAt).toISOString(),
    finishedAt: new Date(deps.clock.now()).toISOString(),
    durationSeconds: null,
    snapshotTimestamp: verdict.snapshotTimestamp ?? null,
    verified: verdict.state === 'FINISHED',
    sizeBytes: null,
    tableCount: null,
    starRocksJobId: verdict.starRocksJobId ?? null,
  });
  pass.out.settled.push({ holder: inherited.holder, database, action, label: item.label, state: item.state });
  // Alerted even when an earlier pass wrote it (its alert may be lost with the pass's output); the run's alert
  // budget grants each database once, so it is posted once.
  if (FAILURE_STATES.has(item.state)) {
    pass.out.alerts.push(alertFor(cluster, database, inherited, item.label, item.state, item.reason));
  }
}

function alertFor(
  cluster: ClusterSettings,
  database: string,
  inherited: InheritedLease & { runId: string; schedule: string; scheduledTime: string },
  label: string,
  state: BackupOutcomeState,
  reason: string | null,
): OrphanAlert & { cluster: ClusterSettings } {
  return {
    cluster,
    runId: inherited.runId,
    schedule: inherited.schedule,
    scheduledTime: inherited.scheduledTime,
    database,
    label,
    execution: { id: inherited.holder, name: nameOf(inherited.holder) },
    record: { state, reason },
    alertOnce: true,
  };
}

function hasAttemptIdentity(
  inherited: InheritedLease,
): inherited is InheritedLease & { runId: string; schedule: string; scheduledTime: string } {
  return (
    inherited.runId !== undefined && inherited.schedule !== undefined && inherited.scheduledTime !== undefined
  );
}

/** The attempt number a label carries (`…_a<n>`), 1 for the planned label. */
function attemptOf(inherited: InheritedLease, label: string): number {
  if (inherited.label === undefined || label === inherited.label) return 1;
  const match = /_a(\d+)$/.exec(label);
  return match ? Number(match[1]) : 1;
}

/** Every label this execution's slot may use: a job with one of them is ours to adopt, not to cancel. */
function labelsOfSlot(state: BackupDatabaseState): string[] {
  return slotLabels({
    cluster: state.cluster.name,
    schedule: state.schedule,
    database: state.database,
    scheduledTime: new Date(state.scheduledTime),
  });
}

/** The execution name at the end of an execution ARN (the ARN itself when it has none). */
function nameOf(executionArn: string): string {
  return executionArn.split(':').at(-1) || executionArn;
}
