/** Talking to a cluster's FE from the CLI, with the password from the local environment. */

import { closestName } from '#domain/closest-name.ts';
import type { ClusterConfig } from '#domain/config/index.ts';
import { clusterConnectionSettings } from '#domain/starrocks/cluster-settings.ts';
import {
  type StarRocksClient,
  type StarRocksSettings,
  type StarRocksVersion,
  withStarRocksClientSession,
} from '#domain/starrocks/index.ts';
import { createEnvSecretResolver } from '#local/runtime/env-secrets.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import { usageError } from './cli-error.ts';

type ClusterConnection = Pick<
  ClusterConfig,
  | 'name'
  | 'host'
  | 'port'
  | 'user'
  | 'tls'
  | 'serverPublicKey'
  | 'connectTimeoutSeconds'
  | 'statementTimeoutSeconds'
>;

/**
 * Connection settings of a cluster; the password comes from `STARROCKS_PASSWORD_<CLUSTER>`, else
 * `STARROCKS_PASSWORD`, else it is empty (StarRocks' default root).
 */
export async function localStarRocksSettings(
  cluster: ClusterConnection,
  env: EnvironmentVariables,
): Promise<StarRocksSettings> {
  return clusterConnectionSettings(cluster, await createEnvSecretResolver(env).starRocksPassword(cluster));
}

/** Runs `work` over one connection to the cluster's FE (typed errors: unreachable, login refused, …). */
export async function withLocalStarRocks<T>(
  cluster: ClusterConnection,
  env: EnvironmentVariables,
  work: (client: StarRocksClient) => Promise<T>,
): Promise<T> {
  return withStarRocksClientSession(await localStarRocksSettings(cluster, env), work);
}

/**
 * Logs in and reads the version: a dead FE or a wrong password fails here within the connect timeout, instead of
 * after the workflow's retries with backoff (which are right for a deployed run, and slow for a person waiting).
 */
export function checkStarRocks(
  cluster: ClusterConnection,
  env: EnvironmentVariables,
  options: { readonly databases?: readonly string[] | undefined } = {},
): Promise<StarRocksVersion> {
  return withLocalStarRocks(cluster, env, async (client) => {
    const version = await client.currentVersion();
    if (options.databases !== undefined && options.databases.length > 0) {
      assertDatabasesExist(cluster, options.databases, await client.showDatabases());
    }
    return version;
  });
}

/**
 * A name given to --database that the FE does not have is a usage error (exit 2), found before anything starts, so
 * a typo never runs a workflow or alerts Slack; the closest name is suggested.
 */
function assertDatabasesExist(
  cluster: ClusterConnection,
  wanted: readonly string[],
  onFe: readonly string[],
): void {
  const known = new Set(onFe);
  const unknown = wanted.filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  const suggestions = unknown.flatMap((name) => {
    const near = closestName(name, onFe);
    return near === undefined ? [] : [`${name} → ${near}`];
  });
  throw usageError(
    `unknown database${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} on ${cluster.host}:${cluster.port}`,
    {
      hint: `${suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}? ` : ''}(\`sr-backup plan --resolve\` lists the databases a run would back up)`,
    },
  );
}
