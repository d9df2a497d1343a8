/** `sr-backup start`: starts the deployed nightly workflow now. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { loadConfigFile } from '#local/config/load.ts';
import { formatUtc } from '../format/time.ts';
import { type CliError, EXIT, type ExitCode, failure } from '../support/cli-error.ts';
import { explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { reportError } from '../support/report.ts';
import { selectCluster, selectSchedule } from '../support/selection.ts';
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
  makeClient: (region: string) => Pick<SFNClient, 'send' | 'destroy'> = (region) => new SFNClient({ region }),
): Promise<ExitCode> {
  const colors = colorsFor(io);
  const arnText = options.stateMachineArn ?? io.env[STATE_MACHINE_ARN_VARIABLE];
  try {
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
      throw explainAwsError(error, stateMachine.arn) ?? error;
    } finally {
      sfn.destroy();
    }
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ executionArn: result.executionArn, name: result.name, startDate: result.startDate, input: result.input }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(
        `${colors.out.green('✔')} started ${result.name}\n` +
          `  cluster ${selected.cluster.name}, schedule ${schedule.name}, slot ${formatUtc(result.input.scheduledTime ?? '')}\n` +
          `  execution ${result.executionArn}\n` +
          `  console   ${executionConsoleUrl(result.executionArn, stateMachine.region)}\n`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    const explained = explainError(error, { configPath: options.config });
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  }
}
