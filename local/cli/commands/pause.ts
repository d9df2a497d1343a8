/**
 * `sr-backup pause` (and the table access `resume`, `pin`, `unpin` and `prune` share): a pause with a reason, kept
 * in the catalog table. Every run checks it first, so the schedule itself stays enabled and a `cdk deploy`
 * cannot undo a pause.
 */
import { userInfo } from 'node:os';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Command, Option } from 'commander';
import type { Pause } from '../../../lambdas/pause/index.ts';
import type { Colors } from '../format/color.ts';
import { formatUtc } from '../format/time.ts';
import { type CliError, EXIT, type ExitCode, failure, usageError } from '../support/cli-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { parseInstant } from '../support/option-parsers.ts';
import { reportError } from '../support/report.ts';
import { selectCluster, selectClusters, selectSchedule } from '../support/selection.ts';
import { configOption, runAction, storeOptions, verboseOption } from './common.ts';

/** Deployed tables: from the stack outputs `CatalogTableName` and `LocksTableName`, by flag or variable. */
export const CATALOG_TABLE_VARIABLE = 'SR_BACKUP_CATALOG_TABLE';
export const LOCKS_TABLE_VARIABLE = 'SR_BACKUP_LOCKS_TABLE';

/** Where a lifecycle command reads and writes: the local store or the deployed tables. */
export interface LifecycleStoreOptions {
  readonly stateDir?: string;
  readonly dynamodbEndpoint?: string;
  readonly catalogTable?: string;
  readonly locksTable?: string;
  readonly region?: string;
}

/** Open tables of a lifecycle command. */
export interface LifecycleTables {
  readonly client: DynamoDBDocumentClient;
  readonly catalogTableName: string;
  readonly locksTableName: string | undefined;
  /** `.sr-backup/`, `http://…`, or `DynamoDB table <name> (eu-west-1)`. */
  readonly description: string;
  readonly deployed: boolean;
  close(): Promise<void>;
}

/** Adds the local store options and the deployed-table options (`--catalog-table`, `--locks-table`, `--region`). */
export function lifecycleStoreOptions(command: Command, options: { locks: boolean }): Command {
  storeOptions(command).addOption(
    new Option(
      '--catalog-table <name>',
      `the deployed catalog table (stack output CatalogTableName; default $${CATALOG_TABLE_VARIABLE}); uses your AWS credentials`,
    ).conflicts(['stateDir', 'dynamodbEndpoint']),
  );
  if (options.locks) {
    command.option(
      '--locks-table <name>',
      `the deployed locks table (stack output LocksTableName; default $${LOCKS_TABLE_VARIABLE})`,
    );
  }
  return command.option(
    '--region <region>',
    'AWS region of the deployed tables (default: your AWS configuration)',
  );
}

/**
 * Opens the deployed tables when a catalog table is named (flag or variable, unless a local store is asked for
 * explicitly), else the local store under --state-dir / --dynamodb-endpoint (created when missing).
 */
export async function openLifecycleTables(
  options: LifecycleStoreOptions,
  io: CommandIo,
  needs: { locks: boolean },
): Promise<LifecycleTables> {
  const localAsked = options.stateDir !== undefined || options.dynamodbEndpoint !== undefined;
  const catalogTable = options.catalogTable ?? (localAsked ? undefined : io.env[CATALOG_TABLE_VARIABLE]);
  if (catalogTable !== undefined && catalogTable !== '') {
    const locksTable = options.locksTable ?? io.env[LOCKS_TABLE_VARIABLE];
    if (needs.locks && (locksTable === undefined || locksTable === '')) {
      throw usageError(
        'the deployed locks table is needed too (a restore or drill in progress holds a lock there)',
        {
          hint: `pass --locks-table <stack output LocksTableName> or set ${LOCKS_TABLE_VARIABLE}`,
        },
      );
    }
    const [{ DynamoDBClient }, { DynamoDBDocumentClient }] = await Promise.all([
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/lib-dynamodb'),
    ]);
    const raw = new DynamoDBClient(options.region === undefined ? {} : { region: options.region });
    const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    const region = await raw.config.region().catch(() => undefined);
    return {
      client,
      catalogTableName: catalogTable,
      locksTableName: needs.locks ? locksTable : undefined,
      description: `DynamoDB table ${catalogTable}${region ? ` (${region})` : ''}`,
      deployed: true,
      async close() {
        client.destroy();
      },
    };
  }
  const [{ isolateFromAwsSettings }, { openLocalStore, storeLocation }] = await Promise.all([
    import('../support/aws-isolation.ts'),
    import('../support/local-store.ts'),
  ]);
  isolateFromAwsSettings(io.env);
  const store = await openLocalStore(storeLocation(options));
  return {
    client: store.client,
    catalogTableName: store.tables.catalogTableName,
    locksTableName: store.tables.locksTableName,
    description: store.description,
    deployed: false,
    close: () => store.close(),
  };
}

