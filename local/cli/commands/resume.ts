/** `sr-backup resume`: lifts a pause set with `sr-backup pause`. */
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { selectCluster, selectSchedule } from '../support/selection.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import {
  CATALOG_TABLE_VARIABLE,
  type LifecycleStoreOptions,
  lifecycleStoreOptions,
  runLifecycleCommand,
} from './lifecycle-tables.ts';
import { describeScope, formatPause, openPauseStore } from './pause.ts';

/** Options of `sr-backup resume`. */
export interface ResumeCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly schedule?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Runs `sr-backup resume`; resolves with the exit status. */
export function runResumeCommand(options: ResumeCommandOptions, io: CommandIo): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async ({ colors, open }) => {
    const { loadConfigFile } = await import('#local/config/load.ts');
    const config = await loadConfigFile(options.config);
    const selected = selectCluster(config, options.cluster, options.config);
    const schedule =
      options.schedule === undefined ? undefined : selectSchedule(selected, options.schedule).name;
    const store = await openPauseStore(await open({ locks: false }), io);
    const cluster = selected.cluster.name;
    const resumed = await store.resume({ cluster, schedule });
    const stillPaused = await store.listPauses(cluster);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ resumed, stillPaused }, null, 2)}\n`);
    } else {
      const scope = describeScope({ cluster, schedule: schedule ?? null });
      io.stdout.write(resumed ? `${colors.out.green('Resumed')} ${scope}.\n` : `${scope} was not paused.\n`);
      for (const pause of stillPaused) io.stdout.write(`still paused: ${formatPause(pause)}\n`);
    }
    return EXIT.ok;
  });
}

const HELP = `
Lifts the pause of a cluster (without --schedule) or of one schedule; the next run backs up again. Pauses of the
other scope stay and are listed. Deployed: pass --catalog-table (stack output CatalogTableName) or set
${CATALOG_TABLE_VARIABLE}.

Examples:
  $ sr-backup resume --config backup.yaml --cluster prod
  $ sr-backup resume --config backup.yaml --cluster prod --schedule nightly`;

/** Adds `sr-backup resume`. */
export function registerResumeCommand(program: Command): void {
  const command = configOption(program.command('resume').description('Lift a pause of a cluster or schedule'))
    .option('--cluster <name>', 'cluster to resume (may be left out when the config has one)')
    .option('--schedule <name>', "only this schedule's pause (default: the cluster-wide pause)")
    .option('--json', 'print {resumed, stillPaused} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: ResumeCommandOptions) => {
    await runAction((io) => runResumeCommand(options, io));
  });
}
