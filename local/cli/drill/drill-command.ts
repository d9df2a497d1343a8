/**
 * `sr-backup drill`: one restore drill of a cluster, now: through the RestoreDrill state machine in the local
 * runner (the same ASL and Lambda handlers as deployed), or, with `--stack`, the deployed one, followed here.
 */
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { BackupConfig } from '#domain/config/index.ts';
import { loadConfigFile } from '#local/config/load.ts';
import { type LocalDrillResult, runDrillLocally } from '#local/runner/run-drill.ts';
import { createRunLog } from '#local/runtime/run-log.ts';
import type { Colors } from '../format/color.ts';
import { formatUtc } from '../format/time.ts';
import { DEFAULT_FOLLOW_CONTROL, type FollowControl } from '../start/deployed-execution.ts';
import { explainAwsError } from '../start/start-command.ts';
import { executionConsoleUrl, parseStateMachineArn } from '../start/start-execution.ts';
import { cliAwsClientOptions } from '../support/aws-client.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { cliErrorJson, EXIT, type ExitCode, interrupted, usageError } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { type SelectedCluster, selectCluster } from '../support/selection.ts';
import { readStackOutputs, stackNameOf } from '../support/stack-target.ts';
import { checkStarRocks } from '../support/starrocks.ts';
import { runDrillDeployed } from './deployed-drill.ts';
import {
  type DrillJsonDocument,
  describeDrillAlert,
  describeDrillResult,
  drillDocumentFields,
  drillProgressLine,
} from './drill-report.ts';

export type { DrillJsonDocument } from './drill-report.ts';

/** Options of `sr-backup drill`, as commander parses them. */
export interface DrillCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly scheduledTime?: Date;
  readonly dynamodbEndpoint?: string;
  readonly stateDir?: string;
  /** The deployed stack whose RestoreDrill to start (or SR_BACKUP_STACK); unless a local store is named. */
  readonly stack?: string;
  readonly region?: string;
  /** With a stack: seconds between two reads of the execution's history. */
  readonly pollSeconds?: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** How a deployed drill reaches AWS and waits; tests give mocked clients' factory, a virtual sleep, an interrupt. */
export interface DrillCommandDeps {
  readonly makeSfn: (region: string) => Pick<SFNClient, 'send' | 'destroy'>;
  readonly follow: FollowControl;
}

const DEFAULT_DEPS: DrillCommandDeps = {
  makeSfn: (region) => new SFNClient(cliAwsClientOptions(region)),
  follow: DEFAULT_FOLLOW_CONTROL,
};

type Document = { -readonly [K in keyof DrillJsonDocument]: DrillJsonDocument[K] };

/** Where the human lines go (stderr with --json, whose document owns stdout). */
interface Output {
  readonly human: NodeJS.WritableStream;
  readonly colors: Colors;
}

