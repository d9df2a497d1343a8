/**
 * One restore drill on this machine (`sr-backup drill`): the RestoreDrill state machine, exactly as deployed —
 * the same ASL in aws-local-stepfunctions, the same Lambda handlers in process, DynamoDB at the local endpoint,
 * the cluster's real (or emulated) FE — with the drill's catalog record read back afterwards.
 */
import type { CatalogStore, DrillRecord } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { type BackupConfig, type ClusterSettings, toClusterSettings } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import type { RunLog } from '../runtime/run-log.ts';
import { createLocalRuntime, type LocalRuntime, type LocalTables } from '../runtime.ts';
import { localTaskInvoker } from './handlers.ts';
import { executionError, localExecutionName } from './local-runtime.ts';
import {
  type EventLog,
  LocalWorkflow,
  type LocalWorkflowOptions,
  type WorkflowEvent,
} from './local-workflow.ts';

/** One local drill. */
export interface LocalDrillOptions {
  readonly config: BackupConfig;
  readonly cluster: string;
  /** The drill's slot (names the scratch database); the execution's start when omitted, as on a manual start. */
  readonly scheduledTime?: Date | undefined;
  readonly tables: LocalTables;
  readonly clock?: Clock | undefined;
  /** STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL; process.env by default. */
  readonly secretEnv?: EnvironmentVariables | undefined;
  readonly waitOverrideMs?: number | undefined;
  readonly retryOverrideMs?: number | undefined;
  readonly onEvent?: ((event: WorkflowEvent) => void) | undefined;
  readonly beforeTask?: LocalWorkflowOptions['beforeTask'];
  /** Called after each Task returned (a fault test throws here: the Task's effects happened, its answer is lost). */
  readonly afterTask?: LocalWorkflowOptions['afterTask'];
  /** Keeps the handlers' log lines of the drill (`<state-dir>/logs/`, for `sr-backup logs <executionArn>`). */
  readonly runLog?: RunLog | undefined;
}

/** The Slack alert the drill built (delivered or not), as NotifyDrill left it in the execution's state. */
export interface DrillAlertSeen {
  readonly posted: boolean;
  readonly severity: string;
  readonly title: string;
  readonly text: string;
}

/** How a local drill ended. */
export interface LocalDrillResult {
  readonly cluster: string;
  readonly database: string;
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  /** The execution's error when it did not succeed (`RestoreFailedError`, `RestoreTimedOutError`, …). */
  readonly error: { readonly name: string; readonly message: string } | null;
  /** What the drill recorded in the catalog; null when it could not record. */
  readonly drill: DrillRecord | null;
  readonly alert: DrillAlertSeen | null;
  /** Why the drill did not run when a pause covers the cluster (`ClusterPausedError`'s message); else null. */
  readonly paused: string | null;
}

/**
 * Runs the RestoreDrill state machine for `cluster` (which must configure `drill`; ConfigError otherwise) and
 * reads its record back from the catalog.
 */
export async function runDrillLocally(options: LocalDrillOptions): Promise<LocalDrillResult> {
  const settings = toClusterSettings(options.config, options.cluster);
  if (settings.drill === undefined) {
    const message = `cluster "${options.cluster}" has no restore drill configured`;
    throw new ConfigError(message, [`clusters: ${message} (add clusters[].drill)`]);
  }
  const runtime = createLocalRuntime(options.tables, {
    clock: options.clock,
    secretEnv: options.secretEnv,
    runLog: options.runLog,
  });
  try {
    return await runDrill(options, settings, settings.drill, runtime);
  } finally {
    runtime.close();
  }
}

async function runDrill(
  options: LocalDrillOptions,
  settings: ClusterSettings,
  drillSettings: NonNullable<ClusterSettings['drill']>,
  runtime: LocalRuntime,
): Promise<LocalDrillResult> {
  const { clock } = runtime;
  let alert: DrillAlertSeen | null = null;
  const workflow = new LocalWorkflow({
    invokeFunction: localTaskInvoker(runtime),
    ...(options.waitOverrideMs === undefined ? {} : { waitOverrideMs: options.waitOverrideMs }),
    ...(options.retryOverrideMs === undefined ? {} : { retryOverrideMs: options.retryOverrideMs }),
    ...(options.beforeTask ? { beforeTask: options.beforeTask } : {}),
    ...(options.afterTask ? { afterTask: options.afterTask } : {}),
    onEvent: (event) => {
      alert = drillAlertIn(event.event) ?? alert;
      options.onEvent?.(event);
    },
  });
  const input = {
    cluster: settings,
    ...(options.scheduledTime ? { scheduledTime: options.scheduledTime.toISOString() } : {}),
  };
  // `drill-<cluster>-…`: the catalog keys drills by execution ARN, the name only traces.
  const outcome = await workflow.execute(
    'restoreDrill',
    input,
    localExecutionName(`drill-${options.cluster}`, options.scheduledTime ?? new Date(clock.now())),
  );
  const drill = await readDrill(
    await runtime.catalog(),
    settings.name,
    drillSettings.database,
    outcome.executionArn,
  );
  return {
    cluster: settings.name,
    database: drillSettings.database,
    executionArn: outcome.executionArn,
    status: outcome.status,
    error: outcome.status === 'SUCCEEDED' ? null : executionError(outcome),
    drill,
    alert,
    paused: outcome.status === 'SUCCEEDED' ? pausedReason(outcome.output) : null,
  };
}

/**
 * The message of the ClusterPausedError the DrillPaused state carries (its Cause is Lambda's error JSON), from a
 * RestoreDrill execution's output; null when the drill was not paused.
 */
export function pausedReason(output: unknown): string | null {
  const error = (output as { error?: { Error?: unknown; Cause?: unknown } } | null)?.error;
  if (error?.Error !== 'ClusterPausedError') return null;
  try {
    const cause = JSON.parse(String(error.Cause)) as { errorMessage?: unknown };
    return typeof cause.errorMessage === 'string' ? cause.errorMessage : 'the cluster is paused';
  } catch {
    return String(error.Cause ?? 'the cluster is paused');
  }
}

/** The Slack alert NotifyDrill built, from its StateExited event; null for any other event. */
export function drillAlertIn(event: EventLog): DrillAlertSeen | null {
  if (event.type !== 'StateExited' || event.state.name !== 'NotifyDrill') return null;
  const notification = (event.state.output as { notification?: Partial<DrillAlertSeen> } | undefined)
    ?.notification;
  if (notification?.text === undefined) return null;
  return {
    posted: notification.posted === true,
    severity: String(notification.severity),
    title: String(notification.title),
    text: notification.text,
  };
}

async function readDrill(
  catalog: CatalogStore,
  cluster: string,
  database: string,
  runId: string,
): Promise<DrillRecord | null> {
  const drills = await catalog.listDrills({ cluster, database, limit: 50 });
  return drills.find((drill) => drill.runId === runId) ?? null;
}
