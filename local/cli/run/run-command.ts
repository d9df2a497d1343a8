/** `sr-backup run`: the nightly workflow, locally, against the FE of the configuration. */
import {
  type BackupConfig,
  type ClusterConfig,
  previousSlot,
  type ScheduleConfig,
  SYSTEM_DATABASES,
} from '#domain/config/index.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { LocalWorkflow } from '#local/runner/local-workflow.ts';
import type { LocalRunResult } from '#local/runner/run-nightly.ts';
import { createEnvSecretResolver } from '#local/runtime/env-secrets.ts';
import { createRunLog } from '#local/runtime/run-log.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';
import type { Colors } from '../format/color.ts';
import { formatResultsTable, hasFailures, summarizeResults } from '../format/results.ts';
import { formatUtc } from '../format/time.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { type CliError, cliErrorJson, EXIT, type ExitCode, usageError } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { explainRunError } from '../support/run-error.ts';
import { selectCluster, selectSchedule } from '../support/selection.ts';
import { checkStarRocks } from '../support/starrocks.ts';
import { ALERTS_PRINTED_NOTICE, formatAlert, webhookConfigured } from './alerts.ts';
import { executeLocalRun, type ProgressDisplay } from './local-run.ts';

/** Options of `sr-backup run`, as commander parses them. */
export interface RunCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly schedule?: string;
  readonly database?: string[];
  readonly scheduledTime?: Date;
  /** An ad-hoc backup now, outside the schedules: its own label family and catalog entries. */
  readonly now?: boolean;
  readonly dynamodbEndpoint?: string;
  readonly stateDir?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** The `--json` document (the contract's fields first). */
export interface RunJsonDocument {
  readonly cluster: string | null;
  readonly scheduledTime: string | null;
  readonly results: LocalRunResult['results'];
  readonly schedule: string | null;
  readonly status: LocalRunResult['status'] | 'ERROR';
  readonly runId: string | null;
  readonly error: { readonly name: string; readonly message: string; readonly hint?: string } | null;
  /** Set when a pause (`sr-backup pause`) stopped the run: it succeeded and backed up nothing. */
  readonly paused?: LocalRunResult['paused'];
}

function checkDatabases(databases: readonly string[] | undefined): void {
  const system = (databases ?? []).filter((name) => SYSTEM_DATABASES.has(name));
  if (system.length > 0) {
    throw usageError(`--database ${system.join(', ')}: system databases are never backed up`, {
      hint: 'name user databases only (`sr-backup plan --resolve` lists what a run would back up)',
    });
  }
}

async function checkSlackVariable(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await createEnvSecretResolver(env).slackWebhookUrl();
  } catch {
    throw usageError('SLACK_WEBHOOK_URL is not an http(s) URL', {
      hint: 'set it to the incoming webhook URL Slack gave you, or unset it to print alerts here',
    });
  }
}

/** The schedule name of ad-hoc backups (`run --now`): their labels read `adhoc_<database>_<minute>_<hash>`. */
export const AD_HOC_SCHEDULE = 'adhoc';

/**
 * The schedule an ad-hoc backup runs under: the cluster's include/exclude patterns, and a name no configured
 * schedule may have, so its labels and catalog entries are never taken for a schedule's slot. The cron is never
 * evaluated (the slot is given); it only satisfies the schedule's shape.
 */
function adHocSchedule(cluster: ClusterConfig): ScheduleConfig {
  if (cluster.schedules.some((schedule) => schedule.name === AD_HOC_SCHEDULE)) {
    throw usageError(
      `cluster ${cluster.name} has a schedule named "${AD_HOC_SCHEDULE}", the name run --now uses`,
      {
        hint: 'rename that schedule in the configuration to take ad-hoc backups',
      },
    );
  }
  return { name: AD_HOC_SCHEDULE, cron: '0 0 * * ? *', timezone: 'UTC', enabled: true, mode: 'full' };
}

/** What a run is for: the configuration, cluster, schedule and slot the options name. */
interface RunTarget {
  readonly config: BackupConfig;
  readonly cluster: ClusterConfig;
  readonly schedule: ScheduleConfig;
  readonly scheduledTime: Date;
  readonly errorCluster: NonNullable<ErrorContext['cluster']>;
}

