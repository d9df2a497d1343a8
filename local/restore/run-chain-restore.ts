/**
 * A chain restore in one process (the CLI's `restore --execute` of a differential backup, issue 20): the full, then
 * the differential, into a new database, under the same slot and target lock as a single-snapshot restore
 * (run-restore.ts) plus a hold on the full's label, so retention prunes neither snapshot while they are read. The
 * steps are restoreSteps' and runRestoreChain sends them (lambdas/domain/differential); this module holds the
 * leases, keeps them alive across runRestoreChain's waits, reports progress, and cleans up when a step fails.
 */

import type { Clock } from '#domain/clock.ts';
import {
  type ChainCheckMismatch,
  type ChainRestoreClient,
  type ChainRestoreResult,
  type RestoreStep,
  runRestoreChain,
} from '#domain/differential/index.ts';
import {
  RestoreFailedError,
  RestoreInterruptedError,
  RestoreTargetExistsError,
  RestoreTimedOutError,
} from '#domain/errors.ts';
import type { RestoreSnapshot } from '#domain/restore/restore-plan.ts';
import { isTransient } from '#domain/retry-policy.ts';
import type { FullStarRocksClient, RestoreJob } from '#domain/starrocks/index.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import {
  cancelQuietly,
  dropIfEmpty,
  extendRestoreLeases,
  holdRestoreLeases,
  type RestoreLeases,
  type RestoreRunDeps,
  sourceHoldKey,
} from './run-restore.ts';

/** Everything a local chain restore calls on the FE. */
export type LocalChainRestoreClient = ChainRestoreClient &
  Pick<FullStarRocksClient, 'showDatabases' | 'listTables' | 'cancelRestore' | 'dropDatabase'>;

/** What the chain restore reports as it goes. */
export type ChainRestoreProgress =
  | {
      readonly kind: 'waiting';
      readonly for: 'slot' | 'lock';
      readonly detail: string;
      readonly retryInSeconds: number;
    }
  | { readonly kind: 'submitted'; readonly label: string; readonly nextWaitSeconds: number }
  | {
      readonly kind: 'polled';
      readonly label: string;
      readonly job: RestoreJob;
      /** Seconds until the next look; null once the job ended. */
      readonly nextWaitSeconds: number | null;
    }
  | { readonly kind: 'dropped'; readonly table: string; readonly partition: string }
  | { readonly kind: 'checking'; readonly targetDatabase: string }
  | { readonly kind: 'cancelling'; readonly reason: string };

/** One chain restore to run. */
export interface ChainRestoreRunRequest {
  readonly cluster: string;
  /** The database the snapshots were taken of. */
  readonly sourceDatabase: string;
  /** A database that must not exist: the chain is restored into it. */
  readonly targetDatabase: string;
  readonly full: RestoreSnapshot;
  readonly differential: RestoreSnapshot;
  /** restoreSteps' plan for the two. */
  readonly steps: readonly RestoreStep[];
  /** Who holds the slot and the locks (a local execution id the liveness check knows). */
  readonly holder: string;
  readonly capacity: number;
  readonly leaseSeconds: number;
  /** Seconds between two SHOW RESTORE (and between two tries for a busy slot or lock). */
  readonly pollSeconds: number;
  /** StarRocks' own timeout of each RESTORE (whole seconds ≥ 600), also our deadline per RESTORE. */
  readonly timeoutSeconds: number;
  /** How long to wait for a free slot and for the target's lock before giving up. */
  readonly waitSeconds: number;
  /** Aborting cancels our RESTORE job, releases everything and rejects with RestoreInterruptedError. */
  readonly signal?: AbortSignal | undefined;
}

/** What the chain restore needs from its environment (as the single-snapshot restore, over a chain client). */
export interface ChainRestoreRunDeps extends Omit<RestoreRunDeps, 'starRocks' | 'onProgress'> {
  readonly starRocks: <T>(work: (client: LocalChainRestoreClient) => Promise<T>) => Promise<T>;
  readonly clock: Clock;
  readonly onProgress?: ((event: ChainRestoreProgress) => void) | undefined;
}

