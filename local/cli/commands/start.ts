import type { Command } from 'commander';
import type { StartCommandOptions } from '../start/start-command.ts';
import { collectNames, parseInstant } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';

const HELP = `
Starts the deployed NightlyBackup state machine (StartExecution) with exactly the input EventBridge Scheduler sends:
{cluster: <the cluster's settings, no secrets>, schedule: <the schedule entry>, scheduledTime: <the slot>}.
Uses your AWS credentials (profile, SSO, environment); the region comes from the ARN.

The ARN comes from --state-machine-arn or SR_BACKUP_STATE_MACHINE_ARN (the stack prints it as an output).

Examples:
  $ sr-backup start --config backup.yaml --cluster prod --state-machine-arn arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup
  $ SR_BACKUP_STATE_MACHINE_ARN=arn:aws:states:… sr-backup start --config backup.yaml --cluster prod --schedule nightly`;

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
    .option('--json', 'print {executionArn, name, startDate, input} as JSON on stdout');
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: StartCommandOptions) => {
    const { runStartCommand } = await import('../start/start-command.ts');
    await runAction((io) => runStartCommand(options, io));
  });
}
