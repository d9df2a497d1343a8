import type { BackupAttempt } from '#domain/catalog/index.ts';
import { runOutcomes } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import type { BackupConfig, ScheduleConfig } from '#domain/config/index.ts';
import { toClusterSettings } from '#domain/config/index.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import type { NightlyInput } from '#domain/workflow/run-state.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';
import type { RunLog } from '../runtime/run-log.ts';
import { createLocalRuntime, type LocalRuntime, type LocalTables } from '../runtime.ts';
import { localTaskInvoker } from './handlers.ts';
import { executionError, localExecutionName } from './local-runtime.ts';
import {
  type ExecutionOutcome,
  LocalWorkflow,
  type LocalWorkflowOptions,
  type WorkflowEvent,
} from './local-workflow.ts';
import { reapEndedLocalHolders } from './reap-ended-holders.ts';

export type { LocalTables } from '../runtime.ts';

/** One local nightly run. */
export interface LocalRunOptions {
  readonly config: BackupConfig;
  readonly cluster: string;
  readonly schedule: ScheduleConfig;
  /** The slot; the schedule's latest slot at or before now when omitted. */
  readonly scheduledTime?: Date | undefined;
  /** Only these databases (must exist on the FE). */
  readonly databases?: readonly string[] | undefined;
  /** How the run's queue is cut (tests and benchmarks: several pages and lane generations with few databases). */
  readonly tuning?: NightlyInput['tuning'];
  readonly tables: LocalTables;
  readonly clock?: Clock | undefined;
  /** STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL; process.env by default. */
  readonly secretEnv?: EnvironmentVariables | undefined;
  readonly waitOverrideMs?: number | undefined;
  readonly retryOverrideMs?: number | undefined;
  readonly onEvent?: ((event: WorkflowEvent) => void) | undefined;
  readonly onAlert?: ((alert: ObservedAlert) => void) | undefined;
  readonly beforeTask?: LocalWorkflowOptions['beforeTask'];
  /** After each Task returned (fault tests fail an invocation after its side effects here). */
  readonly afterTask?: LocalWorkflowOptions['afterTask'];
  /** Child machines answered by a stub (benchmarks of the parent at scale). */
  readonly childStubs?: LocalWorkflowOptions['childStubs'];
  /** Receives the runner before the run starts (fault tests stop executions or kill the runner with it). */
  readonly onWorkflow?: ((workflow: LocalWorkflow) => void) | undefined;
  /** Keeps the handlers' log lines of the run (`<state-dir>/logs/`, for `sr-backup logs`). */
  readonly runLog?: RunLog | undefined;
}

/** One database's outcome, in the CLI's `--json` vocabulary. */
export interface DatabaseResult {
  readonly database: string;
  readonly snapshot: string;
  readonly state: BackupOutcomeState;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** A FINISHED backup's reservation (`partial: …` when StarRocks refused objects that hold data); else null. */
  readonly warning?: string | null;
  /** The slot already had this snapshot (an earlier run of the same slot made it): nothing new was taken. */
  readonly adopted?: boolean;
}

/** How a local run ended. */
export interface LocalRunResult {
  readonly cluster: string;
  readonly schedule: string;
  /** The slot, ISO UTC (from the run's plan, else as asked). */
  readonly scheduledTime: string | null;
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  /** Set when the run failed before reaching any database (FE unreachable, login refused, unknown database). */
  readonly runError: { readonly name: string; readonly message: string } | null;
  /** Set when `sr-backup pause` stopped the run before it started (it succeeded and backed up nothing). */
  readonly paused: { readonly reason: string; readonly since: string; readonly until: string | null } | null;
  readonly results: readonly DatabaseResult[];
}

/**
 * Runs the NightlyBackup state machine locally, exactly as deployed: the same ASL in aws-local-stepfunctions,
 * the same Lambda handlers in process, DynamoDB at `tables.endpoint`, and the cluster's real (or emulated) FE.
 * Results are read back from the catalog, as the deployed SummarizeRun reads them.
 */
export async function runNightlyLocally(options: LocalRunOptions): Promise<LocalRunResult> {
  const runtime = createLocalRuntime(options.tables, options);
  try {
    return await runNightly(options, runtime);
  } finally {
    runtime.close();
  }
}

async function runNightly(options: LocalRunOptions, runtime: LocalRuntime): Promise<LocalRunResult> {
  const { clock } = runtime;
  const workflow = new LocalWorkflow({
    invokeFunction: localTaskInvoker(runtime),
    ...(options.waitOverrideMs === undefined ? {} : { waitOverrideMs: options.waitOverrideMs }),
    ...(options.retryOverrideMs === undefined ? {} : { retryOverrideMs: options.retryOverrideMs }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.beforeTask ? { beforeTask: options.beforeTask } : {}),
    ...(options.afterTask ? { afterTask: options.afterTask } : {}),
    ...(options.childStubs ? { childStubs: options.childStubs } : {}),
  });
  options.onWorkflow?.(workflow);
  await reapEndedLocalHolders({
    workflow,
    tables: options.tables,
    cluster: toClusterSettings(options.config, options.cluster),
    clock,
  });
  const input: NightlyInput = {
    cluster: toClusterSettings(options.config, options.cluster, options.schedule),
    schedule: options.schedule,
    ...(options.scheduledTime ? { scheduledTime: options.scheduledTime.toISOString() } : {}),
    ...(options.databases ? { databases: [...options.databases] } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  };
  const outcome = await workflow.execute(
    'nightlyBackup',
    input,
    localExecutionName(
      `${options.cluster}-${options.schedule.name}`,
      options.scheduledTime ?? new Date(clock.now()),
    ),
  );
  await workflow.settled();
  const attempts = await runOutcomes(await runtime.catalog(), outcome.executionArn);
  const runError = outcome.status !== 'SUCCEEDED' && attempts.length === 0 ? executionError(outcome) : null;
  return {
    cluster: options.cluster,
    schedule: options.schedule.name,
    scheduledTime: attempts[0]?.scheduledTime ?? options.scheduledTime?.toISOString() ?? null,
    executionArn: outcome.executionArn,
    status: outcome.status,
    runError,
    paused: pauseOf(outcome),
    results: attempts.map(toDatabaseResult),
  };
}

function toDatabaseResult(attempt: BackupAttempt): DatabaseResult {
  return {
    database: attempt.database,
    snapshot: attempt.label,
    state: attempt.state,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
    error: attempt.state === 'FINISHED' ? null : attempt.reason,
    warning:
      attempt.state === 'FINISHED' && attempt.reason !== null && attempt.reason !== 'adopted'
        ? attempt.reason
        : null,
    adopted: attempt.state === 'FINISHED' && attempt.reason === 'adopted',
  };
}

function pauseOf(outcome: ExecutionOutcome): LocalRunResult['paused'] {
  if (outcome.status !== 'SUCCEEDED') return null;
  const paused = (
    outcome.output as { paused?: { reason: string; since: string; until: string | null } } | null
  )?.paused;
  return paused ? { reason: paused.reason, since: paused.since, until: paused.until } : null;
}
