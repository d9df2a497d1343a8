/**
 * `sr-backup drill`: one restore drill of a cluster, now, through the RestoreDrill state machine in the local
 * runner (the same ASL and Lambda handlers as deployed).
 */
import type { DrillRecord } from '#domain/catalog/index.ts';
import type { TrackedRestore } from '#domain/restore/restore-job.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';
import { type LocalDrillResult, runDrillLocally } from '#local/runner/run-drill.ts';
import type { Colors } from '../format/color.ts';
import { formatTimestamp } from '../format/time.ts';
import { webhookConfigured } from '../run/alerts.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { cliErrorJson, EXIT, type ExitCode, usageError } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { selectCluster } from '../support/selection.ts';
import { checkStarRocks } from '../support/starrocks.ts';

/** Options of `sr-backup drill`, as commander parses them. */
export interface DrillCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly scheduledTime?: Date;
  readonly dynamodbEndpoint?: string;
  readonly stateDir?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** The `--json` document. */
export interface DrillJsonDocument {
  readonly cluster: string | null;
  readonly database: string | null;
  /** `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, or `ERROR` when the command stopped before the drill. */
  readonly status: LocalDrillResult['status'] | 'ERROR';
  readonly executionArn: string | null;
  /** The catalog record of the drill. */
  readonly drill: DrillRecord | null;
  readonly alert: { readonly posted: boolean; readonly severity: string; readonly title: string } | null;
  readonly error: { readonly name: string; readonly message: string; readonly hint?: string } | null;
  /** Why the drill did not run when a pause covers the cluster (`sr-backup pause`); absent otherwise. */
  readonly paused?: string;
}

function restoreIn(event: WorkflowEvent): TrackedRestore | undefined {
  if (event.event.type !== 'StateExited') return undefined;
  return (event.event.state.output as { restore?: TrackedRestore } | undefined)?.restore;
}

/** One plain line per step that matters, as the drill goes. */
function progressLine(event: WorkflowEvent, colors: Colors): string | null {
  const logged = event.event;
  if (logged.type !== 'StateExited') return null;
  const stamp = colors.dim(formatTimestamp(Date.parse(String(logged.timestamp)) || Date.now()));
  const output = (logged.state.output ?? {}) as Record<string, unknown>;
  switch (logged.state.name) {
    case 'PlanDrill': {
      const plan = output.plan as { snapshot: { label: string }; targetDatabase: string } | undefined;
      return plan ? `${stamp}  restoring ${plan.snapshot.label} into ${plan.targetDatabase}` : null;
    }
    case 'SubmitRestore':
    case 'CheckRestore': {
      const job = restoreIn(event);
      if (!job) return null;
      const progress =
        job.progress && job.starRocksState === 'DOWNLOADING'
          ? ` ${job.progress.done}/${job.progress.total} tasks`
          : '';
      const state = job.starRocksState ?? 'submitted';
      return job.phase === 'running'
        ? `${stamp}  ${state}${progress}; next check in ${job.nextWaitSeconds} s`
        : `${stamp}  ${state}`;
    }
    case 'VerifyRestore': {
      const check = output.check as { tableCount: number; rowCount: number; passed: boolean } | undefined;
      return check
        ? `${stamp}  checked: ${check.tableCount} tables, ${check.rowCount} rows — ${check.passed ? 'OK' : 'FAILED'}`
        : null;
    }
    case 'DropScratch': {
      const cleanup = output.cleanup as { dropped: boolean } | undefined;
      return cleanup?.dropped ? `${stamp}  scratch database dropped` : null;
    }
    default:
      return null;
  }
}

function describeResult(result: LocalDrillResult, colors: Colors): string {
  if (result.paused !== null) return `Drill ${colors.yellow('SKIPPED')}: ${result.paused}.`;
  const drill = result.drill;
  if (!drill)
    return `Drill ${colors.red(result.status)}: ${result.error?.message ?? 'no record was written'}.`;
  const verdict =
    drill.state === 'FINISHED'
      ? colors.green('PASSED')
      : drill.state === 'SKIPPED'
        ? colors.yellow('SKIPPED')
        : colors.red(drill.state);
  const time = drill.durationSeconds === null ? '' : ` in ${formatDuration(drill.durationSeconds)}`;
  const lines = [
    `Drill ${verdict}: ${drill.database} from ${drill.label} into ${drill.scratchDatabase}${time}` +
      (drill.tableCount === null ? '' : `; ${drill.tableCount} tables, ${drill.rowCount ?? 0} rows`) +
      (drill.reason ? ` — ${drill.reason}` : '') +
      '.',
    colors.dim(
      drill.scratchDropped
        ? 'No scratch database is left.'
        : `The scratch database ${drill.scratchDatabase} may be left: drop it.`,
    ),
  ];
  return lines.join('\n');
}

/** Runs the command; resolves with the exit status (0, 1 or 2). */
export async function runDrillCommand(options: DrillCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  const json = options.json === true;
  const human = json ? io.stderr : io.stdout;
  const humanColors = json ? colors.err : colors.out;
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = {
    configPath: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint,
  };
  const document: { -readonly [K in keyof DrillJsonDocument]: DrillJsonDocument[K] } = {
    cluster: options.cluster ?? null,
    database: null,
    status: 'ERROR',
    executionArn: null,
    drill: null,
    alert: null,
    error: null,
  };
  let store: LocalStore | undefined;
  try {
    const config = await loadConfigFile(options.config);
    const selected = selectCluster(config, options.cluster, options.config);
    const { cluster } = selected;
    document.cluster = cluster.name;
    context.cluster = clusterContext(selected);
    if (cluster.drill === undefined) {
      throw usageError(`cluster "${cluster.name}" has no restore drill configured`, {
        hint: `add clusters[${selected.index}].drill, e.g. {database: sales, cron: "0 3 ? * SUN *", timezone: UTC} (docs/configuration.md)`,
      });
    }
    document.database = cluster.drill.database;
    isolateFromAwsSettings(io.env);
    store = await openLocalStore(storeLocation(options));
    await checkStarRocks(cluster, io.env);
    human.write(
      `sr-backup drill: ${cluster.name} / ${cluster.drill.database} — FE ${cluster.host}:${cluster.port} — catalog ${store.description}\n`,
    );
    const result = await runDrillLocally({
      config,
      cluster: cluster.name,
      scheduledTime: options.scheduledTime,
      tables: store.tables,
      clock: io.clock,
      secretEnv: io.env,
      onEvent: (event) => {
        const line = progressLine(event, humanColors);
        if (line !== null) human.write(`${line}\n`);
      },
    });
    human.write(`\n${describeResult(result, humanColors)}\n`);
    if (result.alert) {
      const header = result.alert.posted
        ? 'Slack alert sent'
        : webhookConfigured(io.env)
          ? 'Slack alert NOT delivered; it read:'
          : 'Slack alert (not sent: SLACK_WEBHOOK_URL is not set):';
      const body = result.alert.posted
        ? ''
        : `${result.alert.text
            .split('\n')
            .map((line) => `  │ ${line}`)
            .join('\n')}\n`;
      human.write(`${humanColors.yellow(header)}\n${body}`);
    }
    document.status = result.status;
    document.executionArn = result.executionArn;
    document.drill = result.drill;
    document.alert = result.alert
      ? { posted: result.alert.posted, severity: result.alert.severity, title: result.alert.title }
      : null;
    document.error = result.error;
    if (result.paused !== null) document.paused = result.paused;
    if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return result.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
  } catch (error) {
    const explained = explainError(error, context);
    document.error = cliErrorJson(explained);
    if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    await store?.close();
  }
}
