/** `sr-backup pin` / `unpin`: retention never removes a pinned snapshot. */
import type { Command } from 'commander';
import { databasePartOfLabel } from '#domain/starrocks/index.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode, failure, usageError } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { selectCluster } from '../support/selection.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import {
  CATALOG_TABLE_VARIABLE,
  type LifecycleStoreOptions,
  lifecycleStoreOptions,
  runLifecycleCommand,
} from './lifecycle-tables.ts';

/** Options of `sr-backup pin` and `unpin`. */
export interface PinCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  /** The snapshot's database; found from the label when left out. */
  readonly database?: string;
  readonly snapshot: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Sets (`pinned`) or clears the pin of one catalog snapshot; resolves with the exit status. */
export function runPinCommand(options: PinCommandOptions, io: CommandIo, pinned: boolean): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async ({ colors, open }) => {
    const [{ loadConfigFile }, { createCatalogStore }] = await Promise.all([
      import('#local/config/load.ts'),
      import('#domain/catalog/index.ts'),
    ]);
    const config = await loadConfigFile(options.config);
    const selected = selectCluster(config, options.cluster, options.config).cluster;
    const cluster = selected.name;
    const tables = await open({ locks: false });
    const catalog = createCatalogStore({
      client: tables.client,
      tableName: tables.catalogTableName,
      clock: io.clock,
    });
    const database =
      options.database ??
      databasePartOfLabel(
        options.snapshot,
        selected.schedules.map((schedule) => schedule.name),
      );
    if (database === undefined) {
      throw usageError(`cannot tell the database from the label ${options.snapshot}`, {
        hint: 'pass --database <db> (`sr-backup snapshots --json` lists each snapshot with its database)',
      });
    }
    const ref = { cluster, database, label: options.snapshot };
    const known = await catalog.findSnapshot(ref);
    if (options.database === undefined && known.length === 0) {
      throw usageError(
        `the catalog has no snapshot ${options.snapshot} of a database ${database} on cluster ${cluster}`,
        {
          hint: 'pass --database <db>: the label shortens long or unusual database names',
        },
      );
    }
    const pruned = known.find((item) => item.prunedAt !== undefined);
    if (pinned && pruned !== undefined) {
      throw failure(
        `snapshot ${options.snapshot} of ${database} was pruned at ${formatUtc(pruned.prunedAt as string)}: nothing is left to keep`,
        {
          hint: `\`sr-backup snapshots --config ${options.config} --database ${database}\` lists the snapshots`,
        },
      );
    }
    const items = await catalog.setPinned({ ...ref, pinned });
    const verified = items.some((item) => item.state === 'FINISHED' && item.verified);
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ cluster, database: database, snapshot: options.snapshot, pinned, verified }, null, 2)}\n`,
      );
    } else if (pinned) {
      io.stdout.write(
        `${colors.out.green('Pinned')} ${database}/${options.snapshot} (cluster ${cluster}): retention keeps it until \`sr-backup unpin\`.\n`,
      );
      if (!verified) {
        io.stdout.write(
          colors.out.yellow(
            'note: the catalog holds no verified snapshot under this label (pruning never removes those anyway).\n',
          ),
        );
      }
    } else {
      io.stdout.write(
        `${colors.out.green('Unpinned')} ${database}/${options.snapshot} (cluster ${cluster}): retention applies to it again.\n`,
      );
    }
    return EXIT.ok;
  });
}

/** Adds the options `pin` and `unpin` share. */
export function pinOptions(command: Command): Command {
  configOption(command)
    .option('--cluster <name>', 'cluster (may be left out when the config has one)')
    .option('--database <db>', 'database of the snapshot (default: read from the label)')
    .requiredOption('--snapshot <label>', 'snapshot label (as `sr-backup snapshots` lists it)')
    .option('--json', 'print {cluster, database, snapshot, pinned, verified} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  return verboseOption(command);
}

const HELP = `
Pins a snapshot in the catalog: retention (the prune after each nightly run, and \`sr-backup prune\`) never removes
it. Deployed: pass --catalog-table (stack output CatalogTableName) or set ${CATALOG_TABLE_VARIABLE}.

Examples:
  $ sr-backup pin --config backup.yaml --cluster prod --snapshot nightly_sales_20261124T1800Z_3f9a1c0b2d4e
  $ sr-backup pin --config backup.yaml --cluster prod --database sales --snapshot nightly_sales_20261124T1800Z_3f9a1c0b2d4e`;

/** Adds `sr-backup pin`. */
export function registerPinCommand(program: Command): void {
  const command = pinOptions(
    program.command('pin').description('Keep a snapshot whatever the retention policy says'),
  );
  command.addHelpText('after', HELP).action(async (options: PinCommandOptions) => {
    await runAction((io) => runPinCommand(options, io, true));
  });
}
