import type { ClusterSettings } from '#domain/config/index.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';
import type { StarRocksAccess } from '../runtime.ts';
import { createStarRocksAccess } from '../starrocks.ts';
import { awsSecrets } from './secrets.ts';

let access: StarRocksAccess | undefined;

/** Sessions with a cluster's FE, its password from Secrets Manager. */
export function awsWithStarRocks<T>(
  cluster: ClusterSettings,
  work: (client: FullStarRocksClient) => Promise<T>,
): Promise<T> {
  access ??= createStarRocksAccess(awsSecrets());
  return access(cluster, work);
}
