/**
 * `sr-backup pause`: a pause with a reason, kept in the catalog table. Every run checks it first, so the schedule
 * itself stays enabled and a `cdk deploy` cannot undo a pause.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Pause, PauseStore } from '#domain/pause/index.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode, usageError } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { parseInstant } from '../support/option-parsers.ts';
import { selectCluster, selectClusters, selectSchedule } from '../support/selection.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import {
  CATALOG_TABLE_VARIABLE,
  type LifecycleStoreOptions,
  type LifecycleTables,
  lifecycleStoreOptions,
  runLifecycleCommand,
} from './lifecycle-tables.ts';

/** Options of `sr-backup pause`. */
export interface PauseCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly schedule?: string;
  readonly reason?: string;
  readonly until?: Date;
  readonly by?: string;
  readonly list?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** `cluster prod (every schedule)` / `schedule nightly of cluster prod`. */
export function describeScope(pause: Pick<Pause, 'cluster' | 'schedule'>): string {
  return pause.schedule === null
    ? `cluster ${pause.cluster} (every schedule)`
    : `schedule ${pause.schedule} of cluster ${pause.cluster}`;
}

/** One line per pause: scope, reason, since, until, by. */
export function formatPause(pause: Pause): string {
  const until = pause.until === null ? 'until resumed' : `until ${formatUtc(pause.until)}`;
  return `${describeScope(pause)}: "${pause.reason}" (since ${formatUtc(pause.since)}, ${until}${pause.by === null ? '' : `, by ${pause.by}`})`;
}

/** Who pauses, when --by is left out: the local user name. */
function defaultAuthor(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.USER ?? env.USERNAME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** The pause store on the lifecycle tables (pauses live in the catalog table). */
export async function openPauseStore(tables: LifecycleTables, io: CommandIo): Promise<PauseStore> {
  const { createPauseStore } = await import('#domain/pause/index.ts');
  return createPauseStore({ client: tables.client, tableName: tables.catalogTableName, clock: io.clock });
}

/** Runs `sr-backup pause`; resolves with the exit status. */
export function runPauseCommand(options: PauseCommandOptions, io: CommandIo): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async ({ colors, open }) => {
    const { loadConfigFile } = await import('#local/config/load.ts');
    const config = await loadConfigFile(options.config);
    if (options.list) {
      const clusters = selectClusters(config, options.cluster, options.config);
      const tables = await open({ locks: false });
      const store = await openPauseStore(tables, io);
      const pauses: Pause[] = [];
      for (const { cluster } of clusters) pauses.push(...(await store.listPauses(cluster.name)));
      if (options.json) io.stdout.write(`${JSON.stringify({ pauses }, null, 2)}\n`);
      else if (pauses.length === 0) io.stdout.write(`Nothing is paused (${tables.description}).\n`);
      else for (const pause of pauses) io.stdout.write(`paused: ${formatPause(pause)}\n`);
      return EXIT.ok;
    }
    const selected = selectCluster(config, options.cluster, options.config);
    const schedule =
      options.schedule === undefined ? undefined : selectSchedule(selected, options.schedule).name;
    if (options.reason === undefined || options.reason.trim() === '') {
      throw usageError('--reason is required: say why backups are paused', {
        hint: 'e.g. --reason "FE upgrade to 3.4, CHG-1234"; the freshness checker reports it with every late database',
      });
    }
    const tables = await open({ locks: false });
    const store = await openPauseStore(tables, io);
    const pause = await store.pause({
      cluster: selected.cluster.name,
      schedule,
      reason: options.reason,
      until: options.until?.toISOString(),
      by: options.by ?? defaultAuthor(io.env),
    });
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ pause }, null, 2)}\n`);
    } else {
      io.stdout.write(`${colors.out.yellow('Paused')} ${formatPause(pause)}.\n`);
      io.stdout.write(
        colors.out.dim(
          `Runs of it end at their start without backing up (the schedule stays enabled). Stored in ${tables.description}.\n` +
            `Resume with: sr-backup resume --config ${options.config} --cluster ${pause.cluster}${pause.schedule === null ? '' : ` --schedule ${pause.schedule}`}\n`,
        ),
      );
    }
    return EXIT.ok;
  });
}

const HELP = `
Pauses the backups of a cluster (every schedule) or of one schedule, with a reason. Every run checks for a pause
at its start and ends there, successfully and without an alert; the schedule itself stays enabled, so the next
\`cdk deploy\` cannot undo a pause. The freshness checker reports paused databases as late, with the reason.

Locally the pause is kept in the local store (--state-dir, default .sr-backup/). For the deployed scheduler pass
the catalog table (stack output CatalogTableName) with --catalog-table or ${CATALOG_TABLE_VARIABLE}; your AWS
credentials are used.

Examples:
  $ sr-backup pause --config backup.yaml --cluster prod --reason "FE upgrade to 3.4, CHG-1234"
  $ sr-backup pause --config backup.yaml --cluster prod --schedule nightly --reason "bucket migration" --until 2026-12-01T08:00:00Z
  $ sr-backup pause --config backup.yaml --list
  $ ${CATALOG_TABLE_VARIABLE}=sr-backup-CatalogTable… sr-backup pause --config backup.yaml --cluster prod --reason "…"`;

/** Adds `sr-backup pause`. */
export function registerPauseCommand(program: Command): void {
  const command = configOption(
    program.command('pause').description('Pause the backups of a cluster or schedule, with a reason'),
  )
    .option('--cluster <name>', 'cluster to pause (may be left out when the config has one)')
    .option('--schedule <name>', 'only this schedule (default: every schedule of the cluster)')
    .option('--reason <text>', 'why (required; shown by the freshness checker and `status`)')
    .option(
      '--until <ISO-8601>',
      'the pause ends by itself at this time (default: until resumed)',
      parseInstant,
    )
    .option('--by <name>', 'who pauses (default: your user name)')
    .option('--list', 'list the active pauses instead (every cluster, or --cluster)')
    .option('--json', 'print {pause} (or {pauses} with --list) as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: PauseCommandOptions) => {
    await runAction((io) => runPauseCommand(options, io));
  });
}
