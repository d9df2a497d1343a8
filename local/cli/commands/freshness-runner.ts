/**
 * The FreshnessCheck state machine on this machine, exactly as deployed: the same ASL file in the local runner
 * (aws-local-stepfunctions), the real CheckFreshness and NotifyIncidents handlers in process, DynamoDB at
 * `tables.endpoint`, the cluster's real (or emulated) FE, and Slack from the environment. Used by
 * `sr-backup status --notify` and by the integration scenarios.
 */

import type { Clock } from '#domain/clock.ts';
import type { BackupConfig } from '#domain/config/index.ts';
import type { FreshnessCheckSummary } from '#domain/freshness/check-summary.ts';
import { freshnessCheckInputFor } from '#domain/freshness/input.ts';
import type { NotifyIncidentsResult } from '#domain/incidents/posted-notices.ts';
import { localTaskInvoker } from '#local/runner/handlers.ts';
import { executionError, localExecutionName } from '#local/runner/local-runtime.ts';
import { LocalWorkflow, type WorkflowEvent } from '#local/runner/local-workflow.ts';
import { createLocalRuntime, type LocalRuntime, type LocalTables } from '#local/runtime.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';

/** One local check of one cluster. */
export interface LocalFreshnessCheckOptions {
  readonly config: BackupConfig;
  readonly cluster: string;
  readonly tables: LocalTables;
  readonly clock?: Clock | undefined;
  /** STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL, SLACK_BOT_TOKEN, SLACK_CHANNEL, SLACK_API_URL; process.env by default. */
  readonly secretEnv?: EnvironmentVariables | undefined;
  /** Real milliseconds every Retry interval lasts (default: as the ASL says). */
  readonly retryOverrideMs?: number | undefined;
  /** Called for every state event of the execution. */
  readonly onEvent?: ((event: WorkflowEvent) => void) | undefined;
}

/** How one local check ended. */
export interface LocalFreshnessCheckResult {
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  /** CheckFreshness' summary (null when the execution failed before it). */
  readonly check: FreshnessCheckSummary | null;
  /** What NotifyIncidents posted (null when the execution failed before it). */
  readonly notified: NotifyIncidentsResult | null;
  readonly error: { readonly name: string; readonly message: string } | null;
}

/** Runs FreshnessCheck once for `cluster`. */
export async function runFreshnessCheckLocally(
  options: LocalFreshnessCheckOptions,
): Promise<LocalFreshnessCheckResult> {
  const runtime = createLocalRuntime(options.tables, { clock: options.clock, secretEnv: options.secretEnv });
  try {
    return await runFreshnessCheck(options, runtime);
  } finally {
    runtime.close();
  }
}

async function runFreshnessCheck(
  options: LocalFreshnessCheckOptions,
  runtime: LocalRuntime,
): Promise<LocalFreshnessCheckResult> {
  const { clock } = runtime;
  const workflow = new LocalWorkflow({
    invokeFunction: localTaskInvoker(runtime),
    ...(options.retryOverrideMs === undefined ? {} : { retryOverrideMs: options.retryOverrideMs }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const input = freshnessCheckInputFor(options.config, options.cluster);
  const outcome = await workflow.execute(
    'freshnessCheck',
    input,
    localExecutionName(`freshness-${options.cluster}`, new Date(clock.now())),
  );
  if (outcome.status !== 'SUCCEEDED') {
    return {
      executionArn: outcome.executionArn,
      status: outcome.status,
      check: null,
      notified: null,
      error: executionError(outcome),
    };
  }
  const output = outcome.output as { check: FreshnessCheckSummary; notified: NotifyIncidentsResult };
  return {
    executionArn: outcome.executionArn,
    status: 'SUCCEEDED',
    check: output.check,
    notified: output.notified,
    error: null,
  };
}
