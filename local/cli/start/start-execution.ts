/**
 * Starting the deployed NightlyBackup state machine by hand, with exactly the input EventBridge Scheduler sends:
 * `{cluster: <cluster settings, no secrets>, schedule: <the schedule entry>, scheduledTime: <slot>}`.
 */
import { randomBytes } from 'node:crypto';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '#domain/clock.ts';
import {
  type BackupConfig,
  previousSlot,
  type ScheduleConfig,
  toClusterSettings,
} from '#domain/config/index.ts';
import { formatSlotTimeUtc } from '#domain/starrocks/index.ts';
import type { NightlyInput } from '#domain/workflow/run-state.ts';
import { usageError } from '../support/cli-error.ts';

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
const STATE_MACHINE_ARN =
  /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;

/** The environment variable that may hold the state machine ARN. */
export const STATE_MACHINE_ARN_VARIABLE = 'SR_BACKUP_STATE_MACHINE_ARN';

// Step Functions API Reference, StartExecution, request parameter `name`: 1 to 80 characters, no whitespace,
// brackets, wildcards or special characters; only [A-Za-z0-9_-] keeps CloudWatch Logs of the execution usable.
const EXECUTION_NAME_MAX = 80;
const SUFFIX_HEX = 6;

/** The parts of a state machine ARN. */
export interface StateMachineArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

/** Parses a state machine ARN; a usage error (exit 2) names what is wrong. */
export function parseStateMachineArn(arn: string | undefined): StateMachineArn {
  if (arn === undefined || arn.trim() === '') {
    throw usageError(
      `no state machine given: pass --state-machine-arn or set ${STATE_MACHINE_ARN_VARIABLE}`,
      {
        hint: 'the deployed stack prints it as an output (NightlyBackupStateMachineArn); `aws cloudformation describe-stacks` shows it too',
      },
    );
  }
  const match = STATE_MACHINE_ARN.exec(arn.trim());
  if (!match) {
    throw usageError('--state-machine-arn is not a Step Functions state machine ARN', {
      hint: 'expected arn:aws:states:<region>:<account>:stateMachine:<name>',
    });
  }
  const [, partition = '', region = '', account = '', name = ''] = match;
  return { arn: arn.trim(), partition, region, account, name };
}

/**
 * `manual-<cluster>-<schedule>-<yyyyMMddTHHmmZ>-<hex6>`: readable in the console, unique by its random suffix,
 * at most 80 characters of `[A-Za-z0-9_-]` (the names are cut, never the slot or the suffix).
 */
export function manualExecutionName(cluster: string, schedule: string, slot: Date, suffix: string): string {
  const clean = (text: string): string => text.replace(/[^A-Za-z0-9_-]+/g, '_');
  const fixed = `-${formatSlotTimeUtc(slot)}-${clean(suffix)}`;
  const budget = EXECUTION_NAME_MAX - 'manual-'.length - fixed.length - 1;
  let clusterPart = clean(cluster);
  let schedulePart = clean(schedule);
  if (clusterPart.length + schedulePart.length > budget) {
    schedulePart = schedulePart.slice(0, Math.max(1, Math.floor(budget / 2)));
    clusterPart = clusterPart.slice(0, budget - schedulePart.length);
  }
  return `manual-${clusterPart}-${schedulePart}${fixed}`;
}

/**
 * `<prefix>-<name>-<yyyyMMddTHHmmZ>-<suffix>` (a manual drill, an on-demand restore): readable in the console, unique
 * by its random suffix, at most 80 characters of `[A-Za-z0-9_-]` (a long name is cut, never the time or the suffix).
 */
export function taggedExecutionName(prefix: string, name: string, at: Date, suffix: string): string {
  const clean = (text: string): string => text.replace(/[^A-Za-z0-9_-]+/g, '_');
  const fixed = `-${formatSlotTimeUtc(at)}-${clean(suffix)}`;
  const head = `${clean(prefix)}-`;
  return `${head}${clean(name).slice(0, EXECUTION_NAME_MAX - head.length - fixed.length)}${fixed}`;
}

/** What to start. */
export interface StartRequest {
  readonly config: BackupConfig;
  readonly cluster: string;
  readonly schedule: ScheduleConfig;
  readonly stateMachine: StateMachineArn;
  /** The slot; the schedule's latest slot at or before now when omitted. */
  readonly scheduledTime?: Date | undefined;
  readonly databases?: readonly string[] | undefined;
}

/** What the start did. */
export interface StartResult {
  readonly executionArn: string;
  readonly name: string;
  readonly startDate: string;
  readonly input: NightlyInput;
}

/** What starting needs. */
export interface StartDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly clock: Clock;
  /** The random part of the execution name (6 hex characters by default). */
  readonly randomSuffix?: () => string;
}

/** Builds the execution input and name and calls StartExecution. SDK errors are thrown as they come. */
export async function startNightlyExecution(request: StartRequest, deps: StartDeps): Promise<StartResult> {
  const slot = request.scheduledTime ?? previousSlot(request.schedule, new Date(deps.clock.now()));
  if (slot === null) {
    throw usageError(
      `schedule "${request.schedule.name}" (cron ${request.schedule.cron}) has no slot at or before now`,
      {
        hint: 'pass --scheduled-time <ISO-8601>',
      },
    );
  }
  const input: NightlyInput = {
    cluster: toClusterSettings(request.config, request.cluster, request.schedule),
    schedule: request.schedule,
    scheduledTime: slot.toISOString(),
    ...(request.databases && request.databases.length > 0 ? { databases: [...request.databases] } : {}),
  };
  const suffix = (deps.randomSuffix ?? (() => randomBytes(SUFFIX_HEX / 2).toString('hex')))();
  const name = manualExecutionName(request.cluster, request.schedule.name, slot, suffix);
  const output = await deps.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: request.stateMachine.arn,
      name,
      input: JSON.stringify(input),
    }),
  );
  if (!output.executionArn) throw new Error('StartExecution returned no executionArn');
  return {
    executionArn: output.executionArn,
    name,
    startDate: (output.startDate ?? new Date(deps.clock.now())).toISOString(),
    input,
  };
}

/** The Step Functions console page of an execution. */
export function executionConsoleUrl(executionArn: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}
