/**
 * Turns whatever a command ran into (typed errors of the scheduler, SDK and socket errors) into one clear sentence
 * and a hint, with the exit status the contract gives it. Messages name hosts, ports, users, variables and field
 * paths, never a password or a webhook URL.
 */
import {
  BackupSchedulerError,
  ConfigError,
  StarRocksAccessDeniedError,
  StarRocksAuthError,
  StarRocksTimeoutError,
  StarRocksUnavailableError,
  UnknownDatabaseError,
} from '#domain/errors.ts';
import { StateDirBusyError, TableSchemaMismatchError } from '#local/dynamo/index.ts';
import { starRocksPasswordVariable } from '#local/runtime/env-secrets.ts';
import { CliError, failure, usageError } from './cli-error.ts';
import type { SelectedCluster } from './selection.ts';

/** What the command was doing, so the sentence and hint can be specific. */
export interface ErrorContext {
  readonly configPath?: string | undefined;
  readonly cluster?:
    | {
        readonly name: string;
        readonly host: string;
        readonly port: number;
        readonly user: string;
        /** Index in the config's `clusters` list, for field paths in hints. */
        readonly index?: number | undefined;
      }
    | undefined;
  readonly dynamodbEndpoint?: string | undefined;
  /** The command is `validate` itself (do not suggest running it). */
  readonly validating?: boolean | undefined;
}

/** The cluster as an {@link ErrorContext} names it: where its FE is, and its place in the file. */
export function clusterContext(selected: SelectedCluster): NonNullable<ErrorContext['cluster']> {
  const { cluster, index } = selected;
  return { name: cluster.name, host: cluster.host, port: cluster.port, user: cluster.user, index };
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset',
  PROTOCOL_CONNECTION_LOST: 'the connection was lost',
};

/** The first `code` found along the cause chain (mysql2 and Node socket errors carry one). */
export function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

function networkReason(error: unknown): string {
  const code = errorCode(error);
  if (code === undefined) return 'the connection failed';
  return NETWORK_REASONS[code] ?? code;
}

function clusterFields(context: ErrorContext): string {
  const index = context.cluster?.index;
  const prefix = index === undefined ? 'clusters[…]' : `clusters[${index}]`;
  return `${prefix}.host and ${prefix}.port${context.configPath ? ` in ${context.configPath}` : ''}`;
}

function configError(error: ConfigError, context: ErrorContext): CliError {
  const [title = error.message, ...rest] = error.message.split('\n');
  const details =
    rest.length > 0 ? rest.map((line) => line.trim()) : error.issues.map((issue) => `- ${issue}`);
  const fileProblem = error.message.startsWith('Configuration file');
  const hint = fileProblem
    ? 'check the path given to --config (YAML or JSON; backup.config.example.yaml is a starting point)'
    : context.configPath && !context.validating
      ? `fix the fields named above; \`sr-backup validate --config ${context.configPath}\` checks the file without running anything`
      : 'fix the fields named above (docs/configuration.md describes every field)';
  return usageError(title.replace(/:$/, ''), {
    hint,
    details: title === error.message && rest.length === 0 && error.issues.length <= 1 ? [] : details,
    cause: error,
  });
}

function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && code in NETWORK_REASONS;
}

/** Explains `error` as a {@link CliError} (returned as is when it already is one). */
export function explainError(error: unknown, context: ErrorContext = {}): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ConfigError) return configError(error, context);
  if (error instanceof StateDirBusyError) {
    return usageError(`another sr-backup command is using the state directory ${error.stateDir} right now`, {
      hint: 'wait for it to finish, or pass --state-dir <another directory> (or share one DynamoDB server between runs with --dynamodb-endpoint)',
      cause: error,
    });
  }
  const cluster = context.cluster;
  const where = cluster ? `${cluster.host}:${cluster.port}` : 'the StarRocks FE';
  if (error instanceof StarRocksUnavailableError) {
    return failure(
      `cannot reach the StarRocks FE${cluster ? ` of cluster "${cluster.name}" at ${where}` : ''}: ${networkReason(error)}`,
      {
        hint: `check that the FE is up and reachable, and ${clusterFields(context)}; no cluster at hand? try \`npm start\` or \`npx sr-backup emulator\``,
        cause: error,
      },
    );
  }
  if (error instanceof StarRocksAuthError) {
    const variable = cluster ? starRocksPasswordVariable(cluster.name) : 'STARROCKS_PASSWORD_<CLUSTER>';
    return failure(
      `the StarRocks FE at ${where} refused the login${cluster ? ` of user "${cluster.user}"` : ''} (wrong user or password)`,
      {
        hint: `set ${variable} (or STARROCKS_PASSWORD) to that user's password${cluster ? `, or fix the user in ${context.configPath ?? 'the configuration'}` : ''}`,
        cause: error,
      },
    );
  }
  if (error instanceof StarRocksTimeoutError) {
    return failure(`the StarRocks FE at ${where} did not answer in time`, {
      hint: 'check the FE (SHOW PROC "/frontends"), or raise connectTimeoutSeconds / statementTimeoutSeconds in the configuration',
      cause: error,
    });
  }
  if (error instanceof StarRocksAccessDeniedError) {
    return failure(error.message, {
      hint: 'the backup user needs the REPOSITORY privilege on SYSTEM and EXPORT on the tables (see docs/cli.md)',
      cause: error,
    });
  }
  if (error instanceof UnknownDatabaseError) {
    return failure(error.message, {
      hint: 'check the names given to --database (`sr-backup plan --resolve` lists the databases of the FE)',
      cause: error,
    });
  }
  if (error instanceof TableSchemaMismatchError) {
    return failure(error.message, {
      hint: 'that DynamoDB already holds tables of the same name with other keys; use another --dynamodb-endpoint or --state-dir',
      cause: error,
    });
  }
  if (context.dynamodbEndpoint !== undefined && isNetworkError(error)) {
    return failure(`cannot reach DynamoDB at ${context.dynamodbEndpoint}: ${networkReason(error)}`, {
      hint: 'start it (e.g. DynamoDB Local or dynalite), or leave --dynamodb-endpoint out to use the embedded one',
      cause: error,
    });
  }
  if (error instanceof BackupSchedulerError) return failure(error.message, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return failure(`unexpected error: ${message}`, {
    hint: 'run again with --verbose for the details; please report it if it persists',
    cause: error,
  });
}
