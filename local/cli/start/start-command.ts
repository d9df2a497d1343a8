/** `sr-backup start`: starts the deployed nightly workflow now, and with `--wait` follows it to its end. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { FAILURE_STATES } from '#domain/workflow/outcomes.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { DatabaseResult } from '#local/runner/run-nightly.ts';
import { formatResultsTable, summarizeResults } from '../format/results.ts';
import { formatUtc } from '../format/time.ts';
import { attachLineProgress } from '../progress/line-progress.ts';
import { RunProgress } from '../progress/run-progress.ts';
import { cliAwsClientOptions } from '../support/aws-client.ts';
import { type CliError, EXIT, type ExitCode, failure } from '../support/cli-error.ts';
import { explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { reportError } from '../support/report.ts';
import { selectCluster, selectSchedule } from '../support/selection.ts';
import { readStackOutputs, stackNameOf } from '../support/stack-target.ts';
import { DEFAULT_FOLLOW_CONTROL, type FollowControl, followUntilInterrupted } from './deployed-execution.ts';
import type { FollowOutcome } from './follow-execution.ts';
import {
  executionConsoleUrl,
  parseStateMachineArn,
  STATE_MACHINE_ARN_VARIABLE,
  startNightlyExecution,
} from './start-execution.ts';

/** Options of `sr-backup start`. */
export interface StartCommandOptions {
  readonly config: string;
  readonly cluster: string;
  readonly schedule?: string;
  readonly stateMachineArn?: string;
  readonly scheduledTime?: Date;
  readonly database?: string[];
  readonly json?: boolean;
  readonly verbose?: boolean;
  /** Follow the started run to its end, with live progress; exit by its outcome. */
  readonly wait?: boolean;
  /** With `wait`: seconds between two reads of the run's history. */
  readonly pollSeconds?: number;
  /** A deployed stack whose output NightlyBackupStateMachineArn names the state machine (or SR_BACKUP_STACK). */
  readonly stack?: string;
  readonly region?: string;
}

/** AWS SDK errors, told plainly (never with request ids or credentials). */
export function explainAwsError(error: unknown, arn: string): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'CredentialsProviderError':
      return failure('no AWS credentials found to start the execution', {
        hint: 'configure credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
        cause: error,
      });
    case 'StateMachineDoesNotExist':
      return failure(`state machine ${arn} does not exist`, {
        hint: 'check the ARN against the deployed stack’s outputs, and the account and region of your credentials',
        cause: error,
      });
    case 'AccessDeniedException':
      return failure(`not allowed to start ${arn}: ${error.message}`, {
        hint: 'the caller needs states:StartExecution on this state machine',
        cause: error,
      });
    case 'InvalidExecutionInput':
    case 'InvalidName':
    case 'ExecutionAlreadyExists':
    case 'ExecutionLimitExceeded':
    case 'StateMachineDeleting':
      return failure(`Step Functions refused the start: ${error.name}: ${error.message}`, { cause: error });
    default:
      return undefined;
  }
}

