/**
 * An on-demand restore in one process (the CLI's `restore --execute`): the same slot and lock as a backup, the
 * same RESTORE job functions and poll policy as the drill workflow, with the waits done by `sleep` instead of a
 * Wait state. Every path releases what it took; a restore that did not finish leaves no job running and no empty
 * target database behind.
 */

import type { Clock } from '#domain/clock.ts';
import {
  LockHeldError,
  RestoreCheckFailedError,
  RestoreFailedError,
  RestoreInterruptedError,
  RestoreTargetExistsError,
  RestoreTimedOutError,
  SlotUnavailableError,
} from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import {
  type CheckClient,
  checkRestoredDatabase,
  parseRestoreObjects,
  type RestoreCheck,
} from '#domain/restore/restore-check.ts';
import {
  cancelRestoreIfOurs,
  checkRestoreJob,
  measuredSeconds,
  type RestoreClient,
  type RestoreTiming,
  submitRestoreJob,
  type TrackedRestore,
} from '#domain/restore/restore-job.ts';
import { type RestorePlan, restoredTableNames } from '#domain/restore/restore-plan.ts';
import { isTransient } from '#domain/retry-policy.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';

/** Everything the local restore calls. */
export type LocalRestoreClient = RestoreClient & CheckClient & Pick<FullStarRocksClient, 'dropDatabase'>;

