/**
 * The freshness of a shared-data cluster: StarRocks cannot BACKUP it, so what protects it is its automated Cluster
 * Snapshot (3.4.2+, one kept; StarRocks' Cluster Snapshot page). The check reads
 * `information_schema.cluster_snapshots` and `information_schema.cluster_snapshot_jobs`
 * (catalog/system/information/ClusterSnapshotsTable.java, ClusterSnapshotJobsTable.java), records each snapshot it
 * has not seen before in the catalog, and judges: automated snapshots off (no snapshot kept, no job running),
 * failing (the newest finished job is ERROR), or older than the cluster's objective.
 */
import type { ClusterSnapshotRecords } from '#domain/catalog/cluster-snapshots.ts';
import type { ClusterSettings } from '#domain/config/index.ts';
import type { StarRocksMaintenanceClient } from '#domain/starrocks/index.ts';
import { formatDuration, formatUtc } from '#domain/time-format.ts';

/** The objective when the configuration sets none (`clusterSnapshot.maxAgeMinutes`). */
export const DEFAULT_CLUSTER_SNAPSHOT_MAX_AGE_MINUTES = 60;

/** What one check found. */
export interface ClusterSnapshotCheck {
  /** `fresh`, or why not: `off` (nothing kept, nothing running), `failing` (the last job ended in ERROR), `stale`. */
  readonly state: 'fresh' | 'off' | 'failing' | 'stale';
  /** The newest snapshot StarRocks keeps. */
  readonly latest: { readonly name: string; readonly createdAt: string } | null;
  readonly ageSeconds: number | null;
  readonly maxAgeSeconds: number;
  /** The newest job that ended, with its error when it failed. */
  readonly lastJob: {
    readonly snapshotName: string;
    readonly state: string;
    readonly createdAt: string;
    readonly errorMessage: string | null;
  } | null;
  /** One sentence for the alert and the CLI. */
  readonly summary: string;
  /** Snapshots recorded in the catalog by this check (first sightings). */
  readonly recorded: readonly string[];
}

const ENDED = new Set(['FINISHED', 'EXPIRED', 'DELETED', 'ERROR']);
const RUNNING = new Set(['INITIALIZING', 'SNAPSHOTING', 'UPLOADING']);

/** Reads, records and judges a shared-data cluster's automated snapshots. */
export async function checkClusterSnapshots(
  cluster: Pick<ClusterSettings, 'name' | 'clusterSnapshot'>,
  client: Pick<StarRocksMaintenanceClient, 'clusterSnapshots' | 'clusterSnapshotJobs'>,
  records: Pick<ClusterSnapshotRecords, 'record'>,
  now: number,
): Promise<ClusterSnapshotCheck> {
  const maxAgeSeconds = Math.round(
    (cluster.clusterSnapshot?.maxAgeMinutes ?? DEFAULT_CLUSTER_SNAPSHOT_MAX_AGE_MINUTES) * 60,
  );
  const snapshots = (await client.clusterSnapshots()).sort((a, b) => b.createdAt - a.createdAt);
  const jobs = await client.clusterSnapshotJobs();
  const recorded: string[] = [];
  for (const snapshot of snapshots) {
    const isNew = await records.record({
      cluster: cluster.name,
      name: snapshot.name,
      type: snapshot.type,
      createdAt: new Date(snapshot.createdAt).toISOString(),
      storageVolume: snapshot.storageVolume,
      storagePath: snapshot.storagePath,
    });
    if (isNew) recorded.push(snapshot.name);
  }
  const latest = snapshots[0];
  const ended = jobs.filter((job) => ENDED.has(job.state)).at(-1);
  const running = jobs.some((job) => RUNNING.has(job.state));
  const lastJob =
    ended === undefined
      ? null
      : {
          snapshotName: ended.snapshotName,
          state: ended.state,
          createdAt: new Date(ended.createdAt).toISOString(),
          errorMessage: ended.errorMessage,
        };
  const ageSeconds = latest === undefined ? null : Math.max(0, Math.round((now - latest.createdAt) / 1000));
  const base = {
    latest:
      latest === undefined
        ? null
        : { name: latest.name, createdAt: new Date(latest.createdAt).toISOString() },
    ageSeconds,
    maxAgeSeconds,
    lastJob,
    recorded,
  };
  if (ended?.state === 'ERROR') {
    return {
      ...base,
      state: 'failing',
      summary:
        `the last automated cluster snapshot (${ended.snapshotName}, started ${formatUtc(ended.createdAt)}) failed: ` +
        `${ended.errorMessage || 'no message'}${latest === undefined ? '' : `; the newest good one is ${describeAge(ageSeconds)} old`}`,
    };
  }
  if (latest === undefined) {
    return {
      ...base,
      state: running ? 'stale' : 'off',
      summary: running
        ? 'no automated cluster snapshot is kept yet; the first one is being taken'
        : 'no automated cluster snapshot exists and none is being taken: automated snapshots are off. Turn them on ' +
          'with ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON [STORAGE VOLUME <volume>] (StarRocks 3.4.2+)',
    };
  }
  if (ageSeconds !== null && ageSeconds > maxAgeSeconds) {
    return {
      ...base,
      state: 'stale',
      summary:
        `the newest automated cluster snapshot (${latest.name}) is ${describeAge(ageSeconds)} old, older than the ` +
        `objective of ${formatDuration(maxAgeSeconds)}${running ? '' : ' (and no snapshot job is running)'}`,
    };
  }
  return {
    ...base,
    state: 'fresh',
    summary: `the newest automated cluster snapshot (${latest.name}) is ${describeAge(ageSeconds)} old`,
  };
}

function describeAge(seconds: number | null): string {
  return seconds === null ? 'of unknown age' : formatDuration(seconds);
}