/** Reads the configuration and applies the options; usage and configuration errors are thrown (exit 2). */
async function resolveTarget(options: RunCommandOptions, io: CommandIo): Promise<RunTarget> {
  const config = await loadConfigFile(options.config);
  const selected = selectCluster(config, options.cluster, options.config);
  const { cluster } = selected;
  if (options.now) {
    checkDatabases(options.database);
    return {
      config,
      cluster,
      schedule: adHocSchedule(cluster),
      // To the minute, as labels are: a second `run --now` in the same minute reuses the first one's snapshot.
      scheduledTime: new Date(Math.floor(io.clock.now() / 60_000) * 60_000),
      errorCluster: clusterContext(selected),
    };
  }
  const schedule = selectSchedule(selected, options.schedule);
  const scheduledTime = options.scheduledTime ?? previousSlot(schedule, new Date(io.clock.now()));
  if (scheduledTime === null) {
    throw usageError(`schedule "${schedule.name}" (cron ${schedule.cron}) has no slot at or before now`, {
      hint: 'pass --scheduled-time <ISO-8601> to back up for a slot of your choice',
    });
  }
  checkDatabases(options.database);
  return {
    config,
    cluster,
    schedule,
    scheduledTime,
    errorCluster: clusterContext(selected),
  };
}

/** The final table, the alerts held back during the live list, the verdict and where the catalog is. */
function writeHumanReport(
  result: LocalRunResult,
  report: {
    readonly out: NodeJS.WritableStream;
    readonly colors: Colors;
    readonly heldAlerts: readonly ObservedAlert[];
    readonly webhookSet: boolean;
    readonly failed: boolean;
    readonly runError: CliError | null;
    readonly store: LocalStore;
    readonly configPath: string;
  },
): void {
  const { out, colors } = report;
  out.write('\n');
  if (result.results.length > 0) out.write(`${formatResultsTable(result.results, colors)}\n\n`);
  for (const alert of report.heldAlerts)
    out.write(`${formatAlert(alert, { webhookSet: report.webhookSet, colors })}\n`);
  const verdict = report.failed ? colors.red('FAILED') : colors.green('OK');
  if (report.runError === null) out.write(`Run ${verdict}: ${summarizeResults(result.results)}.\n`);
  else out.write(`Run ${verdict} before reaching any database.\n`);
  if (result.paused) {
    out.write(
      colors.yellow(
        `Paused since ${result.paused.since}${result.paused.until ? ` until ${result.paused.until}` : ''}: ${result.paused.reason}. Nothing was backed up; \`sr-backup resume --config ${report.configPath} --cluster ${result.cluster}\` lifts the pause.\n`,
      ),
    );
  } else if (result.results.length === 0 && report.runError === null) {
    out.write(
      colors.dim(
        `No database matched the include/exclude patterns: \`sr-backup plan --config ${report.configPath} --resolve\` shows why.\n`,
      ),
    );
  } else if (result.results.length > 0) {
    out.write(
      colors.dim(
        `The catalog is in ${report.store.description}: \`sr-backup snapshots --config ${report.configPath}\` lists it.\n`,
      ),
    );
  }
}

