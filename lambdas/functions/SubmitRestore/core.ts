import type { Clock } from '#domain/clock.ts';
import { InvalidInputError, RestoreTargetExistsError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import {
  type DrillChain,
  firstRestoreIndex,
  restoreStepAt,
  snapshotOfStep,
  stepsLeftAfter,
} from '#domain/restore/drill-chain.ts';
import {
  type DrillPlan,
  type DrillState,
  drillTiming,
  isOnDemandRestore,
  requireDrillLeases,
  requirePlan,
} from '#domain/restore/drill-state.ts';
import { type RestoreClient, submitRestoreJob, type TrackedRestore } from '#domain/restore/restore-job.ts';
import { restoredTableNames } from '#domain/restore/restore-plan.ts';
import { isTerminalRestoreState } from '#domain/starrocks/index.ts';
import { renewLeases } from '#domain/workflow/leases.ts';

/** What SubmitRestore needs. */
export interface SubmitRestoreDeps {
  readonly starRocks: <T>(work: (client: RestoreClient & DropClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot' | 'noteSubmission'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

interface DropClient {
  dropDatabase(database: string, options?: { readonly force?: boolean }): Promise<void>;
  listTables(database: string): Promise<readonly { readonly name: string }[]>;
}

/** SubmitRestore's answer: the tracked job, and whether this restore creates its target database. */
export type SubmittedRestore = TrackedRestore & {
  /**
   * The target did not exist before (a drill's scratch database, or an on-demand restore into a new database): only
   * then may a failure remove it again, and only while it holds no table.
   */
  readonly createsTarget: boolean;
};

/**
 * Submits the RESTORE into the target database (fenced by its lock), or adopts it when a retried submit finds our
 * job already running.
 *
 * - A drill's scratch database left by an earlier attempt of the same drill slot is dropped first: its name is
 *   reserved for this drill, and the lock says no one else uses it.
 * - An on-demand restore never drops or overwrites: a whole-database restore refuses an existing database, a
 *   table restore an existing table (RestoreTargetExistsError), checked under the lock so no other restore of ours
 *   creates them in between. StarRocks itself would overwrite an existing table's partitions (RestoreJob
 *   replaces a same-named partition's data), which is why we refuse first.
 */
export async function submitDrillRestore(
  state: DrillState,
  deps: SubmitRestoreDeps,
): Promise<SubmittedRestore> {
  if (requirePlan(state).chain !== undefined) return submitChainRestore(state, deps);
  const plan = requirePlan(state);
  const leases = requireDrillLeases(state);
  await renewLeases(deps.locks, leases, state.cluster.lock.leaseSeconds);
  const timing = drillTiming(state);
  const onDemand = isOnDemandRestore(state);
  // An on-demand restore notes on its lock what it is about to submit, before CREATE DATABASE and RESTORE: a retry
  // of this Task (a lost answer, a busy FE) then knows the database or job it finds is its own, and a settlement
  // after StopExecution knows a RESTORE may still arrive (as SubmitBackup does for BACKUP).
  const retried = onDemand && (await noteRestore(state, deps)) === plan.snapshot.label;
  const job = await deps.starRocks(async (client) => {
    let createsTarget = true;
    let adoptEnded = false;
    if ((await client.showDatabases()).includes(plan.targetDatabase)) {
      const row = await client.showRestore(plan.targetDatabase);
      const ours =
        row !== null &&
        row.label === plan.snapshot.label &&
        row.timestamp === plan.snapshot.snapshotTimestamp;
      const oursRunning = ours && !isTerminalRestoreState(row.state);
      if (onDemand) {
        // A whole-database restore only ever runs into a database it created; a table restore cannot tell.
        createsTarget = plan.tables === undefined && (oursRunning || retried);
        adoptEnded = retried && ours;
        const ownEmptyTarget =
          retried && plan.tables === undefined && (await client.listTables(plan.targetDatabase)).length === 0;
        if (!oursRunning && !adoptEnded && !ownEmptyTarget) await refuseExistingTarget(client, plan);
      } else if (!oursRunning) {
        deps.logger.warn('dropping a scratch database left by an earlier attempt of this drill', {
          database: plan.targetDatabase,
        });
        await client.dropDatabase(plan.targetDatabase, { force: true });
      }
    }
    const submitted = await submitRestoreJob(client, {
      plan,
      timing,
      historySeconds: plan.historySeconds,
      now: () => deps.clock.now(),
      adoptEnded,
    });
    return { ...submitted, createsTarget };
  });
  await renewLeases(deps.locks, leases, job.nextWaitSeconds + state.cluster.lock.leaseSeconds);
  deps.logger.info('restore tracked', {
    label: job.label,
    target: job.targetDatabase,
    origin: job.origin,
    nextWaitSeconds: job.nextWaitSeconds,
  });
  return job;
}

/** @throws RestoreTargetExistsError: the database exists (whole-database restore), or one of the tables does. */
async function refuseExistingTarget(client: DropClient, plan: DrillPlan): Promise<void> {
  const names = restoredTableNames(plan);
  if (names === undefined) throw new RestoreTargetExistsError(plan.targetDatabase);
  const present = new Set((await client.listTables(plan.targetDatabase)).map((table) => table.name));
  const clashing = names.filter((name) => present.has(name));
  if (clashing.length > 0) throw new RestoreTargetExistsError(plan.targetDatabase, clashing);
}

/**
 * Notes the RESTORE about to be sent on the target's lock (`label`, default the plan's snapshot); resolves with the
 * label an earlier attempt noted.
 */
async function noteRestore(
  state: DrillState,
  deps: SubmitRestoreDeps,
  label: string = requirePlan(state).snapshot.label,
): Promise<string | undefined> {
  const earlier = await deps.locks.noteSubmission({
    ...requireDrillLeases(state).lock,
    label,
    labelAttempt: 1,
    submittedAt: deps.clock.now(),
    extendSeconds: state.cluster.lock.leaseSeconds,
  });
  return earlier?.label;
}

/**
 * One RESTORE of a chain (drill-chain.ts, EXPERIMENTAL; a drill's or an on-demand restore's): the step
 * NextRestoreStep named (`$.chainNext`), or the chain's first RESTORE. The first behaves as a single RESTORE (a
 * drill drops a leftover scratch database of an earlier attempt of the slot first; an on-demand restore refuses an
 * existing target it did not create); a later one writes into the scratch database the earlier steps
 * filled (RestoreJob.checkAndPrepareMeta overwrites same-named partitions and adds new ones,
 * fe/fe-core/src/main/java/com/starrocks/backup/RestoreJob.java), is adopted when SHOW RESTORE already shows it
 * (a retry after a lost answer: its label and timestamp are this step's, and the lock reserves the database for
 * this drill), and keeps the chain's deadline.
 */
async function submitChainRestore(state: DrillState, deps: SubmitRestoreDeps): Promise<SubmittedRestore> {
  const plan = requirePlan(state);
  const chain = plan.chain as DrillChain;
  const leases = requireDrillLeases(state);
  await renewLeases(deps.locks, leases, state.cluster.lock.leaseSeconds);
  const first = firstRestoreIndex(chain);
  const index = state.chainNext?.step ?? first;
  const step = restoreStepAt(chain, index);
  const snapshot = snapshotOfStep(plan, step);
  const later = index !== first;
  const earlier = state.restore?.chain;
  if (later && (state.restore === undefined || earlier === undefined)) {
    throw new InvalidInputError('a later RESTORE of a chain needs the earlier one in $.restore');
  }
  const onDemand = isOnDemandRestore(state);
  // An on-demand chain notes each RESTORE on the lock before sending it, as a single restore does (see
  // submitDrillRestore): a retry knows the job it finds is its own, and a settlement after StopExecution
  // (SettleOrphans) cancels the step's RESTORE by the label noted, the full's or the differential's.
  const noted = onDemand ? await noteRestore(state, deps, snapshot.label) : undefined;
  const retried = !later && noted === snapshot.label;
  const { job, createsTarget } = await deps.starRocks(async (client) => {
    let adoptEnded = later;
    let creates = true;
    if (!later && (await client.showDatabases()).includes(plan.targetDatabase)) {
      const row = await client.showRestore(plan.targetDatabase);
      const ours =
        row !== null && row.label === snapshot.label && row.timestamp === snapshot.snapshotTimestamp;
      const oursRunning = ours && !isTerminalRestoreState(row.state);
      if (onDemand) {
        // A chain restores the whole database into a new one: an existing target is refused unless this
        // execution created it (its job there, or left empty by a lost answer).
        creates = oursRunning || retried;
        adoptEnded = retried && ours;
        const ownEmptyTarget = retried && (await client.listTables(plan.targetDatabase)).length === 0;
        if (!oursRunning && !adoptEnded && !ownEmptyTarget) {
          throw new RestoreTargetExistsError(plan.targetDatabase);
        }
      } else if (!oursRunning) {
        deps.logger.warn('dropping a scratch database left by an earlier attempt of this drill', {
          database: plan.targetDatabase,
        });
        await client.dropDatabase(plan.targetDatabase, { force: true });
      }
    }
    const submitted = await submitRestoreJob(client, {
      plan: { ...plan, snapshot },
      timing: drillTiming(state),
      historySeconds: plan.historySeconds,
      now: () => deps.clock.now(),
      adoptEnded,
      on: step.tables ?? undefined,
      deadlineAt: later ? state.restore?.deadlineAt : undefined,
    });
    return { job: submitted, createsTarget: creates };
  });
  const tracked: SubmittedRestore = {
    ...job,
    // A later step keeps what the first found: whether this execution created the target.
    createsTarget: later
      ? (state.restore as { createsTarget?: unknown }).createsTarget === true
      : createsTarget,
    chain: {
      step: index,
      stepsLeft: stepsLeftAfter(chain, index),
      startedAt: later && earlier !== undefined ? earlier.startedAt : job.submittedAt,
    },
  };
  await renewLeases(deps.locks, leases, tracked.nextWaitSeconds + state.cluster.lock.leaseSeconds);
  deps.logger.info('chain restore step tracked', {
    label: tracked.label,
    step: index,
    of: step.of,
    target: tracked.targetDatabase,
    origin: tracked.origin,
    nextWaitSeconds: tracked.nextWaitSeconds,
  });
  return tracked;
}
