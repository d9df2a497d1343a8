import type { Command } from 'commander';
import type { StatusCommandOptions } from '../inspect/status-command.ts';
import { parseDurationSeconds, parseInstant } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
For every database a schedule covers (the FE's databases with tables that an enabled schedule selects, and every
database with a good snapshot in the catalog): its latest good snapshot, the snapshot's age, a verdict against the
schedules, and for a late or never database why (its latest attempt: FAILED with StarRocks' status, SKIPPED, none):
  fresh  the latest good snapshot is from the most recent expected slot or later
  late   an expected slot passed and the latest good snapshot is older than that slot
  never  no good snapshot at all
A slot is expected once its time plus the database's expected backup duration (the p95 of its recent backups, else
the cluster's timeoutSeconds) plus a grace (clusters[].freshness.graceMinutes, default 1 h) has passed: a nightly
at 02:00 whose backups take up to an hour is late from 04:00. When the FE cannot be read, the catalog's databases
are judged and a warning says so; --no-resolve does not connect at all.

Exit status: 0 every database is fresh; 1 any is late or never (for cron, Nagios or a CI job); 2 usage or
configuration error.

With --notify it runs the deployed hourly freshness check once, here: it reads the FE, counts stuck runs, skipped
databases and paused schedules as late, reports databases no schedule covers (drift), keeps incidents in the local
DynamoDB (--state-dir) so each alerts once, and posts the alerts and "recovered" notices to Slack (SLACK_WEBHOOK_URL,
or the Web API with SLACK_BOT_TOKEN and slack.channel or SLACK_CHANNEL), or prints them. Run it from cron to alert
locally.

Examples:
  $ sr-backup status --config backup.yaml
  $ sr-backup status --config backup.yaml --cluster prod --grace 2h
  $ sr-backup status --config backup.yaml --stack StarRocksBackupScheduler --no-resolve
  $ sr-backup status --config backup.yaml --no-resolve || echo "a backup is late"
  $ sr-backup status --config backup.yaml --json | jq '.databases[] | select(.state != "fresh")'
  $ SLACK_WEBHOOK_URL=https://hooks.slack.com/services/… sr-backup status --config backup.yaml --notify`;

/** Adds `sr-backup status`. */
export function registerStatusCommand(program: Command): void {
  const command = configOption(
    program
      .command('status')
      .description('Latest good snapshot per database and its age: fresh / late / never'),
  )
    .option('--cluster <name>', 'only this cluster (default: every cluster of the config)')
    .option('--schedule <name>', 'judge against this schedule only (default: every enabled schedule)')
    .option(
      '--resolve',
      'list the databases of the FE that a schedule selects (the default; connects to the FE)',
    )
    .option('--no-resolve', 'judge only the databases of the catalog, without connecting to the FE')
    .option(
      '--grace <duration>',
      "grace after a slot's expected end, e.g. 3600, 90m, 2h (default: freshness.graceMinutes, else 1h)",
      parseDurationSeconds,
    )
    .option('--at <ISO-8601>', 'judge as of this time instead of now', parseInstant)
    .option(
      '--notify',
      'run the freshness check as deployed: incidents in the local DynamoDB, alerts to Slack (connects to the FE)',
    )
    .option('--json', 'print {evaluatedAt, allFresh, clusters, databases: [...]} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command
    .addHelpText('after', HELP)
    .action(async (options: StatusCommandOptions & { readonly notify?: boolean }) => {
      if (options.notify) {
        const { runStatusNotify } = await import('./status-notify.ts');
        await runAction((io) => runStatusNotify(options, io));
        return;
      }
      const { runStatusCommand } = await import('../inspect/status-command.ts');
      await runAction((io) => runStatusCommand(options, io));
    });
}