/** Runs the command; resolves with the exit status (0, 1 or 2). */
export async function runRunCommand(options: RunCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  const json = options.json === true;
  const verbose = options.verbose === true;
  // With --json, stdout holds the document only; everything for people goes to stderr.
  const human = json ? io.stderr : io.stdout;
  const humanColors = json ? colors.err : colors.out;
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = {
    configPath: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint,
  };
  let clusterName: string | null = options.cluster ?? null;
  let scheduleName: string | null = options.schedule ?? null;
  let slotIso: string | null = options.scheduledTime?.toISOString() ?? null;
  let store: LocalStore | undefined;

  let workflow: LocalWorkflow | undefined;
  let interrupted = false;
  // The first Ctrl-C stops the run the way StopExecution stops a deployed one: each stopped execution is settled
  // (its running StarRocks job cancelled and recorded, its leases released) before the command ends with 130. A
  // second Ctrl-C leaves at once.
  const onInterrupt = (): void => {
    if (!interrupted && workflow !== undefined) {
      interrupted = true;
      human.write(
        '\ninterrupted: stopping the run: cancelling the StarRocks jobs it submitted, recording them and releasing its leases (Ctrl-C again to leave at once)\n',
      );
      workflow.stopAll();
      return;
    }
    human.write(
      `\n${workflow === undefined ? 'interrupted before any backup was submitted.' : 'left at once: StarRocks jobs already submitted may still run; the next run of this slot adopts or settles them.'}\n`,
    );
    void (store?.close() ?? Promise.resolve()).finally(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', onInterrupt);

  try {
    const target = await resolveTarget(options, io);
    const { config, cluster, schedule, scheduledTime } = target;
    clusterName = cluster.name;
    scheduleName = schedule.name;
    slotIso = scheduledTime.toISOString();
    context.cluster = target.errorCluster;
    await checkSlackVariable(io.env);
    isolateFromAwsSettings(io.env);

    await checkStarRocks(cluster, io.env, { databases: options.database });
    store = await openLocalStore(storeLocation(options));

    const webhookSet = webhookConfigured(io.env);
    if (!webhookSet) human.write(`${humanColors.dim(ALERTS_PRINTED_NOTICE)}\n`);

    const title = `${cluster.name} / ${schedule.name}, slot ${formatUtc(scheduledTime)}`;
    const display: ProgressDisplay = json
      ? { kind: 'lines', stream: io.stderr }
      : io.stdout.isTTY
        ? { kind: 'task-list', title, output: io.stdout }
        : { kind: 'lines', stream: io.stdout };
    if (display.kind === 'lines') {
      human.write(
        `sr-backup run: ${title} — FE ${cluster.host}:${cluster.port} — catalog ${store.description}\n`,
      );
    }
    const heldAlerts: ObservedAlert[] = [];
    const location = storeLocation(options);
    const result = await executeLocalRun({
      // Kept beside the catalog, for `sr-backup logs <runId>`; an endpoint has no directory of ours to keep it in.
      runLog: location.kind === 'state-dir' ? createRunLog(location.stateDir) : undefined,
      config,
      cluster: cluster.name,
      schedule,
      scheduledTime,
      databases: options.database,
      tables: store.tables,
      secretEnv: io.env,
      display,
      colors: humanColors,
      clock: io.clock,
      onWorkflow: (started) => {
        workflow = started;
      },
      onAlert: (alert) => {
        if (display.kind === 'task-list') heldAlerts.push(alert);
        else human.write(formatAlert(alert, { webhookSet, colors: humanColors }));
      },
    });

    const runError = result.runError ? explainRunError(result.runError) : null;
    const failed = runError !== null || hasFailures(result.results) || result.status !== 'SUCCEEDED';
    if (json) {
      const document: RunJsonDocument = {
        cluster: result.cluster,
        scheduledTime: result.scheduledTime ?? slotIso,
        results: result.results,
        schedule: result.schedule,
        status: result.status,
        runId: result.executionArn,
        error: runError ? { name: result.runError?.name ?? 'Error', message: runError.message } : null,
        ...(result.paused ? { paused: result.paused } : {}),
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      writeHumanReport(result, {
        out: human,
        colors: humanColors,
        heldAlerts,
        webhookSet,
        failed,
        runError,
        store,
        configPath: options.config,
      });
    }
    if (runError && !interrupted) reportError(runError, { stderr: io.stderr, colors: colors.err, verbose });
    if (interrupted) {
      human.write(
        'stopped: every job this run submitted was cancelled or had ended, and its leases are released.\n',
      );
      return EXIT.interrupted;
    }
    return failed ? EXIT.failed : EXIT.ok;
  } catch (error) {
    const explained = explainError(error, context);
    if (json) {
      const document: RunJsonDocument = {
        cluster: clusterName,
        scheduledTime: slotIso,
        results: [],
        schedule: scheduleName,
        status: 'ERROR',
        runId: null,
        error: cliErrorJson(explained),
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    }
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose });
    return explained.exitCode;
  } finally {
    process.off('SIGINT', onInterrupt);
    await store?.close();
  }
}