/** How the chain restore ended. */
export interface ChainRestoreRunResult {
  /** FAILED also when the check found the restored database unlike the differential's manifest. */
  readonly state: Extract<BackupOutcomeState, 'FINISHED' | 'FAILED' | 'TIMED_OUT'>;
  /** StarRocks' status text, the deadline, or the check's finding; null when FINISHED. */
  readonly reason: string | null;
  /** Epoch ms (our clock). */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** First statement → the check done; null unless the check ran. */
  readonly durationSeconds: number | null;
  /** The steps that ran to their end, in order; after a failure, the RESTOREs that FINISHED before it. */
  readonly ran: ChainRestoreResult['ran'];
  /** The check's differences from the differential's manifest (empty: equal, or the check did not run). */
  readonly mismatches: readonly ChainCheckMismatch[];
  /** Tables and partitions the check compared; null when it did not run. */
  readonly checked: { readonly tables: number; readonly partitions: number } | null;
  /** The target database was dropped again because the failed restore left it without tables. */
  readonly droppedEmptyTarget: boolean;
}

/** Consecutive failed SHOW RESTORE (FE unreachable, …) tolerated before the chain restore is given up. */
const MAX_FAILED_POLLS = 4;

/**
 * Runs the chain restore of `request` to its end.
 * @throws RestoreTargetExistsError (nothing done), SlotUnavailableError / LockHeldError after the wait (nothing
 *   done), RestoreInterruptedError (aborted: our job cancelled), or an error of StarRocks or DynamoDB.
 */
export async function runChainRestore(
  request: ChainRestoreRunRequest,
  deps: ChainRestoreRunDeps,
): Promise<ChainRestoreRunResult> {
  const startedAt = deps.clock.now();
  return holdRestoreLeases(
    {
      cluster: request.cluster,
      targetDatabase: request.targetDatabase,
      label: request.differential.label,
      holder: request.holder,
      capacity: request.capacity,
      leaseSeconds: request.leaseSeconds,
      retrySeconds: request.pollSeconds,
      waitSeconds: request.waitSeconds,
      signal: request.signal,
      // The lock names the differential; prune re-checks only a candidate's own label against live locks, so the
      // full needs a live lock of its own (prune-core's liveLabels).
      sourceHold: {
        cluster: request.cluster,
        database: sourceHoldKey(request.sourceDatabase, request.holder),
        label: request.full.label,
      },
    },
    deps,
    (leases) => chainUnderLeases(request, deps, leases, startedAt),
  );
}

