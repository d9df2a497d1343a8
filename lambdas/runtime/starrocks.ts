import type { ClusterSettings } from '#domain/config/index.ts';
import { StarRocksAuthError } from '#domain/errors.ts';
import { clusterConnectionSettings } from '#domain/starrocks/cluster-settings.ts';
import {
  type FullStarRocksClient,
  type StarRocksSettings,
  withStarRocksClientSession,
} from '#domain/starrocks/index.ts';
import { secrets } from './secret-sources.ts';

/** The connection settings of a cluster, with its password resolved. */
async function settingsFor(cluster: ClusterSettings): Promise<StarRocksSettings> {
  return clusterConnectionSettings(cluster, await secrets().starRocksPassword(cluster));
}

/**
 * Runs `work` over one connection to the cluster's FE, with every client operation (backups and restores). A refused login re-reads the password once
 * (the secret may have been rotated since this cold start cached it) and tries again.
 */
export async function withStarRocks<T>(
  cluster: ClusterSettings,
  work: (client: FullStarRocksClient) => Promise<T>,
): Promise<T> {
  try {
    return await withStarRocksClientSession(await settingsFor(cluster), work);
  } catch (error) {
    if (!(error instanceof StarRocksAuthError) || cluster.passwordSecretArn === undefined) throw error;
    secrets().invalidate(cluster.passwordSecretArn);
    return withStarRocksClientSession(await settingsFor(cluster), work);
  }
}
