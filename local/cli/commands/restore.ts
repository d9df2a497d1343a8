import { type Command, Option } from 'commander';
import type { RestoreCommandOptions } from '../restore/restore-command.ts';
import { collectTables, parseDurationSeconds, parseInstant } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
Without --execute: prints the RESTORE statement for the chosen snapshot (--snapshot <label>; --before <time>: the
newest verified snapshot captured at or before that time; default: the latest verified snapshot of the database
in the local catalog) with its StarRocks timestamp, and changes nothing.

With --execute: runs it against the FE, taking one of the cluster's backup slots and the lock of the target
database (so no backup or drill of it runs meanwhile, and retention keeps the snapshot), polls SHOW RESTORE
with the backups' poll policy until it finishes (or cancels it at --timeout), then checks the restored tables.

A restore never writes into an existing database: restore under a new name with --as, or drop the old
database first. With --table it restores only those tables (a dropped table back into its database, or a copy
under a new name: --table orders:orders_before) and may use an existing database, never an existing table.

Against a deployed stack (--stack <name> or SR_BACKUP_STACK): the snapshot is chosen from the deployed catalog
and printed; --execute starts the stack's Restore state machine with that label and follows it to its end. Its
Lambdas, inside the FE's network, refuse an existing target, take the slot and lock, run, poll and check the
RESTORE exactly as above, and remove only an empty database they created when it fails. Ctrl-C stops the
execution (the stack then cancels its RESTORE job and frees the lock). --to-cluster runs locally only.

--to-cluster restores a snapshot recorded for --cluster into another configured cluster (the disaster-recovery
path): that cluster's FE runs the RESTORE from its own repository, which must point at the same location (SHOW
SNAPSHOT there must list the snapshot with the recorded timestamp; it is checked first). The FE password comes from STARROCKS_PASSWORD_<CLUSTER> or STARROCKS_PASSWORD.

Exit status: 0 printed, or restored and checked; 1 the restore failed or timed out, the catalog holds no
verified snapshot of the database, or the FE is unreachable; 2 usage or configuration error, an unknown or
unverified --snapshot, or a target database (with --table: a table) that exists (with --execute); 130 stopped by
Ctrl-C (the RESTORE job cancelled first).

Examples:
  $ sr-backup restore --config backup.yaml --cluster prod --database sales
  $ sr-backup restore --config backup.yaml --database sales --snapshot nightly_sales_20261124T1800Z_3f9a1c0b2d4e
  $ sr-backup restore --config backup.yaml --database sales --as sales_restored --execute
  $ sr-backup restore --config backup.yaml --database sales --before 2026-11-24T09:00:00Z --as sales_before_load
  $ sr-backup restore --config backup.yaml --database sales --table orders:orders_restored --execute
  $ sr-backup restore --config backup.yaml --cluster prod --database sales --to-cluster dr --execute
  $ sr-backup restore --config backup.yaml --database sales --as sales_restored --execute --json > restore.json
  $ sr-backup restore --config backup.yaml --stack SrBackup --database sales --as sales_restored --execute`;

/** Adds `sr-backup restore`. */
export function registerRestoreCommand(program: Command): void {
  const command = configOption(
    program
      .command('restore')
      .description('Print (or with --execute run) the RESTORE of a verified snapshot from the catalog'),
  )
    .option('--cluster <name>', 'the cluster (may be left out when the config has one)')
    .requiredOption('--database <db>', 'the database whose snapshot to restore')
    .option(
      '--snapshot <label>',
      'the snapshot label (default: the latest verified snapshot of the database)',
    )
    .addOption(
      new Option(
        '--before <ISO-8601>',
        'the newest verified snapshot captured at or before this time (before a bad load, a dropped table)',
      )
        .argParser(parseInstant)
        .conflicts('snapshot'),
    )
    .option(
      '--table <name[:new_name]>',
      'only this table (repeatable), under a new name after a colon; the target database may exist, the tables must not',
      collectTables,
    )
    .option('--as <db>', 'restore into this new database instead of the original name')
    .option(
      '--to-cluster <name>',
      'restore into this other configured cluster (disaster recovery): its repository must hold the snapshot',
    )
    .option('--execute', 'run the restore (without it nothing is changed)')
    .option(
      '--timeout <duration>',
      "our deadline for the restore (3600, 90m, 6h; default: the cluster's timeoutSeconds)",
      parseDurationSeconds,
    )
    .option('--json', 'print one JSON document on stdout (progress and logs go to stderr)');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: RestoreCommandOptions) => {
    const { runRestoreCommand } = await import('../restore/restore-command.ts');
    await runAction((io) => runRestoreCommand(options, io));
  });
}
