import { describe, expect, it } from 'vitest';
import { checkClusterSnapshots } from '#domain/freshness/cluster-snapshots.ts';
import type { ClusterSnapshot, ClusterSnapshotJob } from '#domain/starrocks/index.ts';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const minutes = (n: number) => n * 60_000;
const snapshot = (agoMinutes: number): ClusterSnapshot => ({
  name: `automated_cluster_snapshot_${NOW - minutes(agoMinutes)}`,
  type: 'AUTOMATED',
  createdAt: NOW - minutes(agoMinutes),
  storageVolume: 'sv',
  storagePath: null,
  feJournalId: null,
});
const job = (agoMinutes: number, state: string, errorMessage: string | null = null): ClusterSnapshotJob => ({
  snapshotName: `automated_cluster_snapshot_${NOW - minutes(agoMinutes)}`,
  jobId: String(agoMinutes),
  createdAt: NOW - minutes(agoMinutes),
  finishedAt: state === 'SNAPSHOTING' ? null : NOW - minutes(agoMinutes) + 20_000,
  state,
  errorMessage,
});

async function judge(snapshots: ClusterSnapshot[], jobs: ClusterSnapshotJob[], maxAgeMinutes = 30) {
  const recorded: string[] = [];
  const check = await checkClusterSnapshots(
    { name: 'lake', clusterSnapshot: { maxAgeMinutes } },
    { clusterSnapshots: async () => snapshots, clusterSnapshotJobs: async () => jobs },
    {
      record: async (entry) => {
        recorded.push(entry.name);
        return true;
      },
    },
    NOW,
  );
  return { check, recorded };
}

describe('checkClusterSnapshots', () => {
  it('is fresh when the newest snapshot is younger than the objective, and records it', async () => {
    const { check, recorded } = await judge([snapshot(5)], [job(5, 'FINISHED')]);
    expect(check).toMatchObject({ state: 'fresh', ageSeconds: 300 });
    expect(recorded).toEqual([snapshot(5).name]);
  });

  it('is stale when the newest snapshot is older than the objective', async () => {
    const { check } = await judge([snapshot(45)], [job(45, 'FINISHED')]);
    expect(check.state).toBe('stale');
    expect(check.summary).toContain('older than the objective of 30 min');
  });

  it('is failing when the last job ended in ERROR, quoting StarRocks', async () => {
    const { check } = await judge([snapshot(15)], [job(15, 'DELETED'), job(5, 'ERROR', 'Access Denied')]);
    expect(check.state).toBe('failing');
    expect(check.summary).toContain('Access Denied');
  });

  it('is off when nothing is kept and nothing runs, and stale while the very first one is being taken', async () => {
    expect((await judge([], [])).check.state).toBe('off');
    expect((await judge([], [job(1, 'SNAPSHOTING')])).check.state).toBe('stale');
  });
});