/** Runs the command; resolves with the exit status. */
export async function runStartCommand(
  options: StartCommandOptions,
  io: CommandIo,
  makeClient: (region: string) => Pick<SFNClient, 'send' | 'destroy'> = (region) =>
    new SFNClient(cliAwsClientOptions(region)),
  follow: FollowControl = DEFAULT_FOLLOW_CONTROL,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  try {
    const stackName = options.stateMachineArn === undefined ? stackNameOf(options, io.env) : undefined;
    const arnText =
      options.stateMachineArn ??
      (stackName === undefined
        ? io.env[STATE_MACHINE_ARN_VARIABLE]
        : (await readStackOutputs(stackName, options.region)).nightlyBackupStateMachineArn);
    const config = await loadConfigFile(options.config);
    const selected = selectCluster(config, options.cluster, options.config);
    const schedule = selectSchedule(selected, options.schedule);
    const stateMachine = parseStateMachineArn(arnText);
    const sfn = makeClient(stateMachine.region);
    let result: Awaited<ReturnType<typeof startNightlyExecution>>;
    try {
      result = await startNightlyExecution(
        {
          config,
          cluster: selected.cluster.name,
          schedule,
          stateMachine,
          scheduledTime: options.scheduledTime,
          databases: options.database,
        },
        { sfn, clock: io.clock },
      );
    } catch (error) {
      sfn.destroy();
      throw explainAwsError(error, stateMachine.arn) ?? error;
    }
    if (!options.wait) sfn.destroy();
    if (options.json && !options.wait) {
      io.stdout.write(
        `${JSON.stringify({ executionArn: result.executionArn, name: result.name, startDate: result.startDate, input: result.input }, null, 2)}\n`,
      );
    } else if (!options.json) {
      io.stdout.write(
        `${colors.out.green('✔')} started ${result.name}\n` +
          `  cluster ${selected.cluster.name}, schedule ${schedule.name}, slot ${formatUtc(result.input.scheduledTime ?? '')}\n` +
          `  execution ${result.executionArn}\n` +
          `  console   ${executionConsoleUrl(result.executionArn, stateMachine.region)}\n`,
      );
    }
    if (!options.wait) return EXIT.ok;
    try {
      return await followStarted(result, options, io, { sfn, control: follow });
    } finally {
      sfn.destroy();
    }
  } catch (error) {
    const explained = explainError(error, { configPath: options.config });
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  }
}

/** The run's databases as `run` reports them, from what following saw. */
function resultsOf(progress: RunProgress): DatabaseResult[] {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return progress
    .databases()
    .filter((entry) => entry.outcome !== null)
    .map((entry) => ({
      database: entry.database,
      snapshot: entry.label ?? '',
      state: entry.outcome ?? 'FAILED',
      startedAt: iso(entry.startedAtMs),
      finishedAt: iso(entry.endedAtMs),
      error: entry.reason,
    }));
}

async function followStarted(
  started: Awaited<ReturnType<typeof startNightlyExecution>>,
  options: StartCommandOptions,
  io: CommandIo,
  deps: { sfn: Pick<SFNClient, 'send'>; control: FollowControl },
): Promise<ExitCode> {
  const colors = colorsFor(io);
  // With --json, stdout holds the one document; progress goes to stderr.
  const progressOut = options.json ? io.stderr : io.stdout;
  const progress = new RunProgress();
  const detach = attachLineProgress(progress, progressOut, options.json ? colors.err : colors.out);
  let outcome: FollowOutcome;
  try {
    outcome = await followUntilInterrupted(
      {
        executionArn: started.executionArn,
        stateMachine: 'nightlyBackup',
        pollMs: (options.pollSeconds ?? 10) * 1000,
        onEvent: (event) => progress.apply(event),
      },
      { sfn: deps.sfn, control: deps.control },
    );
  } finally {
    detach();
  }
  const results = resultsOf(progress);
  if (outcome.kind === 'interrupted') {
    io.stderr.write(
      `stopped following ${started.name}: the run goes on in AWS.\n` +
        `  \`sr-backup cancel ${started.executionArn} --config ${options.config}\` stops it.\n`,
    );
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ ...startedJson(started), status: 'RUNNING', following: 'interrupted', results }, null, 2)}\n`,
      );
    }
    return EXIT.interrupted;
  }
  const failed = outcome.status !== 'SUCCEEDED' || results.some((result) => FAILURE_STATES.has(result.state));
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ ...startedJson(started), status: outcome.status, error: outcome.error, results }, null, 2)}\n`,
    );
  } else {
    if (results.length > 0) io.stdout.write(`\n${formatResultsTable(results, colors.out)}\n`);
    io.stdout.write(
      `\n${started.name} ended ${outcome.status === 'SUCCEEDED' ? colors.out.green(outcome.status) : colors.out.red(outcome.status)}: ${summarizeResults(results)}` +
        `${outcome.error === null ? '' : ` (${outcome.error}${outcome.cause === null ? '' : `: ${outcome.cause}`})`}\n`,
    );
  }
  return failed ? EXIT.failed : EXIT.ok;
}

function startedJson(started: Awaited<ReturnType<typeof startNightlyExecution>>) {
  return {
    executionArn: started.executionArn,
    name: started.name,
    startDate: started.startDate,
    input: started.input,
  };
}
