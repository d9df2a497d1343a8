/**
 * Connection choices that are allowed but deserve a warning wherever the configuration is read: `sr-backup
 * validate`, `sr-backup plan` and `cdk synth` print the same texts.
 *
 * Plaintext stays allowed because StarRocks serves TLS on the MySQL port only from 3.4.1 and only with a keystore
 * configured; the password is safe either way (auth-plugins.ts allows only mysql_native_password's
 * challenge-response, or a pinned key, without verified TLS), but statements, results and the FE's identity are not.
 */
import type { ClusterConfig } from './schema.ts';

/** One warning about a cluster, with the field path it concerns. */
export interface ConnectionWarning {
  /** `clusters[<index>].tls` */
  readonly path: string;
  readonly cluster: string;
  readonly message: string;
}

/** Text of a warning as the CLI and the synth print it. */
export function formatConnectionWarning(warning: ConnectionWarning): string {
  return `${warning.path} (${warning.cluster}): ${warning.message}`;
}

type ConnectionFields = Pick<ClusterConfig, 'name' | 'host' | 'port' | 'tls'>;

/** The warnings about one cluster's connection settings; `index` is its position in the file's clusters. */
export function clusterConnectionWarnings(cluster: ConnectionFields, index: number): ConnectionWarning[] {
  const path = `clusters[${index}].tls`;
  if (cluster.tls === false) {
    return [
      {
        path,
        cluster: cluster.name,
        message:
          `connects to ${cluster.host}:${cluster.port} in plaintext: statements and results cross the network ` +
          'unencrypted and nothing proves the server is the FE (the password itself is never sent). StarRocks ' +
          '3.4.1+ serves TLS once ssl_keystore_location is set in fe.conf; then set tls: { ca: <PEM of the CA ' +
          "that signed the FE's certificate> } (or tls: true for a publicly trusted certificate).",
      },
    ];
  }
  if (typeof cluster.tls === 'object' && !cluster.tls.rejectUnauthorized) {
    return [
      {
        path: `${path}.rejectUnauthorized`,
        cluster: cluster.name,
        message:
          "is false: the FE's certificate is not verified, so anything between the functions and the FE can pose " +
          'as it (the traffic is encrypted, but to an unknown party). Give the CA certificate as tls.ca instead.',
      },
    ];
  }
  return [];
}

/** The warnings about every cluster's connection settings, in file order. */
export function connectionWarnings(clusters: readonly ConnectionFields[]): ConnectionWarning[] {
  return clusters.flatMap((cluster, index) => clusterConnectionWarnings(cluster, index));
}
