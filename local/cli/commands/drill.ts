import { type Command, Option } from 'commander';
import type { DrillCommandOptions } from '../drill/drill-command.ts';
import { parseInstant, positiveInteger } from '../support/option-parsers.ts';
import { STACK_VARIABLE } from '../support/stack-target.ts';
import { configOption, runAction, storeOptions, verboseOption } from './common.ts';

const HELP = `
Restores the latest verified snapshot of the cluster's drill.database into a scratch database
<drill.scratchPrefix><database>_<yyyyMMddHHmm>, checks that the tables of the snapshot are there with their rows,
records the drill in the catalog (with the measured restore time), drops the scratch database on every path, and
alerts (Slack) when the restore could not be proven. The drill takes one of the cluster's backup slots.

Where it runs:
  locally (default): the RestoreDrill state machine that is deployed, in this process, against the FE and the
    local catalog (--state-dir, --dynamodb-endpoint); an alert is printed when SLACK_WEBHOOK_URL is not set.
  deployed (--stack <name> or ${STACK_VARIABLE}): starts the stack's RestoreDrill state machine (its output
    RestoreDrillStateMachineArn) with the drill schedule's input, as execution drill-<cluster>-<slot>-<hex6>, and
    follows it (GetExecutionHistory every --poll-seconds) with the same progress lines and result. Uses your AWS
    credentials (states:StartExecution, GetExecutionHistory, DescribeExecution, StopExecution). Ctrl-C stops the
    drill it started (the stack then cancels its RESTORE, drops the scratch database and frees its lock).

Exit status: 0 the drill passed (or was skipped: another run of the same slot holds the scratch database, or a
pause covers the cluster); 1 it failed or timed out, or the execution failed; 2 usage or configuration error
(including a cluster without drill settings, or a stack without the output RestoreDrillStateMachineArn);
130 Ctrl-C (a deployed drill is stopped).

Examples:
  $ sr-backup drill --config backup.yaml --cluster prod
  $ sr-backup drill --config backup.yaml --cluster prod --json | jq .drill
  $ sr-backup drill --config backup.yaml --cluster prod --stack StarRocksBackupScheduler`;

/** Adds `sr-backup drill`. */
export function registerDrillCommand(program: Command): void {
  const command = configOption(
    program
      .command('drill')
      .description('Run a restore drill now, locally or in the deployed stack: restore, check, record, drop'),
  )
    .option('--cluster <name>', 'the cluster (may be left out when the config has one)')
    .option(
      '--scheduled-time <ISO-8601>',
      "the drill's slot, which names the scratch database (default: now, the execution's start)",
      parseInstant,
    )
    .option('--json', 'print one JSON document on stdout (progress and logs go to stderr)');
  storeOptions(command)
    .addOption(
      new Option(
        '--stack <name>',
        `start the drill in this deployed stack and follow it (default $${STACK_VARIABLE}); uses your AWS credentials`,
      ).conflicts(['stateDir', 'dynamodbEndpoint']),
    )
    .option('--region <region>', 'AWS region of --stack (default: your AWS configuration)')
    .option(
      '--poll-seconds <n>',
      'with --stack: seconds between two reads of the execution',
      positiveInteger(3600),
      10,
    );
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: DrillCommandOptions) => {
    const { runDrillCommand } = await import('../drill/drill-command.ts');
    await runAction((io) => runDrillCommand(options, io));
  });
}
