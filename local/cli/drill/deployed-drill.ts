/**
 * One restore drill in the deployed stack (`sr-backup drill --stack`): the RestoreDrill state machine started by
 * hand with the drill schedule's input, followed to its end, and its result read from the execution's history
 * (the drill's state as it entered its last state), in the same shape as a local drill's.
 */
import { randomBytes } from 'node:crypto';
import {
  CATALOG_SCHEMA_VERSION,
  type DrillRecord,
  DrillRecordSchema,
  truncateReason,
} from '#domain/catalog/index.ts';
import type { BackupConfig, ClusterConfig } from '#domain/config/index.ts';
import { drillRecordOf } from '#domain/restore/drill-record.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { executionError } from '#local/runner/local-runtime.ts';
import type { EventLog, WorkflowEvent } from '#local/runner/local-workflow.ts';
import {
  type DrillAlertSeen,
  drillAlertIn,
  type LocalDrillResult,
  pausedReason,
} from '#local/runner/run-drill.ts';
import {
  type StartAndFollowDeps,
  type StartedExecution,
  startAndFollow,
} from '../start/deployed-execution.ts';
import type { FollowOutcome } from '../start/follow-execution.ts';
import type { StateMachineArn } from '../start/start-execution.ts';
import { type DrillStartInput, drillExecutionName, manualDrillInput } from './drill-start.ts';

/** What to start. */
export interface DeployedDrillRequest {
  readonly config: BackupConfig;
  /** A cluster that configures `drill`. */
  readonly cluster: ClusterConfig;
  /** The deployed RestoreDrill state machine. */
  readonly stateMachine: StateMachineArn;
  /** The drill's slot; the execution's start time when omitted. */
  readonly scheduledTime?: Date | undefined;
  /** Between two reads of the history. */
  readonly pollMs: number;
  readonly onStarted?: (started: StartedExecution<DrillStartInput>) => void;
  readonly onEvent?: (event: WorkflowEvent) => void;
}

/** What the deployed drill needs. */
export interface DeployedDrillDeps extends StartAndFollowDeps {
  /** The random part of the execution name (6 hex characters by default). */
  readonly randomSuffix?: () => string;
}

/** How a deployed drill ended, or that following stopped first (the drill goes on in AWS). */
export type DeployedDrill =
  | {
      readonly kind: 'ended';
      readonly started: StartedExecution<DrillStartInput>;
      readonly result: LocalDrillResult;
    }
  | { readonly kind: 'interrupted'; readonly started: StartedExecution<DrillStartInput> };

const STATUSES = new Set<string>(['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT']);

/** What the history told of the drill, as it went. */
interface Seen {
  /** The drill's whole state as it entered the latest state (the last one: its end). */
  state: unknown;
  alert: DrillAlertSeen | null;
  /** When RecordDrill ended (epoch ms), which is when it wrote the catalog record. */
  recordedAtMs: number | null;
}

function see(seen: Seen, event: EventLog): void {
  if (event.type === 'StateEntered') seen.state = event.state.input;
  if (event.type === 'StateExited' && event.state.name === 'RecordDrill') seen.recordedAtMs = event.timestamp;
  seen.alert = drillAlertIn(event) ?? seen.alert;
}

/**
 * The catalog record RecordDrill wrote, rebuilt from the drill's state (`$.record` holds the verdict it recorded,
 * `$.plan`, `$.check`, `$.restore` and `$.cleanup` the rest); null when the drill did not record.
 */
export function drillRecordFromState(state: unknown, recordedAtMs: number): DrillRecord | null {
  const parsed = drillStateSchema.safeParse(state);
  if (!parsed.success || parsed.data.record === undefined) return null;
  const recordedAt = new Date(recordedAtMs).toISOString();
  const { state: outcome, reason } = parsed.data.record;
  const record = drillRecordOf(parsed.data, { state: outcome, reason }, recordedAt);
  const stored = DrillRecordSchema.safeParse({
    ...record,
    reason: truncateReason(record.reason),
    schemaVersion: CATALOG_SCHEMA_VERSION,
    kind: 'drill',
    recordedAt,
  });
  return stored.success ? stored.data : null;
}

function resultOf(
  started: StartedExecution<DrillStartInput>,
  outcome: Extract<FollowOutcome, { kind: 'ended' }>,
  seen: Seen,
  cluster: ClusterConfig,
): LocalDrillResult {
  const status = (STATUSES.has(outcome.status) ? outcome.status : 'FAILED') as LocalDrillResult['status'];
  return {
    cluster: cluster.name,
    database: cluster.drill?.database ?? '',
    executionArn: started.executionArn,
    status,
    error:
      status === 'SUCCEEDED'
        ? null
        : executionError({ error: outcome.error ?? `States.${status}`, cause: outcome.cause ?? '' }),
    drill: seen.recordedAtMs === null ? null : drillRecordFromState(seen.state, seen.recordedAtMs),
    alert: seen.alert,
    paused: status === 'SUCCEEDED' ? pausedReason(outcome.output) : null,
  };
}

/**
 * Starts the deployed RestoreDrill for the cluster (execution `drill-<cluster>-<slot>-<hex6>`, the drill
 * schedule's input) and follows it to its end or Ctrl-C. StartExecution's errors are thrown as they come.
 */
export async function runDrillDeployed(
  request: DeployedDrillRequest,
  deps: DeployedDrillDeps,
): Promise<DeployedDrill> {
  const input = manualDrillInput(request.config, request.cluster, request.scheduledTime);
  const suffix = (deps.randomSuffix ?? (() => randomBytes(3).toString('hex')))();
  const slot = request.scheduledTime ?? new Date(deps.clock.now());
  const seen: Seen = { state: null, alert: null, recordedAtMs: null };
  const { started, outcome } = await startAndFollow(
    {
      stateMachine: request.stateMachine,
      kind: 'restoreDrill',
      name: drillExecutionName(request.cluster.name, slot, suffix),
      input,
      pollMs: request.pollMs,
      ...(request.onStarted === undefined ? {} : { onStarted: request.onStarted }),
      onEvent: (event) => {
        see(seen, event.event);
        request.onEvent?.(event);
      },
    },
    deps,
  );
  if (outcome.kind === 'interrupted') return { kind: 'interrupted', started };
  return { kind: 'ended', started, result: resultOf(started, outcome, seen, request.cluster) };
}