/** Runs the command; resolves with the exit status (0, 1, 2, or 130 when following a deployed drill stopped). */
export async function runDrillCommand(
  options: DrillCommandOptions,
  io: CommandIo,
  deps: DrillCommandDeps = DEFAULT_DEPS,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  const json = options.json === true;
  const out: Output = { human: json ? io.stderr : io.stdout, colors: json ? colors.err : colors.out };
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = {
    configPath: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint,
  };
  const document: Document = {
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
    if (cluster.drill === undefined) {
      throw usageError(`cluster "${cluster.name}" has no restore drill configured`, {
        hint: `add clusters[${selected.index}].drill, e.g. {database: sales, cron: "0 3 ? * SUN *", timezone: UTC} (docs/configuration.md)`,
      });
    }
    document.database = cluster.drill.database;
    const localAsked = options.stateDir !== undefined || options.dynamodbEndpoint !== undefined;
    const stackName = localAsked ? undefined : stackNameOf(options, io.env);
    if (stackName !== undefined) {
      return await drillDeployed({ config, selected, stackName, options, io, out, document, deps });
    }
    context.cluster = clusterContext(selected);
    isolateFromAwsSettings(io.env);
    const location = storeLocation(options);
    store = await openLocalStore(location);
    await checkStarRocks(cluster, io.env);
    out.human.write(
      `sr-backup drill: ${cluster.name} / ${cluster.drill.database} — FE ${cluster.host}:${cluster.port} — catalog ${store.description}\n`,
    );
    const result = await runDrillLocally({
      config,
      cluster: cluster.name,
      scheduledTime: options.scheduledTime,
      tables: store.tables,
      clock: io.clock,
      secretEnv: io.env,
      runLog: location.kind === 'state-dir' ? createRunLog(location.stateDir) : undefined,
      onEvent: (event) => {
        const line = drillProgressLine(event, out.colors);
        if (line !== null) out.human.write(`${line}\n`);
      },
    });
    return finish(result, { deployed: false, io, out, document, json });
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

/** Prints the drill's verdict, its alert and the `--json` document; 0 when it passed or was skipped, else 1. */
function finish(
  result: LocalDrillResult,
  context: { deployed: boolean; io: CommandIo; out: Output; document: Document; json: boolean },
): ExitCode {
  const { io, out, document } = context;
  out.human.write(`\n${describeDrillResult(result, out.colors)}\n`);
  if (result.alert) {
    out.human.write(
      describeDrillAlert(result.alert, { deployed: context.deployed, env: io.env }, out.colors),
    );
  }
  Object.assign(document, drillDocumentFields(result));
  if (context.json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return result.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}

async function drillDeployed(context: {
  config: BackupConfig;
  selected: SelectedCluster;
  stackName: string;
  options: DrillCommandOptions;
  io: CommandIo;
  out: Output;
  document: Document;
  deps: DrillCommandDeps;
}): Promise<ExitCode> {
  const { config, selected, stackName, options, io, out, document, deps } = context;
  const { cluster } = selected;
  const stack = await readStackOutputs(stackName, options.region);
  if (stack.restoreDrillStateMachineArn === undefined) {
    throw usageError(`stack ${stackName} has no output RestoreDrillStateMachineArn`, {
      hint: 'deploy the current stack (cdk deploy), or run the drill on this machine without --stack',
    });
  }
  const stateMachine = parseStateMachineArn(stack.restoreDrillStateMachineArn);
  out.human.write(
    `sr-backup drill: ${cluster.name} / ${cluster.drill?.database} — stack ${stackName}: ${stateMachine.arn}\n`,
  );
  const sfn = deps.makeSfn(stateMachine.region);
  // Ctrl-C is ours from here: one that comes while StartExecution is on its way must stop the drill it started,
  // not end the process with the drill running and its ARN never printed.
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  const external = deps.follow.interrupt;
  external?.addEventListener('abort', onInterrupt, { once: true });
  if (external?.aborted === true) stop.abort();
  if (external === undefined) process.once('SIGINT', onInterrupt);
  try {
    if (stop.signal.aborted)
      throw interrupted('stopped by Ctrl-C before the drill was started: nothing runs');
    let drill: Awaited<ReturnType<typeof runDrillDeployed>>;
    try {
      drill = await runDrillDeployed(
        {
          config,
          cluster,
          stateMachine,
          scheduledTime: options.scheduledTime,
          pollMs: (options.pollSeconds ?? 10) * 1000,
          onStarted: (started) => {
            document.executionArn = started.executionArn;
            out.human.write(
              `${out.colors.green('✔')} started ${started.name}` +
                `${started.input.scheduledTime === undefined ? '' : `, slot ${formatUtc(started.input.scheduledTime)}`}\n` +
                `  execution ${started.executionArn}\n` +
                `  console   ${executionConsoleUrl(started.executionArn, stateMachine.region)}\n`,
            );
          },
          onEvent: (event) => {
            const line = drillProgressLine(event, out.colors);
            if (line !== null) out.human.write(`${line}\n`);
          },
        },
        { sfn, clock: io.clock, control: { ...deps.follow, interrupt: stop.signal } },
      );
    } catch (error) {
      // Only StartExecution's refusals are explained as such: once started, an error is about following.
      throw document.executionArn === null ? (explainAwsError(error, stateMachine.arn) ?? error) : error;
    }
    if (drill.kind === 'interrupted') {
      // This command started the drill, so Ctrl-C stops it, as it stops a local one: the stack's settlement then
      // cancels its RESTORE, drops the scratch database and frees the slot and the lock.
      const stopped = await sfn
        .send(
          new StopExecutionCommand({
            executionArn: drill.started.executionArn,
            error: 'Interrupted',
            cause: 'sr-backup drill: Ctrl-C',
          }),
        )
        .then(
          () => true,
          () => false,
        );
      io.stderr.write(
        stopped
          ? `stopped ${drill.started.name}: the stack cancels its RESTORE job, drops the scratch database and frees its lock.\n`
          : `could not stop ${drill.started.name}: the drill goes on in AWS.\n` +
              `  \`sr-backup cancel ${drill.started.executionArn} --config ${options.config} --stack ${stackName}\` stops it.\n`,
      );
      if (options.json === true) {
        document.status = stopped ? 'ABORTED' : 'RUNNING';
        io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      }
      return EXIT.interrupted;
    }
    return finish(drill.result, { deployed: true, io, out, document, json: options.json === true });
  } finally {
    external?.removeEventListener('abort', onInterrupt);
    if (external === undefined) process.off('SIGINT', onInterrupt);
    sfn.destroy();
  }
}
