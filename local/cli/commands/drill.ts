import type { Command } from 'commander';
import type { DrillCommandOptions } from '../drill/drill-command.ts';
import { parseInstant } from '../support/option-parsers.ts';
import { configOption, runAction, storeOptions, verboseOption } from './common.ts';

const HELP = `
Restores the latest verified snapshot of the cluster's drill.database (from the local catalog) into a scratch
database <drill.scratchPrefix><database>_<yyyyMMddHHmm>, checks that the tables of the snapshot are there with
their rows, records the drill in the catalog (with the measured restore time), drops the scratch database on
every path, and alerts (Slack, or printed here) when the restore could not be proven. It runs the RestoreDrill
state machine that is deployed, in this process; the drill takes one of the cluster's backup slots.

Exit status: 0 the drill passed (or was skipped: another run of the same slot holds the scratch database);
1 it failed or timed out; 2 usage or configuration error (including a cluster without drill settings).

Examples:
  $ sr-backup drill --config backup.yaml --cluster prod
  $ sr-backup drill --config backup.yaml --cluster prod --json | jq .drill`;

/** Adds `sr-backup drill`. */
export function registerDrillCommand(program: Command): void {
  const command = configOption(
    program.command('drill').description('Run a restore drill now, locally: restore, check, record, drop'),
  )
    .option('--cluster <name>', 'the cluster (may be left out when the config has one)')
    .option(
      '--scheduled-time <ISO-8601>',
      "the drill's slot, which names the scratch database (default: now)",
      parseInstant,
    )
    .option('--json', 'print one JSON document on stdout (progress and logs go to stderr)');
  storeOptions(command);
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: DrillCommandOptions) => {
    const { runDrillCommand } = await import('../drill/drill-command.ts');
    await runAction((io) => runDrillCommand(options, io));
  });
}
