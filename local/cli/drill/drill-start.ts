/**
 * A manual start of the deployed RestoreDrill: the input EventBridge Scheduler sends it, and a readable execution
 * name that says it is a manual drill.
 */
import type { BackupConfig, ClusterConfig, ClusterSettings } from '#domain/config/index.ts';
import { drillScheduleInput } from '#domain/schedules/desired.ts';
import { formatSlotTimeUtc } from '#domain/starrocks/index.ts';

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

// Step Functions API Reference, StartExecution, request parameter `name`: 1 to 80 characters, no whitespace,
// brackets, wildcards or special characters; only [A-Za-z0-9_-] keeps CloudWatch Logs of the execution usable.
const EXECUTION_NAME_MAX = 80;
const PREFIX = 'drill-';

/**
 * `drill-<cluster>-<yyyyMMddTHHmmZ>-<suffix>`: a manual drill, readable in the console, unique by its random
 * suffix, at most 80 characters of `[A-Za-z0-9_-]` (a long cluster name is cut, never the slot or the suffix).
 */
export function drillExecutionName(cluster: string, slot: Date, suffix: string): string {
  const clean = (text: string): string => text.replace(/[^A-Za-z0-9_-]+/g, '_');
  const fixed = `-${formatSlotTimeUtc(slot)}-${clean(suffix)}`;
  return `${PREFIX}${clean(cluster).slice(0, EXECUTION_NAME_MAX - PREFIX.length - fixed.length)}${fixed}`;
}
