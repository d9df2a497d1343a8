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
import { restoreCheckSchema } from './restore-check.ts';
import { type RestoreTiming, trackedRestoreSchema } from './restore-job.ts';
import { restorePlanSchema } from './restore-plan.ts';

/** The `schedule` a drill execution presents to the backup Lambdas it reuses. */
export const DRILL_SCHEDULE_NAME = 'drill';

/** `$.plan`: PlanDrill's answer. */
export const drillPlanSchema = restorePlanSchema.extend({
  /** The drill's slot, ISO 8601 UTC: Scheduler's scheduled time, or the execution's start on a manual run. */
  scheduledTime: z.iso.datetime(),
  /** Measured durations (s) of this database's earlier passed drills, newest first. */
  historySeconds: z.array(z.number()).max(20),
});

/** `$.cleanup`: what DropScratch did. */
export const drillCleanupSchema = z.looseObject({
  dropped: z.boolean(),
  why: z.enum(['dropped', 'absent', 'no-lock', 'lease-lost']),
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
  plan: drillPlanSchema.optional(),
  runId: z.string().optional(),
  schedule: z.string().optional(),
  database: z.string().optional(),
  label: z.string().optional(),
  slot: slotLeaseSchema.optional(),
  lock: lockLeaseSchema.optional(),
  restore: trackedRestoreSchema.optional(),
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

/** The poll bounds and the drill's own deadline (`drill.timeoutSeconds`, not the backups' one). */
export function drillTiming(state: Pick<DrillState, 'cluster'>): RestoreTiming {
  return {
    minSeconds: state.cluster.poll.minSeconds,
    maxSeconds: state.cluster.poll.maxSeconds,
    deadlineSeconds: drillSettings(state).timeoutSeconds,
  };
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
