/**
 * One local nightly run as the CLI shows it: the real workflow (runNightlyLocally), its progress on a terminal
 * task list, as plain lines, or not at all, and the Slack alerts it produced.
 */
import type { Clock } from '#domain/clock.ts';
import type { BackupConfig, ScheduleConfig } from '#domain/config/index.ts';
import type { LocalWorkflow } from '#local/runner/local-workflow.ts';
import { type LocalRunResult, type LocalTables, runNightlyLocally } from '#local/runner/run-nightly.ts';
import type { RunLog } from '#local/runtime/run-log.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';
import type { Colors } from '../format/color.ts';
import { attachLineProgress } from '../progress/line-progress.ts';
import { RunProgress } from '../progress/run-progress.ts';
import { showTaskList } from '../progress/task-list-progress.ts';

/** How progress is shown. */
export type ProgressDisplay =
  | { readonly kind: 'task-list'; readonly title: string; readonly output: NodeJS.WritableStream }
  | { readonly kind: 'lines'; readonly stream: NodeJS.WritableStream }
  | { readonly kind: 'none' };

/** One run to execute. */
export interface LocalRunRequest {
  readonly config: BackupConfig;
  readonly cluster: string;
  readonly schedule: ScheduleConfig;
  readonly scheduledTime: Date;
  readonly databases?: readonly string[] | undefined;
  readonly tables: LocalTables;
  /** STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL. */
  readonly secretEnv: EnvironmentVariables;
  readonly display: ProgressDisplay;
  readonly colors: Colors;
  readonly clock: Clock;
  /** Every Slack message the run built, delivered or not. */
  readonly onAlert: (alert: ObservedAlert) => void;
  /** Gets the run's workflow once it exists (Ctrl-C stops it). */
  readonly onWorkflow?: ((workflow: LocalWorkflow) => void) | undefined;
  /** Keeps the handlers' log lines of the run for `sr-backup logs`. */
  readonly runLog?: RunLog | undefined;
}

/** Runs the nightly workflow locally while showing its progress; resolves with the runner's result. */
export async function executeLocalRun(request: LocalRunRequest): Promise<LocalRunResult> {
  const progress = new RunProgress();
  const detach =
    request.display.kind === 'lines'
      ? attachLineProgress(progress, request.display.stream, request.colors)
      : undefined;
  const work = runNightlyLocally({
    config: request.config,
    cluster: request.cluster,
    schedule: request.schedule,
    scheduledTime: request.scheduledTime,
    databases: request.databases,
    tables: request.tables,
    clock: request.clock,
    secretEnv: request.secretEnv,
    onEvent: (event) => {
      try {
        progress.apply(event);
      } catch {
        // A display problem must never disturb the backup itself.
      }
    },
    onAlert: request.onAlert,
    onWorkflow: request.onWorkflow,
    runLog: request.runLog,
  });
  try {
    if (request.display.kind === 'task-list') {
      await showTaskList(progress, work, {
        title: request.display.title,
        clock: request.clock,
        colors: request.colors,
        output: request.display.output,
      });
    }
    return await work;
  } finally {
    detach?.();
  }
}
