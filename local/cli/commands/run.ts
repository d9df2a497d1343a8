import { type Command, Option } from 'commander';
import type { RunCommandOptions } from '../run/run-command.ts';
import { collectNames, parseInstant } from '../support/option-parsers.ts';
import { configOption, runAction, storeOptions, verboseOption } from './common.ts';

const HELP = `
Runs the same NightlyBackup state machine that is deployed (the same ASL and Lambda handlers, in this process)
against the FE of the configuration, with DynamoDB embedded (persisted under --state-dir) or at --dynamodb-endpoint.
No AWS account, credentials or region are needed.

Secrets: the FE password comes from STARROCKS_PASSWORD_<CLUSTER> or STARROCKS_PASSWORD; Slack alerts go to
SLACK_WEBHOOK_URL (when it is unset, alerts are printed here instead).

--now takes an ad-hoc backup outside the schedules, with its own labels (adhoc_<database>_<minute>_<hash>) and
catalog entries (schedule "adhoc"). A database whose slot already has its snapshot is reused, not backed up again,
and the run says so ("adopted": true in --json).

Ctrl-C cancels the BACKUP jobs this run submitted, records them and releases its leases (a second Ctrl-C leaves
at once).

Exit status: 0 every selected database FINISHED or SKIPPED; 1 a database FAILED or TIMED_OUT, or the run failed
before reaching any database (FE unreachable, login refused); 2 usage or configuration error (an unknown
--database among them); 130 stopped by Ctrl-C.

Examples:
  $ sr-backup run --config backup.yaml
  $ sr-backup run --config backup.yaml --cluster prod --schedule nightly --database sales --database crm
  $ sr-backup run --config backup.yaml --scheduled-time 2026-11-24T18:00:00Z --json > result.json
  $ sr-backup run --config backup.yaml --now --database sales          # before an upgrade
  $ STARROCKS_PASSWORD=... sr-backup run --config backup.yaml --dynamodb-endpoint http://127.0.0.1:8000`;

/** Adds `sr-backup run`. */
export function registerRunCommand(program: Command): void {
  const command = configOption(
    program.command('run').description('Run a nightly backup now, locally, with live progress'),
  )
    .option('--cluster <name>', 'cluster to back up (may be left out when the config has one)')
    .option(
      '--schedule <name>',
      'schedule whose slot and patterns to use (may be left out when the cluster has one)',
    )
    .option('--database <db>', 'back up only this database (repeatable, or comma-separated)', collectNames)
    .option(
      '--scheduled-time <ISO-8601>',
      'the slot to back up (default: the schedule’s most recent one); same slot = same labels',
      parseInstant,
    )
    .addOption(
      new Option(
        '--now',
        'an ad-hoc backup now, outside the schedules (before an upgrade): labels adhoc_<database>_<minute>_…',
      ).conflicts(['schedule', 'scheduledTime']),
    )
    .option('--json', 'print one JSON document on stdout (progress and logs go to stderr)');
  storeOptions(command);
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: RunCommandOptions) => {
    const { runRunCommand } = await import('../run/run-command.ts');
    await runAction((io) => runRunCommand(options, io));
  });
}
