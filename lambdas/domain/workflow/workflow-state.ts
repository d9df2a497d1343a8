import { clusterSettingsSchema } from '#domain/config/index.ts';
import { z } from '#domain/zod.ts';
import { TERMINAL_STATES } from './outcomes.ts';

/**
 * The JSON state that flows through the BackupDatabase state machine. Each Task receives the whole state
 * (its `$`) and returns one field of it (its ResultPath); these schemas are the contract between the ASL
 * and the Lambda cores. Objects are loose: Step Functions adds fields (for example the parent execution id)
 * that a core need not know.
 */

/** `$.execution`: the child execution's identity, from the context object. */
export const executionRefSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  startTime: z.string().optional(),
});

/** What an ended holder left on a lock or slot this execution took over (lambdas/domain/lock `InheritedLease`). */
const inheritedWorkShape = {
  holder: z.string().min(1),
  token: z.number().int().nonnegative(),
  runId: z.string().optional(),
  schedule: z.string().optional(),
  scheduledTime: z.string().optional(),
  database: z.string().optional(),
  label: z.string().optional(),
  submittedLabel: z.string().optional(),
  labelAttempt: z.number().int().positive().optional(),
  submittedAt: z.number().optional(),
};

export const inheritedLeaseSchema = z.looseObject({
  ...inheritedWorkShape,
  /** Older work the ended holder had itself inherited and may not have settled. */
  unsettled: z.looseObject(inheritedWorkShape).optional(),
});

/** `$.slot`: the cluster slot this execution holds. */
export const slotLeaseSchema = z.looseObject({
  slot: z.number().int().nonnegative(),
  token: z.number().int().positive(),
  leaseExpiresAt: z.number(),
  takenOver: inheritedLeaseSchema.nullable().optional(),
});

/** `$.lock`: the database lock this execution holds. */
export const lockLeaseSchema = z.looseObject({
  token: z.number().int().positive(),
  leaseExpiresAt: z.number(),
  takenOver: inheritedLeaseSchema.nullable().optional(),
});

/** One settled orphan that needs its failure alerted: the input NotifyFailure reads for it. */
export const orphanAlertSchema = z.looseObject({
  runId: z.string().min(1),
  schedule: z.string().min(1),
  scheduledTime: z.string().min(1),
  database: z.string().min(1),
  label: z.string().min(1),
  execution: z.looseObject({ id: z.string().min(1), name: z.string().min(1) }),
  record: z.looseObject({ state: z.enum(TERMINAL_STATES), reason: z.string().nullable() }),
  /** Alert only when nobody alerted this database for that run yet (the ended holder may have, before it ended). */
  alertOnce: z.literal(true),
});

/** `$.orphans`: what SettleOrphans did about the work of ended holders this execution inherited. */
export const settledOrphansSchema = z.looseObject({
  settled: z.array(
    z.looseObject({
      holder: z.string(),
      database: z.string(),
      action: z.enum(['adopt', 'cancelled', 'recorded', 'nothing', 'pending']),
      label: z.string().nullable(),
      state: z.enum(TERMINAL_STATES).nullable(),
    }),
  ),
  alerts: z.array(orphanAlertSchema),
  /**
   * Set when an ended holder noted a submission StarRocks does not show yet and its invocation may still be sending
   * it: check again after this many seconds (the second pass decides).
   */
  recheckAfterSeconds: z.number().int().positive().optional(),
});

/**
 * A problem of one database found before its backup (lambdas/domain/run-plan/classify-database.ts): a name
 * StarRocks would not accept, a listing that failed, objects that cannot be classified or backed up. It travels in
 * the database's plan entry; BackupDatabase records it (and alerts a FAILED one) without taking a slot or a lock.
 */
export const databaseProblemSchema = z.object({
  /** The error class it stands for (an ERROR_NAMES entry), shown in the alert. */
  error: z.string().min(1).max(100),
  /** What is wrong, naming the database. */
  reason: z.string().min(1).max(2000),
  state: z.enum(['FAILED', 'SKIPPED']),
});

