/**
 * `sr-backup logs <runId>`: the log lines of one run, in time order. A local run's come from its log file in the
 * state directory; a deployed run's from CloudWatch Logs (the stack's Lambda log groups, filtered on `runId` within
 * the execution's window).
 */
import { isLocalExecutionArn } from '#local/runner/execution-registry.ts';
import { parseExecutionArn } from '../support/aws-client.ts';
import { CliError, EXIT, type ExitCode, failure, usageError } from '../support/cli-error.ts';
import { DEFAULT_STATE_DIR } from '../support/defaults.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type SinceOption, sinceInstant } from '../support/option-parsers.ts';
import { reportError } from '../support/report.ts';
import { readStackOutputs, STACK_VARIABLE, stackNameOf } from '../support/stack-target.ts';
import {
  byTime,
  formatHumanLine,
  formatJsonLine,
  functionOf,
  keepLine,
  type LogLevelName,
  type RunLogLine,
} from './log-line.ts';

/** Options of `sr-backup logs`, as commander parses them. */
export interface LogsCommandOptions {
  /** The run: its id as `runs`, `run --json` or `start` print it; deployed, also a nightly execution's name. */
  readonly run: string;
  readonly stack?: string;
  readonly region?: string;
  readonly stateDir?: string;
  /** Only the lines of these functions (ASL names, e.g. SubmitBackup). */
  readonly function?: string[];
  /** The lowest level shown. */
  readonly level?: LogLevelName;
  readonly since?: SinceOption;
  /** At most this many lines: the last ones. */
  readonly limit: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Where the lines came from, for the closing note. */
interface ReadLines {
  readonly lines: RunLogLine[];
  readonly source: string;
  readonly notes: readonly string[];
}

async function readLines(options: LogsCommandOptions, io: CommandIo, since: number | undefined) {
  const run = options.run.trim();
  if (run === '') throw usageError('name the run: sr-backup logs <runId>');
  if (isLocalExecutionArn(run) || options.stateDir !== undefined) {
    const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
    const { readLocalRunLog } = await import('./local-logs.ts');
    const lines = await readLocalRunLog(stateDir, run);
    return { lines, source: `${stateDir}/logs`, notes: [] } satisfies ReadLines;
  }
  const stackName = stackNameOf(options, io.env);
  if (stackName === undefined) {
    throw usageError(`${run} is not a local run: name the deployed stack it ran in`, {
      hint: `pass --stack <name> (or set ${STACK_VARIABLE}); local run ids start with arn:aws:states:local-`,
    });
  }
  let executionArn = run;
  if (parseExecutionArn(run) === undefined) {
    // A bare execution name: the nightly state machine of the stack names its ARN.
    const nightly = (await readStackOutputs(stackName, options.region)).nightlyBackupStateMachineArn;
    if (nightly === undefined) {
      throw usageError(`${run} is not a run id`, {
        hint: `\`sr-backup runs --config <file> --stack ${stackName} --json\` prints each run's runId`,
      });
    }
    executionArn = `${nightly.replace(':stateMachine:', ':execution:')}:${run}`;
  }
  const region = options.region ?? parseExecutionArn(executionArn)?.region;
  const { readDeployedRunLog } = await import('./deployed-logs.ts');
  const read = await readDeployedRunLog({ stackName, executionArn, region, since, now: io.clock.now() });
  const window = `${new Date(read.window.start).toISOString()} – ${new Date(read.window.end).toISOString()}`;
  const notes = [
    ...(read.status === 'RUNNING' ? ['the run is still running: more lines may come'] : []),
    ...read.truncated.map(
      (group) => `the search of ${group} stopped at its page bound: narrow it with --since or --function`,
    ),
  ];
  return {
    lines: read.lines,
    source: `${read.logGroups.length} log groups of stack ${stackName}, ${window}`,
    notes,
  } satisfies ReadLines;
}

/** Runs the command; resolves with the exit status (0 shown, 1 no such run or AWS refused, 2 usage). */
export async function runLogsCommand(options: LogsCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  try {
    const since =
      options.since === undefined ? undefined : sinceInstant(options.since, io.clock.now()).getTime();
    const read = await readLines(options, io, since);
    const kept = byTime(read.lines).filter((line) =>
      keepLine(line, { functions: options.function, level: options.level, since }),
    );
    const shown = kept.slice(Math.max(0, kept.length - options.limit));
    if (options.json) {
      for (const line of shown) io.stdout.write(`${formatJsonLine(line)}\n`);
    } else {
      const width = Math.max(0, ...shown.map((line) => functionOf(line).length));
      for (const line of shown) io.stdout.write(`${formatHumanLine(line, { function: width })}\n`);
    }
    const notes = [...read.notes];
    if (kept.length > shown.length) {
      notes.push(`${kept.length - shown.length} earlier lines left out (--limit ${options.limit})`);
    }
    if (read.lines.length === 0) notes.push(`no log line of run ${options.run.trim()} (${read.source})`);
    else if (shown.length === 0)
      notes.push(`none of the run's ${read.lines.length} lines passes the filters`);
    for (const note of notes) io.stderr.write(`${colors.err.dim(`note: ${note}`)}\n`);
    return EXIT.ok;
  } catch (error) {
    const explained = explainLogsError(error);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  }
}

function explainLogsError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof Error && error.name === 'AccessDeniedException') {
    return failure(`not allowed to read the run's logs: ${error.message}`, {
      hint: 'the caller needs cloudformation:ListStackResources, states:DescribeExecution and logs:FilterLogEvents',
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'InvalidArn') {
    return usageError(`not a Step Functions execution ARN: ${error.message}`, {
      hint: '`sr-backup runs --json` prints each run’s runId',
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'CredentialsProviderError') {
    return failure('no AWS credentials found to read the run’s logs', {
      hint: 'configure credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
      cause: error,
    });
  }
  if (error instanceof Error && error.message.includes('Region is missing')) {
    return usageError('no AWS region for the deployed stack', {
      hint: 'pass --region <region> or set AWS_REGION',
      cause: error,
    });
  }
  return failure(error instanceof Error ? error.message : String(error), { cause: error });
}
