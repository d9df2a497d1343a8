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

/** Notes the RESTORE about to be sent on the target's lock; resolves with the label an earlier attempt noted. */
async function noteRestore(state: DrillState, deps: SubmitRestoreDeps): Promise<string | undefined> {
  const plan = requirePlan(state);
  const earlier = await deps.locks.noteSubmission({
    ...requireDrillLeases(state).lock,
    label: plan.snapshot.label,
    labelAttempt: 1,
    submittedAt: deps.clock.now(),
    extendSeconds: state.cluster.lock.leaseSeconds,
  });
  return earlier?.label;
}

/**
 * One RESTORE of a drill's chain (drill-chain.ts, EXPERIMENTAL): the step NextRestoreStep named (`$.chainNext`), or
 * the chain's first RESTORE. The first behaves as a drill's single RESTORE (a leftover scratch database of an
 * earlier attempt of the slot is dropped first); a later one writes into the scratch database the earlier steps
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
  const job = await deps.starRocks(async (client) => {
    if (!later && (await client.showDatabases()).includes(plan.targetDatabase)) {
      const row = await client.showRestore(plan.targetDatabase);
      const oursRunning =
        row !== null &&
        row.label === snapshot.label &&
        row.timestamp === snapshot.snapshotTimestamp &&
        !isTerminalRestoreState(row.state);
      if (!oursRunning) {
        deps.logger.warn('dropping a scratch database left by an earlier attempt of this drill', {
          database: plan.targetDatabase,
        });
        await client.dropDatabase(plan.targetDatabase, { force: true });
      }
    }
    return submitRestoreJob(client, {
      plan: { ...plan, snapshot },
      timing: drillTiming(state),
      historySeconds: plan.historySeconds,
      now: () => deps.clock.now(),
      adoptEnded: later,
      on: step.tables ?? undefined,
      deadlineAt: later ? state.restore?.deadlineAt : undefined,
    });
  });
  const tracked: SubmittedRestore = {
    ...job,
    createsTarget: true,
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
