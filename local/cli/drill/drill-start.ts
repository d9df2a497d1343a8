/**
 * A manual start of the deployed RestoreDrill: the input EventBridge Scheduler sends it, and a readable execution
 * name that says it is a manual drill.
 */
import type { BackupConfig, ClusterConfig, ClusterSettings } from '#domain/config/index.ts';
import { drillScheduleInput } from '#domain/schedules/desired.ts';
import { taggedExecutionName } from '../start/start-execution.ts';

/** RestoreDrill's input: the cluster's settings, and the slot when one is given. */
export interface DrillStartInput {
  readonly cluster: ClusterSettings;
  /** The drill's slot (names the scratch database); absent: the execution's start time is the slot. */
  readonly scheduledTime?: string;
}

/**
 * The drill schedule's input (`drillScheduleInput`) for a start by hand: Scheduler's scheduled-time placeholder is
 * replaced by `scheduledTime`, or left out so that PlanDrill takes the execution's start time as the slot.
 */
export function manualDrillInput(
  config: BackupConfig,
  cluster: ClusterConfig,
  scheduledTime: Date | undefined,
): DrillStartInput {
  const { scheduledTime: _placeholder, ...input } = drillScheduleInput(config, cluster);
  return scheduledTime === undefined ? input : { ...input, scheduledTime: scheduledTime.toISOString() };
}

/** `drill-<cluster>-<yyyyMMddTHHmmZ>-<suffix>`: a manual drill (see taggedExecutionName). */
export function drillExecutionName(cluster: string, slot: Date, suffix: string): string {
  return taggedExecutionName('drill', cluster, slot, suffix);
}
