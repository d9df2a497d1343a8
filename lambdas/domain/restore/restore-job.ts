/**
 * One StarRocks RESTORE job, tracked the way the backup workflow tracks a BACKUP: submitted (or adopted) once,
 * then observed with SHOW RESTORE at the poll policy's intervals until it FINISHES, StarRocks cancels it, or our
 * own deadline passes. The functions here only talk to StarRocks; leases and the catalog belong to the callers
 * (the drill's Task Lambdas and the CLI's restore loop).
 */

import { backupTimeoutPropertySeconds } from '#domain/config/index.ts';
import { observedSeconds, observeJob } from '#domain/poll/observations.ts';
import { nextPollSeconds } from '#domain/poll/poll-policy.ts';
// Value imports come from the modules themselves, not the barrel: the barrel pulls in mysql2, which the drill's
// non-FE functions (plan, record, notify) must not carry.
import type { FullStarRocksClient, RestoreJob, RestoreTableRef } from '#domain/starrocks/index.ts';
import { isTerminalRestoreState } from '#domain/starrocks/parse-restore-job.ts';
import { jobObservationsSchema, type Outcome, outcomeSchema } from '#domain/workflow/workflow-state.ts';
import { z } from '#domain/zod.ts';
import type { RestorePlan } from './restore-plan.ts';

/** What a poll of the restore decided. */
export const RESTORE_PHASES = ['running', 'finished', 'cancelled', 'deadline'] as const;

/** RestoreObjs is kept up to this many characters (a state payload must stay far below 256 KB). */
export const RESTORE_OBJECTS_MAX_CHARS = 32_768;

/** `$.restore`: our RESTORE job as the drill workflow (and the CLI loop) tracks it. */
export const trackedRestoreSchema = z.looseObject({
  label: z.string().min(1),
  snapshotTimestamp: z.string().min(1),
  repository: z.string().min(1),
  sourceDatabase: z.string().min(1),
  targetDatabase: z.string().min(1),
  phase: z.enum(RESTORE_PHASES),
  /** Submitted now, or found already running with our label and timestamp (a retried submit). */
  origin: z.enum(['submitted', 'adopted']),
  /** Our clock (epoch ms) at submission: elapsed time, the deadline and the measured duration count from it. */
  submittedAt: z.number(),
  deadlineAt: z.number(),
  checkedAt: z.number(),
  /** Our clock when a poll first saw FINISHED; null until then. */
  finishedAt: z.number().nullable(),
  starRocksState: z.string().nullable(),
  starRocksJobId: z.string().nullable(),
  progress: z.object({ done: z.number(), total: z.number() }).nullable(),
  /** SHOW RESTORE's RestoreObjs once FINISHED: the snapshot's objects StarRocks restored. */
  restoreObjects: z.string().max(RESTORE_OBJECTS_MAX_CHARS).nullable(),
  /** RestoreObjs was longer than RESTORE_OBJECTS_MAX_CHARS and is cut. */
  restoreObjectsTruncated: z.boolean(),
  /** Whole seconds until the next check. */
  nextWaitSeconds: z.number().int().nonnegative(),
  polls: z.number().int().nonnegative(),
  /** Measured durations (s) of earlier restores of the same database, newest first: the poll policy aims with them. */
  historySeconds: z.array(z.number()).max(20),
  /** What the poll policy keeps between checks (DOWNLOADING readings count as a backup's UPLOADING ones). */
  observed: jobObservationsSchema.optional(),
  /** Set when StarRocks ended the job itself (phase `cancelled`), or when the job vanished. */
  outcome: outcomeSchema.optional(),
  /** A drill of a chain (drill-chain.ts): which RESTORE step of `$.plan.chain` this job is. */
  chain: z
    .object({
      /** Index of this RESTORE in `$.plan.chain.steps`. */
      step: z.number().int().nonnegative(),
      /** Steps follow this one: NextRestoreStep runs after it FINISHES, not VerifyRestore. */
      stepsLeft: z.boolean(),
      /** Our clock (epoch ms) when the chain's first RESTORE was submitted: the measured time counts from it. */
      startedAt: z.number(),
    })
    .optional(),
});

/** `$.restore`. */
export type TrackedRestore = z.output<typeof trackedRestoreSchema>;

/** The StarRocks calls a restore job makes. */
export type RestoreClient = Pick<
  FullStarRocksClient,
  'currentVersion' | 'showDatabases' | 'createDatabase' | 'submitRestore' | 'showRestore' | 'cancelRestore'
>;

/** The poll bounds and our deadline for one restore. */
export interface RestoreTiming {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** Our deadline, seconds after submission; StarRocks' own `timeout` property gets a margin on top. */
  readonly deadlineSeconds: number;
}

/**
 * StarRocks' restore states in the poll policy's vocabulary: DOWNLOADING is the transfer phase whose Progress
 * column counts done/total tasks, as UPLOADING is for a backup; the policy reads progress only in that phase.
 */
