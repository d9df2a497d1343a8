import type { Command } from 'commander';
import type { RunsCommandOptions } from '../inspect/runs-command.ts';
import { parseSince, positiveInteger } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
The recent nightly runs, newest slot first: slot, schedule, outcome (FAILED when any database FAILED or TIMED_OUT),
how many databases ended FINISHED, FAILED, TIMED_OUT and SKIPPED, how long the run took, and its run id (pass it
to describe --run, logs or cancel). Reads the local catalog, or a deployed stack's with --stack (or
SR_BACKUP_STACK). A database retried within a run counts once, by its best attempt.

Exit status: 0 listed (also when the period has no run); 1 the deployed tables could not be read; 2 usage or
configuration error.

Examples:
  $ sr-backup runs --config backup.yaml
  $ sr-backup runs --config backup.yaml --cluster prod --since 30d --limit 10
  $ sr-backup runs --config backup.yaml --stack StarRocksBackupScheduler
  $ sr-backup runs --config backup.yaml --json | jq '.runs[] | select(.outcome == "FAILED") | .runId'`;

/** Adds `sr-backup runs`. */
export function registerRunsCommand(program: Command): void {
  const command = configOption(
    program.command('runs').description('Recent nightly runs with their outcome counts, newest first'),
  )
    .option('--cluster <name>', 'only this cluster (default: every cluster of the config)')
    .option(
      '--since <time|duration>',
      'only runs of slots at or after this time, or this long ago (default 7d)',
      parseSince,
    )
    .option('--limit <n>', 'at most this many runs', positiveInteger(10_000), 20)
    .option(
      '--json',
      'print {runs: [{runId, cluster, schedule, scheduledTime, counts, …}]} as JSON on stdout',
    );
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: RunsCommandOptions) => {
    const { runRunsCommand } = await import('../inspect/runs-command.ts');
    await runAction((io) => runRunsCommand(options, io));
  });
}
