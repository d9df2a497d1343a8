import type { Command } from 'commander';
import type { StartCommandOptions } from '../start/start-command.ts';
import { collectNames, parseInstant, positiveInteger } from '../support/option-parsers.ts';
import { STACK_VARIABLE } from '../support/stack-target.ts';
import { configOption, runAction, verboseOption } from './common.ts';

const HELP = `
Starts the deployed NightlyBackup state machine (StartExecution) with exactly the input EventBridge Scheduler sends:
{cluster: <the cluster's settings, no secrets>, schedule: <the schedule entry>, scheduledTime: <the slot>}.
Uses your AWS credentials (profile, SSO, environment); the region comes from the ARN.

The ARN comes from --state-machine-arn, SR_BACKUP_STATE_MACHINE_ARN, or the output NightlyBackupStateMachineArn of
the stack named by --stack (or SR_BACKUP_STACK).

--wait follows the run to its end (GetExecutionHistory of the run and of the executions it starts, every
--poll-seconds) with the same progress lines as \`sr-backup run\`, then its results table. Ctrl-C stops following,
not the run (\`sr-backup cancel <executionArn>\` stops the run).

Exit status: 0 started (with --wait: the run SUCCEEDED and no database FAILED or TIMED_OUT); 1 AWS refused, or
with --wait the run failed or a database FAILED or TIMED_OUT; 2 usage or configuration error (no or a malformed
ARN); 130 Ctrl-C while following.

Examples:
  $ sr-backup start --config backup.yaml --cluster prod --state-machine-arn arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup
  $ SR_BACKUP_STATE_MACHINE_ARN=arn:aws:states:… sr-backup start --config backup.yaml --cluster prod --schedule nightly
  $ sr-backup start --config backup.yaml --cluster prod --stack StarRocksBackupScheduler --wait`;

/** Adds `sr-backup start`. */
export function registerStartCommand(program: Command): void {
  const command = configOption(
    program.command('start').description('Start the deployed nightly workflow now (AWS Step Functions)'),
  )
    .requiredOption('--cluster <name>', 'cluster to back up')
    .option('--schedule <name>', 'schedule (may be left out when the cluster has one)')
    .option(
      '--state-machine-arn <arn>',
      `NightlyBackup state machine ARN (default: $SR_BACKUP_STATE_MACHINE_ARN)`,
    )
    .option('--scheduled-time <ISO-8601>', 'the slot (default: the schedule’s most recent one)', parseInstant)
    .option('--database <db>', 'only this database (repeatable)', collectNames)
    .option(
      '--stack <name>',
      `the deployed stack whose output NightlyBackupStateMachineArn to start (default $${STACK_VARIABLE})`,
    )
    .option('--region <region>', 'AWS region of --stack (default: your AWS configuration)')
    .option('--wait', 'follow the run to its end with live progress; exit 1 when a database failed')
    .option(
      '--poll-seconds <n>',
      'with --wait: seconds between two reads of the run',
      positiveInteger(3600),
      10,
    )
    .option(
      '--json',
      'print {executionArn, name, startDate, input} as JSON on stdout (with --wait also status and results)',
    );
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: StartCommandOptions) => {
    const { runStartCommand } = await import('../start/start-command.ts');
    await runAction((io) => runStartCommand(options, io));
  });
}