/** AWS SDK errors of the deployed mode, told plainly (no request ids, no credentials). */
export function explainAwsTableError(
  error: unknown,
  tables: { catalog?: string | undefined },
): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'CredentialsProviderError':
      return failure('no AWS credentials found to reach the deployed tables', {
        hint: 'configure credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
        cause: error,
      });
    case 'ResourceNotFoundException':
      return failure(
        `the deployed table ${tables.catalog ?? ''} does not exist in this account and region`.trim(),
        {
          hint: 'use the stack outputs CatalogTableName / LocksTableName, and the region of the stack (--region)',
          cause: error,
        },
      );
    case 'AccessDeniedException':
      return failure(`not allowed to use the deployed tables: ${error.message}`, {
        hint: "the stack's managed policy …PauseOperator… grants what pause and resume need; pin, unpin and prune need the catalog (and locks) table",
        cause: error,
      });
    default:
      if (error.message.includes('Region is missing')) {
        return usageError('no AWS region for the deployed tables', {
          hint: 'pass --region <region> or set AWS_REGION',
          cause: error,
        });
      }
      return undefined;
  }
}

/**
 * Explains and prints a lifecycle command's error (AWS table errors first, then the CLI's usual explanations);
 * resolves with the exit status.
 */
export async function reportLifecycleError(
  error: unknown,
  context: {
    readonly io: CommandIo;
    readonly colors: Colors;
    readonly options: LifecycleStoreOptions & { readonly config: string; readonly verbose?: boolean };
    readonly catalogTable?: string | undefined;
    readonly cluster?: { name: string; host: string; port: number; user: string; index?: number } | undefined;
  },
): Promise<ExitCode> {
  const { explainError } = await import('../support/explain-error.ts');
  const { options } = context;
  const explained =
    explainAwsTableError(error, { catalog: context.catalogTable ?? options.catalogTable }) ??
    explainError(error, {
      configPath: options.config,
      dynamodbEndpoint: options.dynamodbEndpoint,
      ...(context.cluster === undefined ? {} : { cluster: context.cluster }),
    });
  reportError(explained, {
    stderr: context.io.stderr,
    colors: context.colors,
    verbose: options.verbose === true,
  });
  return explained.exitCode;
}

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

/** Runs `sr-backup pause`; resolves with the exit status. */
export async function runPauseCommand(options: PauseCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  let tables: LifecycleTables | undefined;
  try {
    const [{ loadConfigFile }, { createPauseStore }] = await Promise.all([
      import('../../../lambdas/shared/config/load.ts'),
      import('../../../lambdas/pause/index.ts'),
    ]);
    const config = await loadConfigFile(options.config);
    if (options.list) {
      const clusters = selectClusters(config, options.cluster, options.config);
      tables = await openLifecycleTables(options, io, { locks: false });
      const store = createPauseStore({
        client: tables.client,
        tableName: tables.catalogTableName,
        clock: io.clock,
      });
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
    tables = await openLifecycleTables(options, io, { locks: false });
    const store = createPauseStore({
      client: tables.client,
      tableName: tables.catalogTableName,
      clock: io.clock,
    });
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
  } catch (error) {
    return reportLifecycleError(error, {
      io,
      colors: colors.err,
      options,
      catalogTable: tables?.catalogTableName,
    });
  } finally {
    await tables?.close();
  }
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
