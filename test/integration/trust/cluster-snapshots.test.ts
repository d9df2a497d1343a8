import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSnapshotRecords } from '#domain/catalog/index.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { database, startWorkflowHarness } from '#test/support/workflow-harness.ts';
import { clusterConfig, parseJsonDocument, runCli, writeConfig } from '../cli/cli-harness.ts';
import { connect } from '../emulator/helpers.ts';
import { sinkTexts, startTrustHarness, type TrustHarness } from './trust-harness.ts';

const SNAPSHOT_MODE = { mode: 'cluster-snapshot', schedules: [], clusterSnapshot: { maxAgeMinutes: 30 } };

describe('a shared-data cluster is refused by the nightly run with the way to protect it', () => {
  it('names Cluster Snapshot and how to turn it on, before any BACKUP, when run_mode is readable', async () => {
    const harness = await startWorkflowHarness({
      version: '3.5',
      runMode: 'shared_data',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [database('sales')],
    });
    try {
      // Act
      const run = await harness.run();

      // Assess
      expect(run.status).toBe('FAILED');
      expect(run.runError?.name).toBe('UnsupportedClusterError');
      expect(run.runError?.message).toContain('ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON');
      expect(run.runError?.message).toContain('mode: cluster-snapshot');
      expect(harness.statements('BACKUP')).toEqual([]);
    } finally {
      await harness.close();
    }
  });

  it.each([
    ['3.5', 'of type CLOUD_NATIVE'],
    ['3.3', '"not a OLAP table": a cloud-native table'],
  ])(
    'without OPERATE (run_mode unreadable) on %s, recognises it by the table type the BACKUP refusal names',
    async (version, evidence) => {
      const harness = await startWorkflowHarness({
        version,
        runMode: 'shared_data',
        users: [
          { name: 'root', password: '' },
          { name: 'backup', password: '', privileges: { repository: true, export: 'all' } },
        ],
        repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
        databases: [database('sales')],
      });
      try {
        // Act
        const run = await harness.run({ cluster: { user: 'backup' } });

        // Assess: the database fails with the shared-data refusal, alerted once.
        expect(run.results.map((r) => [r.database, r.state])).toEqual([['sales', 'FAILED']]);
        expect(run.results[0]?.error).toContain(evidence);
        expect(run.results[0]?.error).toContain('ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON');
        expect(run.alerts.filter((alert) => alert.kind === 'backup-failure')).toHaveLength(1);
      } finally {
        await harness.close();
      }
    },
  );
});

describe('the freshness check of a shared-data cluster watches its automated Cluster Snapshots', () => {
  let harness: TrustHarness;

  beforeAll(async () => {
    harness = await startTrustHarness(
      {
        version: '3.5',
        runMode: 'shared_data',
        repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
        databases: [database('sales')],
        clusterSnapshots: { automated: true },
      },
      { cluster: SNAPSHOT_MODE },
    );
  });

  afterAll(async () => {
    await harness.close();
  });

  it('records each new snapshot, alerts when they fail or stop, and says when they are fresh again', async () => {
    const records = createClusterSnapshotRecords({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });

    // Fresh: the first automated snapshot, 10 minutes after ON.
    harness.clock.advance(11 * 60_000);
    const fresh = await harness.check();
    expect(fresh.check?.clusterSnapshot).toMatchObject({ state: 'fresh' });
    expect(fresh.check?.counts.uncovered).toBe(0);
    expect((await records.list({ cluster: 'test' })).map((record) => record.name)).toHaveLength(1);

    // Failing: the storage volume refuses writes; the next job ends in ERROR.
    harness.emulator.faults.failClusterSnapshots('Access Denied (Service: S3, Status Code: 403)');
    harness.clock.advance(10 * 60_000);
    const sent = harness.slack.messages.length;
    const failing = await harness.check();
    expect(failing.check?.clusterSnapshot).toMatchObject({ state: 'failing' });
    expect(failing.check?.clusterSnapshot?.summary).toContain('Access Denied');
    expect(sinkTexts(harness, sent)).toEqual([
      expect.stringContaining('Cluster snapshots not fresh: test / (cluster)'),
    ]);

    // Fresh again: one recovery notice; every snapshot seen is recorded once.
    harness.emulator.faults.failClusterSnapshots(undefined);
    harness.clock.advance(10 * 60_000);
    const recovered = await harness.check();
    expect(recovered.check?.clusterSnapshot).toMatchObject({ state: 'fresh' });
    expect(sinkTexts(harness, sent + 1)).toEqual([expect.stringContaining('Recovered: test / (cluster)')]);
    expect(await records.list({ cluster: 'test' })).toHaveLength(2);

    // Off: ADMIN SET AUTOMATED CLUSTER SNAPSHOT OFF purges the kept snapshot.
    await turnOff(harness.emulator);
    const stopped = await harness.check();
    expect(stopped.check?.clusterSnapshot).toMatchObject({ state: 'off' });
    expect(stopped.check?.clusterSnapshot?.summary).toContain('ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON');
  });
});

/** Turns automated snapshots off as an administrator would, over the MySQL protocol. */
async function turnOff(emulator: EmulatorHandle): Promise<void> {
  const connection = await connect(emulator);
  try {
    await connection.query('ADMIN SET AUTOMATED CLUSTER SNAPSHOT OFF');
  } finally {
    await connection.end();
  }
}

describe('sr-backup status and snapshots show cluster snapshots beside backups (child process)', () => {
  let emulator: EmulatorHandle;
  let dir: string;

  beforeAll(async () => {
    // The CLI judges ages on the system clock; the emulator's own clock started 20 minutes ago and has taken its
    // first automated snapshot (10 minutes after ON) by the time the test starts.
    const clock = createManualClock(Date.now() - 20 * 60_000);
    emulator = await startEmulator({
      port: 0,
      clock,
      scenario: {
        version: '4.1',
        runMode: 'shared_data',
        repositories: [{ name: 's3_repo', location: 's3a://cli-tests/backups' }],
        databases: [{ name: 'sales', tables: [{ name: 'orders', sizeBytes: 4096 }] }],
        clusterSnapshots: { automated: true },
      },
    });
    clock.advance(11 * 60_000);
    dir = await mkdtemp(join(tmpdir(), 'cli-cluster-snapshots-'));
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the snapshot with status --notify, then lists it in status --json and snapshots --json', async () => {
    // Prepare
    const config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port, SNAPSHOT_MODE));
    const state = ['--state-dir', join(dir, 'state')];

    // Act
    const notify = await runCli(['status', '--config', config, '--notify', ...state]);
    const status = await runCli(['status', '--config', config, '--json', ...state]);
    const snapshots = await runCli(['snapshots', '--config', config, '--json', ...state]);

    // Assess
    expect(notify.code, notify.stderr).toBe(0);
    expect(notify.stdout).toContain('shared-data: automated Cluster Snapshots fresh');
    expect(
      (parseJsonDocument(status.stdout) as { clusterSnapshots: { state: string; snapshot: string }[] })
        .clusterSnapshots,
    ).toEqual([
      expect.objectContaining({
        state: 'fresh',
        snapshot: expect.stringMatching(/^automated_cluster_snapshot_/),
      }),
    ]);
    expect(
      (parseJsonDocument(snapshots.stdout) as { clusterSnapshots: { name: string }[] }).clusterSnapshots
        .length,
    ).toBeGreaterThan(0);
  });
});
