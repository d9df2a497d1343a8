/**
 * Shared-data clusters: what StarRocks cannot do for them (BACKUP, RESTORE) and what it does instead (automated
 * Cluster Snapshots), in the words every refusal uses.
 */

/**
 * Why a shared-data cluster is not backed up, and what protects it instead: StarRocks' docs (Backup and restore,
 * 3.2–4.1) say BACKUP and RESTORE do not support shared-data clusters; from 3.4.2 they take automated Cluster
 * Snapshots (StarRocks' Cluster Snapshot page; 4.1 sets their interval by statement, PR #67525).
 */
export function sharedDataRefusal(
  cluster: { readonly name: string; readonly host: string; readonly port: number },
  version: string,
  evidence: string,
): string {
  return (
    `cluster ${cluster.name} (${cluster.host}:${cluster.port}) is a shared-data cluster (${evidence}, StarRocks ` +
    `${version}): StarRocks does not support BACKUP or RESTORE on shared-data clusters. Protect it with automated ` +
    'Cluster Snapshots instead (StarRocks 3.4.2+): run `ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON [STORAGE VOLUME ' +
    '<volume>]` once, then set `mode: cluster-snapshot` on this cluster (and remove its schedules): the freshness ' +
    'check then watches information_schema.cluster_snapshots and alerts when snapshots stop, fail or grow old.'
  );
}
