import { type Command, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevelName } from '../logs/log-line.ts';
import type { LogsCommandOptions } from '../logs/logs-command.ts';
import { DEFAULT_STATE_DIR } from '../support/defaults.ts';
import { collectNames, parseSince, positiveInteger } from '../support/option-parsers.ts';
import { STACK_VARIABLE } from '../support/stack-target.ts';
import { runAction, verboseOption } from './common.ts';

const HELP = `
The log lines of one run, oldest first: what every Lambda handler of the run logged (each line carries the run's
id), with time, function, level, message and the line's own fields. Secret-looking values are never printed.
  local (a run id arn:aws:states:local-…): the run's log in the state directory (<state-dir>/logs/), kept by
    sr-backup run with INFO lines and above whatever --verbose showed.
  deployed (an execution ARN, or a nightly execution's name, with --stack or ${STACK_VARIABLE}): CloudWatch Logs,
    every Lambda log group of the stack, within the execution's start and stop (plus a few minutes).
With --json, one JSON object a line (JSON Lines), each as the handler logged it.

Exit status: 0 shown (also when no line matched; a note on stderr says so); 1 no such run (or no log of it), or
AWS refused; 2 usage error (not a run id, a deployed run without --stack, an unknown stack).

Examples:
  $ sr-backup runs --config backup.yaml                      # the run ids
  $ sr-backup logs arn:aws:states:local-4242:000000000000:execution:nightlyBackup:prod-nightly-20261124T1800-a1b2c3
  $ sr-backup logs <runId> --stack StarRocksBackupScheduler --level warn
  $ sr-backup logs <runId> --stack StarRocksBackupScheduler --function SubmitBackup --function CheckBackup
  $ sr-backup logs <runId> --json | jq 'select(.database == "sales")'`;

function parseLevel(value: string): LogLevelName {
  const upper = value.trim().toUpperCase();
  const level = LOG_LEVELS.find((name) => name === upper);
  if (level === undefined) {
    throw new InvalidArgumentError(
      `expected one of ${LOG_LEVELS.map((name) => name.toLowerCase()).join(', ')}`,
    );
  }
  return level;
}

/** Adds `sr-backup logs`. */
export function registerLogsCommand(program: Command): void {
  const command = program
    .command('logs')
    .argument('<runId>', 'the run (its id as `sr-backup runs --json` prints runId)')
    .description('The log lines of one run, in time order: local log, or CloudWatch Logs with --stack')
    .option(
      '--function <name>',
      'only the lines of this function (its name in the workflow, e.g. SubmitBackup; repeatable)',
      collectNames,
    )
    .option('--level <level>', 'only lines at this level or above (debug, info, warn, error)', parseLevel)
    .option(
      '--since <time|duration>',
      'only lines at or after this time, or this long ago (1h, 2d)',
      parseSince,
    )
    .option('--limit <n>', 'at most this many lines, the last ones', positiveInteger(1_000_000), 1000)
    .option('--json', 'print one JSON object a line (JSON Lines), as logged')
    .addOption(
      new Option(
        '--stack <name>',
        `the deployed stack the run ran in (default $${STACK_VARIABLE}); uses your AWS credentials`,
      ).conflicts('stateDir'),
    )
    .option(
      '--region <region>',
      'AWS region of the stack (default: the run id’s, else your AWS configuration)',
    )
    .option('--state-dir <dir>', `where a local run kept its log (default: ${DEFAULT_STATE_DIR}/)`)
    .option('-c, --config <file>', 'not needed (accepted like the other commands take it)');
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (run: string, options: Omit<LogsCommandOptions, 'run'>) => {
    const { runLogsCommand } = await import('../logs/logs-command.ts');
    await runAction((io) => runLogsCommand({ ...options, run }, io));
  });
}
