import type { Command } from 'commander';
import type { SnapshotsCommandOptions } from '../inspect/snapshots-command.ts';
import { collectNames, positiveInteger } from '../support/option-parsers.ts';
import { configOption, runAction, storeOptions, verboseOption } from './common.ts';

const HELP = `
Lists the local snapshot catalog (what \`sr-backup run\` recorded): one row per backup attempt, newest slot first,
with its state (FINISHED, FAILED, TIMED_OUT, SKIPPED), label, duration, size and reason.

Examples:
  $ sr-backup snapshots --config backup.yaml
  $ sr-backup snapshots --config backup.yaml --cluster prod --database sales --limit 10
  $ sr-backup snapshots --config backup.yaml --json | jq '.snapshots[] | select(.state == "FINISHED")'`;

/** Adds `sr-backup snapshots`. */
export function registerSnapshotsCommand(program: Command): void {
  const command = configOption(
    program.command('snapshots').description('List the snapshot catalog, newest first'),
  )
    .option('--cluster <name>', 'only this cluster (default: every cluster of the config)')
    .option('--database <db>', 'only this database (repeatable)', collectNames)
    .option(
      '--limit <n>',
      'at most this many entries per cluster (and database)',
      positiveInteger(100_000),
      50,
    )
    .option('--json', 'print {snapshots: [...]} as JSON on stdout');
  storeOptions(command);
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: SnapshotsCommandOptions) => {
    const { runSnapshotsCommand } = await import('../inspect/snapshots-command.ts');
    await runAction((io) => runSnapshotsCommand(options, io));
  });
}
