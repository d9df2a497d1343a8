import { StarRocksAuthError } from '#domain/errors.ts';
import { clusterConnectionSettings } from '#domain/starrocks/cluster-settings.ts';
import { withStarRocksClientSession } from '#domain/starrocks/index.ts';
import type { StarRocksAccess } from './runtime.ts';
import type { SecretResolver } from './secrets.ts';

/**
 * Sessions with a cluster's FE, the password read through `secrets`. A refused login re-reads the password once,
 * bypassing the cache (the secret may have been rotated since it was read), and tries again.
 */
export function createStarRocksAccess(secrets: SecretResolver): StarRocksAccess {
  return async (cluster, work) => {
    try {
      return await withStarRocksClientSession(
        clusterConnectionSettings(cluster, await secrets.starRocksPassword(cluster)),
        work,
      );
    } catch (error) {
      if (!(error instanceof StarRocksAuthError) || cluster.passwordSecretArn === undefined) throw error;
      secrets.invalidate(cluster.passwordSecretArn);
      return withStarRocksClientSession(
        clusterConnectionSettings(cluster, await secrets.starRocksPassword(cluster)),
        work,
      );
    }
  };
}