/** What the loop needs from its environment. */
export interface RestoreRunDeps {
  readonly locks: Pick<
    LockStore,
    'acquireSlot' | 'acquireLock' | 'renewLock' | 'renewSlot' | 'releaseLock' | 'releaseSlot'
  >;
  /** Runs `work` over one connection to the FE. */
  readonly starRocks: <T>(work: (client: LocalRestoreClient) => Promise<T>) => Promise<T>;
  readonly clock: Clock;
  /** Waits `ms` (real time by default; a test moves a virtual clock); rejects when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly onProgress?: ((event: RestoreProgress) => void) | undefined;
}

/** What taking the leases reports: a wait for a slot or lock someone else holds. */
export type LeaseWaitProgress = Extract<RestoreProgress, { kind: 'waiting' }>;

/** What the loop reports as it goes. */
export type RestoreProgress =
  | {
      readonly kind: 'waiting';
      readonly for: 'slot' | 'lock';
      readonly detail: string;
      readonly retryInSeconds: number;
    }
  | { readonly kind: 'submitted'; readonly job: TrackedRestore }
  | { readonly kind: 'polled'; readonly job: TrackedRestore }
  | { readonly kind: 'checking'; readonly job: TrackedRestore }
  | { readonly kind: 'cancelling'; readonly reason: string };

/** One restore to run. */
export interface RestoreRunRequest {
  readonly plan: RestorePlan;
  /** Who holds the slot and the lock (a local execution id the liveness check knows). */
  readonly holder: string;
  /** The cluster's maxConcurrentBackups: restores share the backups' slots. */
  readonly capacity: number;
  readonly leaseSeconds: number;
  readonly timing: RestoreTiming;
  /** Earlier measured restore durations of this database, newest first (the poll policy aims with them). */
  readonly historySeconds?: readonly number[] | undefined;
  /** How long to wait for a free slot and for the target's lock before giving up. */
  readonly waitSeconds: number;
  /** Aborting cancels our RESTORE job, releases everything and rejects with RestoreInterruptedError. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The cluster whose catalog recorded the snapshot, when it is not `plan.cluster` (`restore --to-cluster`): a
   * lease there, labelled with the snapshot, keeps that cluster's retention from pruning it while it is read.
   */
  readonly sourceCluster?: string | undefined;
}

/**
 * The lock key of a restore's hold on its source cluster's snapshot: not a database, and never a StarRocks name (`~`
 * and `:` cannot start or appear in one), so no backup or drill ever waits for it; one per restore.
 */
export function sourceHoldKey(database: string, holder: string): string {
  return `~restore-source:${database}:${holder.split(':').at(-1) ?? holder}`;
}

/** How the restore ended. */
export interface RestoreRunResult {
  readonly state: Extract<BackupOutcomeState, 'FINISHED' | 'FAILED' | 'TIMED_OUT'>;
  /** StarRocks' status text, `deadline`, or the check's problem; null when FINISHED. */
  readonly reason: string | null;
  /** Epoch ms (our clock). */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Measured restore time: submit → the poll that saw FINISHED; null unless finished. */
  readonly durationSeconds: number | null;
  readonly job: TrackedRestore | null;
  readonly check: RestoreCheck | null;
  /** The target database was dropped again because the restore left it without tables. */
  readonly droppedEmptyTarget: boolean;
}

/** Consecutive failed polls (FE unreachable, …) tolerated before the restore is given up. */
const MAX_FAILED_POLLS = 4;

/**
 * Runs the restore of `request.plan` to its end.
 * @throws RestoreTargetExistsError (nothing done), SlotUnavailableError / LockHeldError after the wait (nothing
 * done), RestoreInterruptedError (aborted: our job cancelled), or an error of StarRocks or DynamoDB before submit.
 */
export async function runRestore(
  request: RestoreRunRequest,
  deps: RestoreRunDeps,
): Promise<RestoreRunResult> {
  const { plan, holder } = request;
  const cluster = plan.cluster;
  const startedAt = deps.clock.now();
  const source = request.sourceCluster;
  return holdRestoreLeases(
    {
      cluster,
      targetDatabase: plan.targetDatabase,
      label: plan.snapshot.label,
      holder,
      capacity: request.capacity,
      leaseSeconds: request.leaseSeconds,
      retrySeconds: request.timing.minSeconds,
      waitSeconds: request.waitSeconds,
      signal: request.signal,
      // Prune reads every live lock's label of its cluster (prune-core's liveLabels): the source's retention too.
      sourceHold:
        source !== undefined && source !== cluster
          ? {
              cluster: source,
              database: sourceHoldKey(plan.sourceDatabase, holder),
              label: plan.snapshot.label,
            }
          : undefined,
    },
    deps,
    (leases) => restoreUnderLeases(request, deps, leases, startedAt),
  );
}

/** What a local restore holds while it runs, and for how long it waits to get it. */
export interface RestoreLeaseRequest {
  readonly cluster: string;
  /** The database locked: the restore's target. */
  readonly targetDatabase: string;
  /** The snapshot label the lock carries: retention treats the label of every live lock as in use. */
  readonly label: string;
  readonly holder: string;
  /** The cluster's maxConcurrentBackups: restores share the backups' slots. */
  readonly capacity: number;
  readonly leaseSeconds: number;
  /** Seconds between two tries while the slot or lock is held by someone else. */
  readonly retrySeconds: number;
  /** How long to wait for a free slot and for the target's lock before giving up. */
  readonly waitSeconds: number;
  readonly signal?: AbortSignal | undefined;
  /**
   * A second lock, on a key that is never a database (sourceHoldKey), that keeps one more snapshot from being
   * pruned while it is read: another cluster's snapshot (`--to-cluster`), or a chain restore's full.
   */
  readonly sourceHold?:
    | { readonly cluster: string; readonly database: string; readonly label: string }
    | undefined;
}

type HeldLockRef = { cluster: string; database: string; holder: string; token: number };

/** The leases a local restore holds. */
export interface RestoreLeases {
  readonly lock: HeldLockRef;
  readonly slot: { cluster: string; slot: number; holder: string; token: number };
  /** The lease of RestoreLeaseRequest.sourceHold. */
  readonly sourceHold?: HeldLockRef | undefined;
}

/**
 * Takes a slot of the cluster, the source hold (if asked) and the target database's lock labelled with the
 * snapshot, waiting while live holders have them; runs `work`; releases everything whatever `work` did.
 * @throws SlotUnavailableError / LockHeldError after the wait (nothing done), or what `work` throws.
 */
export async function holdRestoreLeases<T>(
  request: RestoreLeaseRequest,
  deps: Pick<RestoreRunDeps, 'locks' | 'clock' | 'sleep'> & {
    readonly onProgress?: ((event: LeaseWaitProgress) => void) | undefined;
  },
  work: (leases: RestoreLeases) => Promise<T>,
): Promise<T> {
  const { cluster, holder } = request;
  const slot = await waitFor(request, deps, 'slot', () =>
    deps.locks.acquireSlot({
      cluster,
      capacity: request.capacity,
      holder,
      leaseSeconds: request.leaseSeconds,
    }),
  );
  const heldSlot = { cluster, slot: slot.slot, holder, token: slot.token };
  let heldLock: HeldLockRef | undefined;
  let sourceHold: HeldLockRef | undefined;
  try {
    if (request.sourceHold !== undefined) {
      const { cluster: holdCluster, database, label } = request.sourceHold;
      const hold = await deps.locks.acquireLock({
        cluster: holdCluster,
        database,
        holder,
        leaseSeconds: request.leaseSeconds,
        label,
      });
      sourceHold = { cluster: holdCluster, database, holder, token: hold.token };
    }
    const lock = await waitFor(request, deps, 'lock', () =>
      deps.locks.acquireLock({
        cluster,
        database: request.targetDatabase,
        holder,
        leaseSeconds: request.leaseSeconds,
        // Retention treats the label of every live lock as in use: the snapshot cannot be pruned under us.
        label: request.label,
      }),
    );
    heldLock = { cluster, database: request.targetDatabase, holder, token: lock.token };
    return await work({ lock: heldLock, slot: heldSlot, sourceHold });
  } finally {
    if (heldLock) await deps.locks.releaseLock(heldLock);
    if (sourceHold) await deps.locks.releaseLock(sourceHold);
    await deps.locks.releaseSlot(heldSlot);
  }
}

async function restoreUnderLeases(
  request: RestoreRunRequest,
  deps: RestoreRunDeps,
  leases: RestoreLeases,
  startedAt: number,
): Promise<RestoreRunResult> {
  const { plan, timing } = request;
  const now = () => deps.clock.now();
  await deps.locks.renewLock({ ...leases.lock, extendSeconds: request.leaseSeconds });
  // Whether this restore creates the target: only then may a failure remove it again (a table restore may write
  // into the user's existing database, which is never dropped, even when it is empty).
  let createsTarget = false;
  const job = await deps.starRocks(async (client) => {
    // Checked under the lock, so no other restore of ours can create it in between.
    const targetExists = (await client.showDatabases()).includes(plan.targetDatabase);
    createsTarget = !targetExists;
    const names = restoredTableNames(plan);
    if (names === undefined && targetExists) throw new RestoreTargetExistsError(plan.targetDatabase);
    if (names !== undefined && targetExists) {
      const present = new Set((await client.listTables(plan.targetDatabase)).map((table) => table.name));
      const clashing = names.filter((name) => present.has(name));
      if (clashing.length > 0) throw new RestoreTargetExistsError(plan.targetDatabase, clashing);
    }
    return submitRestoreJob(client, { plan, timing, historySeconds: request.historySeconds ?? [], now });
  });
  deps.onProgress?.({ kind: 'submitted', job });

  let tracked = job;
  let failedPolls = 0;
  try {
    while (tracked.phase === 'running') {
      await extendRestoreLeases(deps, leases, tracked.nextWaitSeconds, request.leaseSeconds);
      await deps.sleep(tracked.nextWaitSeconds * 1000, request.signal);
      try {
        tracked = await deps.starRocks((client) => checkRestoreJob(client, tracked, timing, now));
        failedPolls = 0;
      } catch (error) {
        failedPolls += 1;
        if (!isTransient(error) || failedPolls >= MAX_FAILED_POLLS) throw error;
        tracked = { ...tracked, nextWaitSeconds: timing.minSeconds };
        continue;
      }
      deps.onProgress?.({ kind: 'polled', job: tracked });
    }
  } catch (error) {
    const aborted = request.signal?.aborted === true;
    await cancelQuietly(deps, tracked, aborted ? 'interrupted' : 'error');
    if (createsTarget) await dropIfEmpty(deps, plan.targetDatabase);
    if (aborted)
      throw new RestoreInterruptedError('the restore was interrupted; its RESTORE job was cancelled');
    throw error;
  }

  if (tracked.phase === 'finished') {
    deps.onProgress?.({ kind: 'checking', job: tracked });
    const check = await deps.starRocks((client) =>
      checkRestoredDatabase(client, {
        targetDatabase: plan.targetDatabase,
        sourceDatabase: plan.sourceDatabase,
        expectedTables: parseRestoreObjects(tracked.restoreObjects, tracked.restoreObjectsTruncated),
        expectedTableCount: plan.snapshot.tableCount,
        onlyTables: restoredTableNames(plan),
        sourceNames: new Map((plan.tables ?? []).map((table) => [table.alias ?? table.name, table.name])),
      }),
    );
    return {
      state: check.passed ? 'FINISHED' : 'FAILED',
      reason: check.problem,
      startedAt,
      finishedAt: now(),
      durationSeconds: measuredSeconds(tracked),
      job: tracked,
      check,
      droppedEmptyTarget: false,
    };
  }

  let state: RestoreRunResult['state'];
  let reason: string;
  if (tracked.phase === 'deadline') {
    await cancelQuietly(deps, tracked, 'deadline');
    state = 'TIMED_OUT';
    reason = 'deadline';
  } else {
    state = tracked.outcome?.state === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED';
    reason = tracked.outcome?.reason ?? 'StarRocks cancelled the restore';
  }
  const droppedEmptyTarget = createsTarget ? await dropIfEmpty(deps, plan.targetDatabase) : false;
  return {
    state,
    reason,
    startedAt,
    finishedAt: now(),
    durationSeconds: null,
    job: tracked,
    check: null,
    droppedEmptyTarget,
  };
}

/** Retries `acquire` while the slot or lock is held by a live holder, up to `waitSeconds`, then rethrows. */
async function waitFor<T>(
  request: Pick<RestoreLeaseRequest, 'retrySeconds' | 'waitSeconds' | 'signal'>,
  deps: Pick<RestoreRunDeps, 'clock' | 'sleep'> & {
    readonly onProgress?: ((event: LeaseWaitProgress) => void) | undefined;
  },
  what: 'slot' | 'lock',
  acquire: () => Promise<T>,
): Promise<T> {
  const giveUpAt = deps.clock.now() + request.waitSeconds * 1000;
  for (;;) {
    try {
      return await acquire();
    } catch (error) {
      const busy = error instanceof SlotUnavailableError || error instanceof LockHeldError;
      const retryInSeconds = Math.max(1, request.retrySeconds);
      if (!busy || deps.clock.now() + retryInSeconds * 1000 > giveUpAt) throw error;
      deps.onProgress?.({ kind: 'waiting', for: what, detail: error.message, retryInSeconds });
      await deps.sleep(retryInSeconds * 1000, request.signal);
    }
  }
}

/** Extends every lease by `waitSeconds` plus one lease length: what a wait of that long needs. */
export async function extendRestoreLeases(
  deps: Pick<RestoreRunDeps, 'locks'>,
  leases: RestoreLeases,
  waitSeconds: number,
  leaseSeconds: number,
): Promise<void> {
  const extendSeconds = waitSeconds + leaseSeconds;
  await deps.locks.renewLock({ ...leases.lock, extendSeconds });
  if (leases.sourceHold) await deps.locks.renewLock({ ...leases.sourceHold, extendSeconds });
  await deps.locks.renewSlot({ ...leases.slot, extendSeconds });
}

/** What cancelling and dropping after a failed restore need (a single-snapshot or a chain restore). */
interface CleanupDeps {
  readonly starRocks: <T>(
    work: (
      client: Pick<
        LocalRestoreClient,
        'showRestore' | 'cancelRestore' | 'showDatabases' | 'listTables' | 'dropDatabase'
      >,
    ) => Promise<T>,
  ) => Promise<T>;
  readonly onProgress?: ((event: { kind: 'cancelling'; reason: string }) => void) | undefined;
}

/** Cancels our job if it still runs; a failure to do so is reported, never thrown over the original problem. */
export async function cancelQuietly(
  deps: CleanupDeps,
  job: { readonly targetDatabase: string; readonly label: string; readonly snapshotTimestamp: string },
  reason: string,
): Promise<void> {
  deps.onProgress?.({ kind: 'cancelling', reason });
  try {
    await deps.starRocks((client) => cancelRestoreIfOurs(client, job));
  } catch {
    // The FE may be the very thing that failed; StarRocks' own timeout property ends the job then.
  }
}

/** The target did not exist before this restore: if it holds no table now, it is ours to remove. */
export async function dropIfEmpty(deps: CleanupDeps, database: string): Promise<boolean> {
  try {
    return await deps.starRocks(async (client) => {
      if (!(await client.showDatabases()).includes(database)) return false;
      if ((await client.listTables(database)).length > 0) return false;
      await client.dropDatabase(database);
      return true;
    });
  } catch {
    return false;
  }
}

/** The error a finished restore run stands for, for callers that report it as one (exit status, alerts). */
export function restoreRunError(result: RestoreRunResult): Error | null {
  if (result.state === 'FINISHED') return null;
  if (result.state === 'TIMED_OUT') return new RestoreTimedOutError(result.reason ?? 'deadline');
  if (result.check !== null) return new RestoreCheckFailedError(result.reason ?? 'the restore check failed');
  return new RestoreFailedError(result.reason ?? 'the restore failed');
}