/** An object left out of a backup, as the job and the catalog keep it. */
export const omittedObjectSchema = z.looseObject({
  name: z.string().min(1).max(1024),
  kind: z.string().min(1).max(32),
  why: z.string().min(1).max(64),
  detail: z.string().max(500).optional(),
});

/** What the submitted BACKUP covers (lambdas/domain/starrocks/backup-scope.ts), for the catalog. */
export const jobScopeSchema = z.looseObject({
  /** The kinds of object the snapshot holds: TABLE, MATERIALIZED_VIEW, VIEW, FUNCTION. */
  objects: z.array(z.string().min(1).max(32)).max(8),
  /** What was left out (at most 20 kept; `omittedTotal` counts all). */
  omitted: z.array(omittedObjectSchema).max(20),
  omittedTotal: z.number().int().nonnegative(),
});

/**
 * What a differential schedule's run backs up (issue 20): a full that starts a chain (and why), or a differential
 * against `baseLabel`. Counts only: the manifest itself is in the catalog (it can be far above Step Functions' 256 KB
 * state limit).
 */
export const jobChainSchema = z.looseObject({
  mode: z.enum(['full', 'differential']),
  baseLabel: z.string().min(1).optional(),
  /** Why a full was taken (`no-full`, `full-due`, `base-manifest-missing`, `drops-only`, `adopted`). */
  why: z.string().min(1).max(64).optional(),
  /** Objects and partitions in the BACKUP (a full: the whole manifest; 0 for a job or snapshot adopted). */
  objects: z.number().int().nonnegative(),
  partitions: z.number().int().nonnegative(),
});

/** A decided terminal outcome, before it is written to the catalog. */
export const outcomeSchema = z.looseObject({
  state: z.enum(TERMINAL_STATES),
  reason: z.string().nullable().optional(),
});

/** The phases CheckBackup reports to the RouteJob Choice state. */
export const JOB_PHASES = ['running', 'finished', 'cancelled', 'deadline'] as const;

/** A Progress reading (done/total upload tasks) at an instant of our clock (epoch ms). */
const progressMarkSchema = z.object({ at: z.number(), done: z.number(), total: z.number() });

/** What the poll policy keeps between checks of a job (lambdas/domain/poll/observations.ts `JobObservations`). */
export const jobObservationsSchema = z.object({
  preUploadSeenAt: z.number().optional(),
  upload: z
    .object({
      first: progressMarkSchema,
      previous: progressMarkSchema.optional(),
      latest: progressMarkSchema,
      stalled: z.boolean().optional(),
      fastest: z.number().optional(),
      pending: z.number().optional(),
    })
    .optional(),
});

/** `$.job`: our StarRocks backup job as the workflow tracks it. */
export const jobSchema = z.looseObject({
  /** The label actually submitted (the planned label, or it with an attempt suffix). */
  label: z.string().min(1),
  labelAttempt: z.number().int().positive(),
  phase: z.enum(JOB_PHASES),
  /** How we came to track this job: submitted now, or adopted from an earlier attempt of the same slot. */
  origin: z.enum(['submitted', 'adopted-job', 'adopted-snapshot']),
  /** Our clock (epoch ms) when the job was submitted or adopted: elapsed time and the deadline count from it. */
  submittedAt: z.number(),
  deadlineAt: z.number(),
  /** Our clock (epoch ms) at the last SubmitBackup or CheckBackup: the next check is due nextWaitSeconds later. */
  checkedAt: z.number(),
  /** StarRocks' State column, verbatim (null until seen). */
  starRocksState: z.string().nullable(),
  starRocksJobId: z.string().nullable(),
  progress: z.object({ done: z.number(), total: z.number() }).nullable(),
  /** Whole seconds until the next CheckBackup (Wait's SecondsPath rejects fractions). */
  nextWaitSeconds: z.number().int().nonnegative(),
  polls: z.number().int().nonnegative(),
  /** Durations (s) of this database's earlier FINISHED backups, newest first, read once at submit (≤ 7). */
  historySeconds: z.array(z.number()).max(20),
  /** Set when StarRocks ended the job itself (phase `cancelled`). */
  outcome: outcomeSchema.optional(),
  /**
   * What the poll policy keeps between checks (lambdas/domain/poll/observations.ts), epoch ms on our clock: the last
   * check that saw the job before its upload, and the first and two latest Progress readings while UPLOADING.
   */
  observed: jobObservationsSchema.optional(),
  /** What the BACKUP covers; absent for an adopted snapshot (its scope was recorded by the attempt that made it). */
  scope: jobScopeSchema.optional(),
  /** Set on a differential schedule's run: what kind of snapshot it takes, and of which full. */
  chain: jobChainSchema.optional(),
  /**
   * Things the database's alert must say even when the backup FINISHED: a table StarRocks refused (left out), a
   * snapshot the catalog recorded that vanished from the repository. Present only when there is something to say.
   */
  notices: z.array(z.string().min(1).max(2000)).min(1).max(5).optional(),
});

