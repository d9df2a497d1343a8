/**
 * The JSON state of the RestoreDrill state machine (statemachines/restore-drill.asl.json) and the rules every
 * drill Task shares: which leases the execution holds, its deadline, and how the drill ended.
 *
 * After PlanDrill, the PrepareLeases Pass state adds the fields the backup workflow's AcquireSlot, AcquireLock and
 * ReleaseLeases read (`runId`, `schedule`, `scheduledTime`, `database`, `label`), so the drill reuses those Lambdas
 * unchanged: `database` is the scratch database (the restore's target, whose lock the drill holds) and `label` the
 * snapshot being read (retention keeps every label a live lock names).
 */

import { clusterSettingsSchema } from '#domain/config/index.ts';
import { ConfigError, InvalidInputError } from '#domain/errors.ts';
import type { HeldLock, HeldSlot } from '#domain/lock/index.ts';
import { heldLockOn, heldSlot, requireBothLeases } from '#domain/workflow/leases.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import {
  caughtErrorSchema,
  causeMessage,
  executionRefSchema,
  lockLeaseSchema,
  type Outcome,
  outcomeSchema,
  slotLeaseSchema,
} from '#domain/workflow/workflow-state.ts';
import { z } from '#domain/zod.ts';
import { chainNextSchema, drillChainSchema } from './drill-chain.ts';
import { restoreCheckSchema } from './restore-check.ts';
import { type RestoreTiming, trackedRestoreSchema } from './restore-job.ts';
import { restorePlanSchema } from './restore-plan.ts';

/** The `schedule` a drill execution presents to the backup Lambdas it reuses. */
export const DRILL_SCHEDULE_NAME = 'drill';

/** The `schedule` an on-demand restore execution presents (statemachines/restore.asl.json's PrepareLeases). */
export const RESTORE_SCHEDULE_NAME = 'restore';

/** `$.plan`: PlanDrill's answer. */
export const drillPlanSchema = restorePlanSchema.extend({
  /** The drill's slot, ISO 8601 UTC: Scheduler's scheduled time, or the execution's start on a manual run. */
  scheduledTime: z.iso.datetime(),
  /** Measured durations (s) of this database's earlier passed drills, newest first. */
  historySeconds: z.array(z.number()).max(20),
  /**
   * A drill of a chain (issue 20, EXPERIMENTAL): `snapshot` is the differential (the point reached), this its full
   * and the steps; absent: `snapshot` is a full, restored alone.
   */
  chain: drillChainSchema.optional(),
  /** Why the newest restorable point, a differential, is not drilled as a chain (the newest full is instead). */
  chainFallback: z.string().optional(),
});

/**
 * The longest deadline an on-demand restore may ask for: the Restore machine's execution timeout, fixed at deploy
 * time (cdk/constructs/on-demand-restore.ts), covers it.
 */
export const MAX_RESTORE_DEADLINE_SECONDS = 7 * 86_400;

/**
 * `$.request`: an operator's on-demand restore (statemachines/restore.asl.json, started by `sr-backup restore
 * --stack … --execute`). Absent on a drill. Its presence changes three rules of the shared Tasks: the target is
 * the operator's database (never dropped unless this restore created it and left it empty), the deadline is
 * `timeoutSeconds` (else the cluster's backup timeout), and only the named tables are checked.
 */
export const restoreRequestSchema = z.object({
  /** The database whose snapshot is restored. */
  database: z.string().min(1),
  /** The snapshot's label; absent: `before`, else the latest verified snapshot. */
  label: z.string().min(1).optional(),
  /** ISO 8601: the newest verified snapshot captured at or before it. */
  before: z.iso.datetime({ offset: true }).optional(),
  /** Restore into this database (default: `database`). */
  targetDatabase: z.string().min(1).optional(),
  tables: restorePlanSchema.shape.tables,
  /** Our deadline for the RESTORE job; default: the cluster's `timeoutSeconds`. */
  timeoutSeconds: z.number().int().positive().max(MAX_RESTORE_DEADLINE_SECONDS).optional(),
  /** Who asked (the CLI's user and host), kept in the execution's input for the audit trail. */
  requestedBy: z.string().max(256).optional(),
});

/** `$.cleanup`: what DropScratch did (`kept`: an on-demand restore's target that holds tables or was not ours). */
export const drillCleanupSchema = z.looseObject({
  dropped: z.boolean(),
  why: z.enum(['dropped', 'absent', 'no-lock', 'lease-lost', 'kept']),
});

/** `$.cancel`: what CancelRestore did. */
export const drillCancelSchema = z.looseObject({
  cancelled: z.boolean(),
  why: z.enum(['cancelled', 'not-running', 'no-target', 'no-lock', 'lease-lost', 'no-plan']),
});

/** `$.record`: the drill's outcome as RecordDrill wrote it to the catalog. */
export const drillRecordResultSchema = z.looseObject({
  state: z.enum(['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED']),
  reason: z.string().nullable(),
});

