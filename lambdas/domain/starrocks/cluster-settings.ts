/**
 * From a configured cluster to the settings one connection uses: the same mapping for the deployed Lambdas and the
 * local CLI, so TLS, the pinned key and the timeouts mean the same thing everywhere.
 */
import type { ClusterSettings } from '#domain/config/schema.ts';
import type { StarRocksConnectionSettings, StarRocksTlsSettings } from './connection.ts';

/** The cluster fields a connection needs. */
export type ClusterConnectionFields = Pick<
  ClusterSettings,
  'host' | 'port' | 'user' | 'tls' | 'serverPublicKey' | 'connectTimeoutSeconds' | 'statementTimeoutSeconds'
>;

function tlsSettings(tls: ClusterConnectionFields['tls']): StarRocksTlsSettings {
  if (typeof tls === 'boolean') return tls;
  return { rejectUnauthorized: tls.rejectUnauthorized, ...(tls.ca === undefined ? {} : { ca: tls.ca }) };
}

/** The connection settings of a cluster, with its password (resolved by the caller). */
export function clusterConnectionSettings(
  cluster: ClusterConnectionFields,
  password: string,
): StarRocksConnectionSettings {
  return {
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    password,
    // The configuration refuses values that round to 0 ms, which mysql2 would read as no timeout.
    connectTimeoutMs: Math.round(cluster.connectTimeoutSeconds * 1000),
    statementTimeoutMs: Math.round(cluster.statementTimeoutSeconds * 1000),
    tls: tlsSettings(cluster.tls),
    ...(cluster.serverPublicKey === undefined ? {} : { serverPublicKey: cluster.serverPublicKey }),
  };
}
