/**
 * Where the lifecycle commands (`pause`, `resume`, `pin`, `unpin`, `prune`) read and write: the local store, or
 * the deployed tables with the user's AWS credentials; and how their errors are told.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Command, Option } from 'commander';
import type { Colors } from '../format/color.ts';
import { type CliError, type ExitCode, failure, usageError } from '../support/cli-error.ts';
import type { ErrorContext } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { reportError } from '../support/report.ts';
import { readStackOutputs, STACK_VARIABLE, stackNameOf } from '../support/stack-target.ts';
import { storeOptions } from './common.ts';

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
  /** A deployed stack whose outputs name the tables (`--stack`, or SR_BACKUP_STACK). */
  readonly stack?: string;
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

/**
 * Adds the local store options and the deployed ones: `--stack` (the tables from the stack's outputs), or
 * `--catalog-table` / `--locks-table` by name, and `--region`.
 */
export function lifecycleStoreOptions(command: Command, options: { locks: boolean }): Command {
  storeOptions(command)
    .addOption(
      new Option(
        '--stack <name>',
        `the deployed stack whose outputs name the tables (default $${STACK_VARIABLE}); uses your AWS credentials`,
      ).conflicts(['stateDir', 'dynamodbEndpoint']),
    )
    .addOption(
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

/** Whether these options name deployed tables (a stack or a catalog table, by flag or variable). */
export function targetsDeployed(options: LifecycleStoreOptions, env: NodeJS.ProcessEnv): boolean {
  if (options.stateDir !== undefined || options.dynamodbEndpoint !== undefined) return false;
  const named = (value: string | undefined) => value !== undefined && value.trim() !== '';
  return (
    named(options.catalogTable) ||
    stackNameOf(options, env) !== undefined ||
    named(env[CATALOG_TABLE_VARIABLE])
  );
}

/**
 * Opens the deployed tables when a catalog table is named (flag or variable, unless a local store is asked for
 * explicitly), else the local store under --state-dir / --dynamodb-endpoint (created when missing).
 */
export async function openLifecycleTables(
  options: LifecycleStoreOptions,
  io: CommandIo,
  needs: { locks: boolean; readOnly?: boolean },
): Promise<LifecycleTables> {
  const localAsked = options.stateDir !== undefined || options.dynamodbEndpoint !== undefined;
  const stackName = localAsked ? undefined : stackNameOf(options, io.env);
  const stack = stackName === undefined ? undefined : await readStackOutputs(stackName, options.region);
  const catalogTable =
    options.catalogTable ??
    stack?.catalogTableName ??
    (localAsked ? undefined : io.env[CATALOG_TABLE_VARIABLE]);
  if (catalogTable !== undefined && catalogTable !== '') {
    const locksTable = options.locksTable ?? stack?.locksTableName ?? io.env[LOCKS_TABLE_VARIABLE];
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
    const region = options.region ?? stack?.region;
    const raw = new DynamoDBClient(region === undefined ? {} : { region });
    const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    const resolvedRegion = await raw.config.region().catch(() => undefined);
    return {
      client,
      catalogTableName: catalogTable,
      locksTableName: needs.locks ? locksTable : undefined,
      description: `${stack ? `stack ${stack.stackName}: ` : ''}DynamoDB table ${catalogTable}${resolvedRegion ? ` (${resolvedRegion})` : ''}`,
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
  const store = await openLocalStore(storeLocation(options), { shareWithRunning: needs.readOnly === true });
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
    readonly cluster?: LifecycleFrontEnd | undefined;
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

/** The FE a lifecycle command talks to, named by its error explanations (connection and login errors). */
export type LifecycleFrontEnd = NonNullable<ErrorContext['cluster']>;

/** What a lifecycle command's body gets from {@link runLifecycleCommand}. */
export interface LifecycleSession {
  readonly colors: { readonly out: Colors; readonly err: Colors };
  /** Opens the tables (once the command's own checks have passed); they are closed when the command ends. */
  open(needs: { locks: boolean; readOnly?: boolean }): Promise<LifecycleTables>;
  /** The FE the command is talking to now, for the error explanation; undefined while it talks to none. */
  frontEnd: LifecycleFrontEnd | undefined;
}

/**
 * Runs the body of a lifecycle command: any error it throws is explained and printed (see
 * {@link reportLifecycleError}) and becomes the exit status, and the tables it opened are closed either way.
 */
export async function runLifecycleCommand(
  options: LifecycleStoreOptions & { readonly config: string; readonly verbose?: boolean },
  io: CommandIo,
  body: (session: LifecycleSession) => Promise<ExitCode>,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  let tables: LifecycleTables | undefined;
  const session: LifecycleSession = {
    colors,
    async open(needs) {
      tables = await openLifecycleTables(options, io, needs);
      return tables;
    },
    frontEnd: undefined,
  };
  try {
    return await body(session);
  } catch (error) {
    return reportLifecycleError(error, {
      io,
      colors: colors.err,
      options,
      catalogTable: tables?.catalogTableName,
      cluster: session.frontEnd,
    });
  } finally {
    await tables?.close();
  }
}