/** The whole RestoreDrill state, as every drill Task receives it. */
export const drillStateSchema = z.looseObject({
  cluster: clusterSettingsSchema,
  /** Scheduler's `<aws.scheduler.scheduled-time>`; absent on a manual start. PrepareLeases rewrites it in UTC. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  execution: executionRefSchema,
  request: restoreRequestSchema.optional(),
  plan: drillPlanSchema.optional(),
  runId: z.string().optional(),
  schedule: z.string().optional(),
  database: z.string().optional(),
  label: z.string().optional(),
  slot: slotLeaseSchema.optional(),
  lock: lockLeaseSchema.optional(),
  restore: trackedRestoreSchema.optional(),
  /** NextRestoreStep's answer between two RESTOREs of a chain. */
  chainNext: chainNextSchema.optional(),
  check: restoreCheckSchema.optional(),
  outcome: outcomeSchema.optional(),
  error: caughtErrorSchema.optional(),
  cancel: drillCancelSchema.optional(),
  cancelError: caughtErrorSchema.optional(),
  cleanup: drillCleanupSchema.optional(),
  cleanupError: caughtErrorSchema.optional(),
  record: drillRecordResultSchema.optional(),
  recordError: caughtErrorSchema.optional(),
});

/** The RestoreDrill state. */
export type DrillState = z.output<typeof drillStateSchema>;
/** `$.plan`. */
export type DrillPlan = z.output<typeof drillPlanSchema>;
/** `$.request`. */
export type RestoreRequest = z.output<typeof restoreRequestSchema>;
/** `$.cleanup`. */
export type DrillCleanup = z.output<typeof drillCleanupSchema>;
/** `$.cancel`. */
export type DrillCancel = z.output<typeof drillCancelSchema>;

/** The cluster's drill settings. @throws ConfigError when the cluster has none. */
export function drillSettings(state: Pick<DrillState, 'cluster'>) {
  const drill = state.cluster.drill;
  if (drill === undefined) {
    throw new ConfigError(
      `cluster "${state.cluster.name}" has no restore drill configured (clusters[].drill)`,
    );
  }
  return drill;
}

/**
 * The poll bounds and the deadline: a drill's own (`drill.timeoutSeconds`, not the backups' one), or an on-demand
 * restore's `timeoutSeconds` (default: the cluster's backup timeout, as the local `restore --execute` uses).
 */
export function drillTiming(state: Pick<DrillState, 'cluster' | 'request'>): RestoreTiming {
  return {
    minSeconds: state.cluster.poll.minSeconds,
    maxSeconds: state.cluster.poll.maxSeconds,
    deadlineSeconds:
      state.request === undefined
        ? drillSettings(state).timeoutSeconds
        : (state.request.timeoutSeconds ?? state.cluster.timeoutSeconds),
  };
}

/** Whether the state is an operator's on-demand restore (the target is theirs), not a drill (a scratch database). */
export function isOnDemandRestore(state: Pick<DrillState, 'request'>): boolean {
  return state.request !== undefined;
}

/** `$.plan`. @throws InvalidInputError before PlanDrill. */
export function requirePlan(state: DrillState): DrillPlan {
  if (!state.plan) throw new InvalidInputError('this step needs $.plan (set by PlanDrill)');
  return state.plan;
}

/** The scratch database's lock this execution holds; undefined before AcquireLock. */
export function drillLock(state: DrillState): HeldLock | undefined {
  return state.plan ? heldLockOn(state, state.plan.targetDatabase) : undefined;
}

/** Both leases, which every step between AcquireLock and the cleanup needs. */
export function requireDrillLeases(state: DrillState): { lock: HeldLock; slot: HeldSlot } {
  return requireBothLeases(drillLock(state), heldSlot(state));
}

/** How the drill ended, in the outcome vocabulary. */
export interface DrillVerdict {
  readonly state: BackupOutcomeState;
  readonly reason: string | null;
}

/**
 * The drill's outcome from its state: a decided outcome (StarRocks cancelled, our deadline, a failed check, a
 * skip) first, then a caught error, then a passed check. Anything else is a failure: a drill proves nothing
 * unless its check passed.
 */
export function decideDrillOutcome(state: DrillState): DrillVerdict {
  if (state.outcome) return { state: state.outcome.state, reason: reasonOf(state.outcome, state) };
  if (state.error) return { state: 'FAILED', reason: causeMessage(state.error) };
  if (state.check?.passed) return { state: 'FINISHED', reason: null };
  return { state: 'FAILED', reason: state.check?.problem ?? 'the drill ended without checking the restore' };
}

function reasonOf(outcome: Outcome, state: DrillState): string | null {
  if (outcome.reason !== undefined && outcome.reason !== null) return outcome.reason;
  return state.error ? causeMessage(state.error) : null;
}

/**
 * True when the drill leaves no scratch database of its own behind: it dropped it, it was absent, or the drill
 * never held its lock (so never created it). False after a lost lease or a failed drop.
 */
export function scratchGone(cleanup: DrillCleanup | undefined): boolean {
  return cleanup !== undefined && cleanup.why !== 'lease-lost';
}