function pollState(state: string | null): string | undefined {
  if (state === null) return undefined;
  return state === 'DOWNLOADING' ? 'UPLOADING' : state;
}

/** Whole seconds until the next SHOW RESTORE. */
export function nextRestoreCheckSeconds(timing: RestoreTiming, job: TrackedRestore, now: number): number {
  return nextPollSeconds({
    elapsedSeconds: Math.max(0, (now - job.submittedAt) / 1000),
    minSeconds: timing.minSeconds,
    maxSeconds: timing.maxSeconds,
    // A later RESTORE of a chain has what is left of the chain's deadline, not a whole one.
    deadlineSeconds: Math.max(0, Math.min(timing.deadlineSeconds, (job.deadlineAt - job.submittedAt) / 1000)),
    state: pollState(job.starRocksState),
    progress: job.progress,
    historySeconds: job.historySeconds,
    observed: observedSeconds(job.observed, job.submittedAt),
  });
}

/**
 * The RESTORE as the statement builder takes it (the version picks the grammar). `on` replaces the plan's tables
 * with an ON list of its own (a chain's step, whose entries may name partitions).
 */
export function restoreRequestOf(
  plan: RestorePlan,
  deadlineSeconds: number,
  on?: readonly (string | RestoreTableRef)[] | undefined,
) {
  return {
    database: plan.sourceDatabase,
    label: plan.snapshot.label,
    repository: plan.snapshot.repository,
    snapshotTimestamp: plan.snapshot.snapshotTimestamp,
    timeoutSeconds: backupTimeoutPropertySeconds(deadlineSeconds),
    ...(plan.targetDatabase === plan.sourceDatabase ? {} : { asDatabase: plan.targetDatabase }),
    ...(on !== undefined
      ? { tables: on }
      : plan.tables === undefined
        ? {}
        : {
            tables: plan.tables.map((table) =>
              table.alias === undefined ? table.name : { name: table.name, alias: table.alias },
            ),
          }),
  };
}

function isOurJob(row: RestoreJob | null, plan: Pick<TrackedRestore, 'label' | 'snapshotTimestamp'>) {
  return row !== null && row.label === plan.label && row.timestamp === plan.snapshotTimestamp;
}

/**
 * Submits the RESTORE into the plan's target (creating the target first, on every version), or
 * adopts our job when the target's slot already runs it (a submit retried after a lost answer). The caller has
 * made sure the target may be written: the CLI refuses an existing database, a drill drops its own leftover.
 */
export async function submitRestoreJob(
  client: RestoreClient,
  request: {
    readonly plan: RestorePlan;
    readonly timing: RestoreTiming;
    readonly historySeconds: readonly number[];
    readonly now: () => number;
    /**
     * Adopt our job (label and timestamp) even when it has ended: the caller knows this execution submitted it (a
     * retry after a lost answer, the job done meanwhile); CheckRestore then reads how it ended.
     */
    readonly adoptEnded?: boolean;
    /** The ON list to send instead of the plan's tables (a chain's RESTORE step). */
    readonly on?: readonly (string | RestoreTableRef)[] | undefined;
    /** Our deadline (epoch ms) when it was set before this job (a chain's later RESTORE keeps the chain's). */
    readonly deadlineAt?: number | undefined;
  },
): Promise<TrackedRestore> {
  const { plan, timing } = request;
  const version = await client.currentVersion();
  const targetExists = (await client.showDatabases()).includes(plan.targetDatabase);
  const running = targetExists ? await client.showRestore(plan.targetDatabase) : null;
  const adopted =
    running !== null &&
    (request.adoptEnded === true || !isTerminalRestoreState(running.state)) &&
    isOurJob(running, { label: plan.snapshot.label, snapshotTimestamp: plan.snapshot.snapshotTimestamp });

  if (!adopted) {
    // Older BackupHandler.process answers `Unknown database` for a missing target and main creates it; which
    // release changed that is not confirmed, so the target is always created here (the caller made sure it did
    // not exist: nothing is ever restored over an existing database).
    if (!targetExists) await client.createDatabase(plan.targetDatabase, { ifNotExists: true });
    await client.submitRestore({ ...restoreRequestOf(plan, timing.deadlineSeconds, request.on), version });
  }
  const now = request.now();
  const job: TrackedRestore = {
    label: plan.snapshot.label,
    snapshotTimestamp: plan.snapshot.snapshotTimestamp,
    repository: plan.snapshot.repository,
    sourceDatabase: plan.sourceDatabase,
    targetDatabase: plan.targetDatabase,
    phase: 'running',
    origin: adopted ? 'adopted' : 'submitted',
    submittedAt: now,
    deadlineAt: request.deadlineAt ?? now + timing.deadlineSeconds * 1000,
    checkedAt: now,
    finishedAt: null,
    starRocksState: adopted ? running.state : null,
    starRocksJobId: adopted ? running.jobId : null,
    progress: adopted ? running.progress : null,
    restoreObjects: null,
    restoreObjectsTruncated: false,
    nextWaitSeconds: 0,
    polls: 0,
    historySeconds: request.historySeconds.slice(0, 20),
  };
  job.nextWaitSeconds = nextRestoreCheckSeconds(timing, job, now);
  return job;
}