async function chainUnderLeases(
  request: ChainRestoreRunRequest,
  deps: ChainRestoreRunDeps,
  leases: RestoreLeases,
  startedAt: number,
): Promise<ChainRestoreRunResult> {
  const target = request.targetDatabase;
  const now = () => deps.clock.now();
  await extendRestoreLeases(deps, leases, 0, request.leaseSeconds);
  // Checked under the lock, so no other restore of ours can create it in between.
  await deps.starRocks(async (client) => {
    if ((await client.showDatabases()).includes(target)) throw new RestoreTargetExistsError(target);
  });

  const wait = async (seconds: number): Promise<void> => {
    await extendRestoreLeases(deps, leases, seconds, request.leaseSeconds);
    await deps.sleep(seconds * 1000, request.signal);
  };
  // The RESTORE last submitted: the one to cancel if the chain stops while it may run.
  let current: { label: string; snapshotTimestamp: string } | null = null;
  const ran: ChainRestoreResult['ran'][number][] = [];
  let firstStatementAt: number | null = null;
  const client: ChainRestoreClient = {
    createDatabase: (database, options) => {
      firstStatementAt ??= now();
      return deps.starRocks((fe) => fe.createDatabase(database, options));
    },
    submitRestore: async (restore) => {
      current = { label: restore.label, snapshotTimestamp: restore.snapshotTimestamp };
      const submitted = await deps.starRocks((fe) => fe.submitRestore(restore));
      deps.onProgress?.({ kind: 'submitted', label: restore.label, nextWaitSeconds: request.pollSeconds });
      return submitted;
    },
    showRestore: async (database) => {
      for (let failed = 0; ; ) {
        try {
          const job = await deps.starRocks((fe) => fe.showRestore(database));
          if (job !== null && current !== null && job.label === current.label) {
            const ended = job.state === 'FINISHED' || job.state === 'CANCELLED';
            if (job.state === 'FINISHED') ran.push({ step: stepOf(request, job.label), job });
            deps.onProgress?.({
              kind: 'polled',
              label: job.label,
              job,
              nextWaitSeconds: ended ? null : request.pollSeconds,
            });
          }
          return job;
        } catch (error) {
          failed += 1;
          if (!isTransient(error) || failed >= MAX_FAILED_POLLS) throw error;
          await wait(request.pollSeconds);
        }
      }
    },
    dropPartition: async (database, table, partition, options) => {
      await deps.starRocks((fe) => fe.dropPartition(database, table, partition, options));
      deps.onProgress?.({ kind: 'dropped', table, partition });
    },
    readPartitionManifest: (database, options) => {
      deps.onProgress?.({ kind: 'checking', targetDatabase: database });
      return deps.starRocks((fe) => fe.readPartitionManifest(database, options));
    },
  };

  let result: ChainRestoreResult;
  try {
    result = await runRestoreChain(client, request.steps, {
      repository: request.differential.repository,
      sourceDatabase: request.sourceDatabase,
      targetDatabase: target,
      snapshotTimestamps: {
        [request.full.label]: request.full.snapshotTimestamp,
        [request.differential.label]: request.differential.snapshotTimestamp,
      },
      timeoutSeconds: request.timeoutSeconds,
      pollSeconds: request.pollSeconds,
      wait,
    });
  } catch (error) {
    const aborted = request.signal?.aborted === true;
    const stoppedJob = current as { label: string; snapshotTimestamp: string } | null;
    if (stoppedJob !== null) {
      const reason = aborted ? 'interrupted' : error instanceof RestoreTimedOutError ? 'deadline' : 'error';
      await cancelQuietly(deps, { targetDatabase: target, ...stoppedJob }, reason);
    }
    const droppedEmptyTarget = firstStatementAt === null ? false : await dropIfEmpty(deps, target);
    if (aborted) {
      throw new RestoreInterruptedError('the chain restore was interrupted; its RESTORE job was cancelled');
    }
    if (!(error instanceof RestoreFailedError) && !(error instanceof RestoreTimedOutError)) throw error;
    return {
      state: error instanceof RestoreTimedOutError ? 'TIMED_OUT' : 'FAILED',
      reason: error.message,
      startedAt,
      finishedAt: now(),
      durationSeconds: null,
      ran,
      mismatches: [],
      checked: null,
      droppedEmptyTarget,
    };
  }
  const check = request.steps.find((step) => step.step === 'check');
  const checked =
    check === undefined
      ? null
      : {
          tables: check.tables.length,
          partitions: check.tables.reduce((sum, table) => sum + table.partitions.length, 0),
        };
  const finishedAt = now();
  const equal = result.mismatches.length === 0;
  return {
    state: equal ? 'FINISHED' : 'FAILED',
    reason: equal
      ? null
      : `the restored database differs from the manifest of ${request.differential.label} in ${result.mismatches.length} ${result.mismatches.length === 1 ? 'place' : 'places'}`,
    startedAt,
    finishedAt,
    durationSeconds: Math.max(0, (finishedAt - (firstStatementAt ?? startedAt)) / 1000),
    ran: result.ran,
    mismatches: result.mismatches,
    checked,
    droppedEmptyTarget: false,
  };
}

function stepOf(request: ChainRestoreRunRequest, label: string): RestoreStep['step'] {
  return label === request.full.label ? 'restore-full' : 'restore-differential';
}