/** `$.verification`: what VerifySnapshot established. */
export const verificationSchema = z.looseObject({
  verified: z.boolean(),
  snapshotTimestamp: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  tableCount: z.number().nullable(),
});

/** A caught error as Step Functions places it at a Catch's ResultPath. */
export const caughtErrorSchema = z.looseObject({
  Error: z.string(),
  Cause: z.string().optional(),
});

/** The whole BackupDatabase state, as every Task of that machine receives it. */
export const backupDatabaseStateSchema = z.looseObject({
  runId: z.string().min(1),
  cluster: clusterSettingsSchema,
  schedule: z.string().min(1),
  scheduledTime: z.iso.datetime(),
  database: z.string().min(1),
  /** The label planned by ResolveDatabases for this slot. */
  label: z.string().min(1),
  /** The database's plan entry as ResolveDatabases made it (carries a problem found before the backup). */
  planned: z.looseObject({ problem: databaseProblemSchema.optional() }).optional(),
  execution: executionRefSchema,
  slot: slotLeaseSchema.optional(),
  lock: lockLeaseSchema.optional(),
  job: jobSchema.optional(),
  verification: verificationSchema.optional(),
  outcome: outcomeSchema.optional(),
  error: caughtErrorSchema.optional(),
  record: z.looseObject({ state: z.enum(TERMINAL_STATES), reason: z.string().nullable() }).optional(),
  recordError: caughtErrorSchema.optional(),
  orphans: settledOrphansSchema.optional(),
  /** Set on a settled orphan's alert: post it only if the database was not alerted for its run yet. */
  alertOnce: z.boolean().optional(),
});

/** The BackupDatabase state as the cores see it. */
export type BackupDatabaseState = z.output<typeof backupDatabaseStateSchema>;
/** `$.job`. */
export type TrackedJob = z.output<typeof jobSchema>;
/** `$.verification`. */
export type Verification = z.output<typeof verificationSchema>;
/** A decided outcome. */
export type Outcome = z.output<typeof outcomeSchema>;
/** A caught error. */
export type CaughtError = z.output<typeof caughtErrorSchema>;
/** A database's problem found before its backup. */
export type DatabaseProblem = z.output<typeof databaseProblemSchema>;
/** `$.job.scope`. */
export type JobScope = z.output<typeof jobScopeSchema>;
/** `$.job.chain`. */
export type JobChain = z.output<typeof jobChainSchema>;
/** `$.orphans`. */
export type SettledOrphans = z.output<typeof settledOrphansSchema>;
/** One settled orphan's alert. */
export type OrphanAlert = z.output<typeof orphanAlertSchema>;

/**
 * The message of a caught error. Lambda's Cause is JSON (`errorType`, `errorMessage`, `trace`); a Fail state's
 * or an intrinsic's Cause may be plain text.
 */
export function causeMessage(error: CaughtError): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: the cause is the message itself.
  }
  return cause || error.Error;
}
