import type { Command } from 'commander';
import type { DescribeCommandOptions } from '../inspect/describe-command.ts';
import { parseSince, positiveInteger } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
Every attempt of one database, newest slot first (or, with --run, every database of one run): its label, slot,
start, end and duration, outcome, StarRocks' error and the hint an alert gives for it, the run and attempt it
belongs to, and for a deployed execution its Step Functions console link. Reads the local catalog, or a deployed
stack's with --stack (or SR_BACKUP_STACK).

Exit status: 0 shown; 1 nothing recorded for it; 2 usage or configuration error.

Examples:
  $ sr-backup describe sales --config backup.yaml
  $ sr-backup describe sales --config backup.yaml --since 7d --json | jq '.attempts[] | select(.error)'
  $ sr-backup describe --run <runId> --config backup.yaml --stack StarRocksBackupScheduler`;

/** Adds `sr-backup describe`. */
export function registerDescribeCommand(program: Command): void {
  const command = configOption(
    program
      .command('describe')
      .argument('[database]', 'the database whose attempts to show')
      .description(
        'Each attempt of a database (or of a run): timings, outcome, error and hint, console link',
      ),
  )
    .option('--cluster <name>', 'the cluster (may be left out when the config has one)')
    .option('--run <runId>', 'show the attempts of this run instead (runId as snapshots --json prints it)')
    .option(
      '--since <time|duration>',
      'only slots at or after this time, or this long ago (7d, 36h)',
      parseSince,
    )
    .option('--limit <n>', 'at most this many attempts', positiveInteger(10_000), 20)
    .option('--json', 'print {attempts: [...]} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command
    .addHelpText('after', HELP)
    .action(async (database: string | undefined, options: Omit<DescribeCommandOptions, 'database'>) => {
      const { runDescribeCommand } = await import('../inspect/describe-command.ts');
      await runAction((io) =>
        runDescribeCommand({ ...options, ...(database === undefined ? {} : { database }) }, io),
      );
    });
}