/**
 * One poll: SHOW RESTORE FROM the target, then the phase: finished, cancelled by StarRocks (its status decides
 * FAILED or TIMED_OUT), past our deadline, or still running with the next wait from the poll policy. A job that
 * no longer shows our label has ended without us: FAILED.
 */
export async function checkRestoreJob(
  client: Pick<RestoreClient, 'showRestore'>,
  tracked: TrackedRestore,
  timing: RestoreTiming,
  now: () => number,
): Promise<TrackedRestore> {
  const row = await client.showRestore(tracked.targetDatabase);
  const at = now();
  const job: TrackedRestore = {
    ...tracked,
    polls: tracked.polls + 1,
    checkedAt: at,
    nextWaitSeconds: 0,
  };
  if (!isOurJob(row, tracked)) {
    job.phase = 'cancelled';
    job.outcome = {
      state: 'FAILED',
      reason: `restore job ${tracked.label} is no longer listed by SHOW RESTORE FROM ${tracked.targetDatabase}${row ? ` (the latest is ${row.label})` : ''}`,
    };
    return job;
  }
  const ours = row as RestoreJob;
  job.starRocksState = ours.state;
  job.starRocksJobId = ours.jobId;
  job.progress = ours.progress ?? tracked.progress;
  job.observed = observeJob(tracked.observed, pollState(ours.state), ours.progress, at);
  if (ours.state === 'FINISHED') {
    job.phase = 'finished';
    job.finishedAt = at;
    job.restoreObjectsTruncated = ours.restoreObjs.length > RESTORE_OBJECTS_MAX_CHARS;
    job.restoreObjects = ours.restoreObjs.slice(0, RESTORE_OBJECTS_MAX_CHARS);
  } else if (ours.state === 'CANCELLED') {
    job.phase = 'cancelled';
    job.outcome = cancelledOutcome(ours);
  } else if (at >= tracked.deadlineAt) {
    job.phase = 'deadline';
  } else {
    job.phase = 'running';
    job.nextWaitSeconds = nextRestoreCheckSeconds(timing, job, at);
  }
  return job;
}

/** StarRocks' own timeout ends a restore with `[TIMEOUT, msg: …]`: TIMED_OUT; any other status: FAILED. */
function cancelledOutcome(job: RestoreJob): Outcome {
  const taskErrors = job.taskErrMsg.trim();
  const reason = taskErrors ? `${job.status.raw} ${taskErrors}` : job.status.raw;
  return { state: job.status.code === 'TIMEOUT' ? 'TIMED_OUT' : 'FAILED', reason };
}

/** What cancelling did. */
export type RestoreCancellation = {
  readonly cancelled: boolean;
  readonly why: 'cancelled' | 'not-running' | 'no-target';
};

/**
 * CANCEL RESTORE FROM the target, only when the target's running job is ours (label and timestamp): a job
 * someone else started is never touched.
 */
export async function cancelRestoreIfOurs(
  client: Pick<RestoreClient, 'showDatabases' | 'showRestore' | 'cancelRestore'>,
  job: { readonly targetDatabase: string; readonly label: string; readonly snapshotTimestamp: string },
): Promise<RestoreCancellation> {
  if (!(await client.showDatabases()).includes(job.targetDatabase)) {
    return { cancelled: false, why: 'no-target' };
  }
  const row = await client.showRestore(job.targetDatabase);
  if (!isOurJob(row, job) || isTerminalRestoreState((row as RestoreJob).state)) {
    return { cancelled: false, why: 'not-running' };
  }
  const result = await client.cancelRestore(job.targetDatabase);
  return { cancelled: result.outcome === 'cancelled', why: 'cancelled' };
}

/**
 * {@link cancelRestoreIfOurs} for each of `jobs` (a chain's RESTOREs share one target; at most one runs): cancelled
 * when one of them was, else the first answer.
 */
export async function cancelAnyOurs(
  client: Pick<RestoreClient, 'showDatabases' | 'showRestore' | 'cancelRestore'>,
  jobs: readonly {
    readonly targetDatabase: string;
    readonly label: string;
    readonly snapshotTimestamp: string;
  }[],
): Promise<RestoreCancellation> {
  let first: RestoreCancellation | null = null;
  for (const job of jobs) {
    const result = await cancelRestoreIfOurs(client, job);
    if (result.cancelled) return result;
    first ??= result;
  }
  return first ?? { cancelled: false, why: 'not-running' };
}

/** Measured restore time in seconds (submit → the poll that saw FINISHED, our clock); null until finished. */
export function measuredSeconds(job: Pick<TrackedRestore, 'submittedAt' | 'finishedAt'>): number | null {
  return job.finishedAt === null ? null : Math.max(0, (job.finishedAt - job.submittedAt) / 1000);
}
