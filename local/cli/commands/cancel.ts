import type { Command } from 'commander';
import type { CancelCommandOptions } from '../cancel/cancel-command.ts';
import { positiveInteger } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
Stops a run (its id as runs, run --json and start print it), or the backup of one database (the execution that
holds its lock), where it runs:
  deployed (an execution ARN, or --database with --stack / SR_BACKUP_STACK): StopExecution. Step Functions stops
    the executions the run started, and the stack's SettleExecution cancels their BACKUP jobs on the FE (CANCEL
    BACKUP), records them in the catalog and releases their locks and slots.
  local (a run id of a local run, or --database on the local store): sends Ctrl-C (SIGINT) to the sr-backup run
    that holds it, which cancels the BACKUP jobs it submitted, records them, releases its leases and exits 130;
    waits for it to end (--wait-seconds). A local run stops as a whole, also with --database.

Exit status: 0 stopped; 1 nothing to cancel (the run has ended, no backup of that database holds its lock), the
local run did not end in time, or AWS refused; 2 usage or configuration error.

Examples:
  $ sr-backup cancel arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:manual-prod-nightly-20261124T1800Z-3f9a1c --config backup.yaml
  $ sr-backup cancel --database sales --config backup.yaml --cluster prod --stack StarRocksBackupScheduler
  $ sr-backup cancel --database sales --config backup.yaml        # the local run backing up sales`;

/** Adds `sr-backup cancel`. */
export function registerCancelCommand(program: Command): void {
  const command = configOption(
    program
      .command('cancel')
      .argument('[runId]', 'the run to stop (an execution ARN, as `sr-backup runs --json` prints runId)')
      .description(
        'Stop a run or one database’s backup: cancel its BACKUP jobs, record them, release leases',
      ),
  )
    .option('--database <db>', 'stop the backup of this database instead (the execution holding its lock)')
    .option('--cluster <name>', 'the cluster (may be left out when the config has one)')
    .option(
      '--wait-seconds <n>',
      'locally: how long to wait for the run to end',
      positiveInteger(86_400),
      120,
    )
    .option('--json', 'print {target, executionArn, database, pid, stopped} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: true });
  verboseOption(command);
  command
    .addHelpText('after', HELP)
    .action(async (run: string | undefined, options: Omit<CancelCommandOptions, 'run'>) => {
      const { runCancelCommand } = await import('../cancel/cancel-command.ts');
      await runAction((io) => runCancelCommand({ ...options, ...(run === undefined ? {} : { run }) }, io));
    });
}
