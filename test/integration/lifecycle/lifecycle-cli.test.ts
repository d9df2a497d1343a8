import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { runPauseCommand } from '#local/cli/commands/pause.ts';
import { runPinCommand } from '#local/cli/commands/pin.ts';
import { runPruneCommand } from '#local/cli/commands/prune.ts';
import { runResumeCommand } from '#local/cli/commands/resume.ts';
import { runSnapshotsCommand } from '#local/cli/inspect/snapshots-command.ts';
import { runStatusCommand } from '#local/cli/inspect/status-command.ts';
import { runValidateCommand } from '#local/cli/inspect/validate-command.ts';
import { createDocumentClient } from '#local/dynamo/client.ts';
import { ensureTables } from '#local/dynamo/index.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo } from '#test/support/dynalite.ts';
import { backupStatements, clusterConfig, runCli, writeConfig } from '../cli/cli-harness.ts';
import { S3RVER_CREDENTIALS, type S3rverProcess, startS3rver } from './support/s3rver-process.ts';
import {
  attemptOf,
  BUCKET,
  bucketKeys,
  CLUSTER,
  DATABASE,
  EXPECTED_REMOVED_DAYS,
  emulatorScenario,
  LOCATION_PREFIX,
  labelOf,
  NOW,
  PINNED_DAYS,
  putObjects,
  REPOSITORY,
  RETENTION,
  seedCatalog,
  slotOf,
} from './support/thirty-snapshots.ts';

/** The CLI's core with its output captured and the clock at the scenario's "now". */
const cliIo = (env: Record<string, string> = {}) => capturedCliIo({ now: NOW, env });

let dir: string;
let scenarioCounter = 0;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifecycle-cli-'));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh dynalite (the CLI uses fixed local table names) seeded with the 30 snapshots: a --dynamodb-endpoint. */
async function seededEndpoint(): Promise<string> {
  const own = await startTestDynamo();
  cleanups.push(() => own.close());
  await ensureTables({
    client: own.client,
    catalogTableName: 'sr-backup-catalog',
    locksTableName: 'sr-backup-locks',
  });
  await seedCatalog(
    createCatalogStore({ client: own.client, tableName: 'sr-backup-catalog', clock: { now: () => NOW } }),
  );
  return own.endpoint;
}
describe('sr-backup prune, pin and unpin (DROP SNAPSHOT, StarRocks 4.2)', () => {
  let emulator: EmulatorHandle;
  let config: string;
  let endpoint: string;

  beforeEach(async () => {
    emulator = await startEmulator({ scenario: emulatorScenario('4.2'), clock: createManualClock(NOW) });
    cleanups.push(() => emulator.close());
    config = await writeConfig(dir, `prune-${++scenarioCounter}.yaml`, {
      clusters: [
        {
          ...(clusterConfig(emulator.port).clusters as object[])[0],
          name: CLUSTER,
          exclude: [],
          retention: { ...RETENTION },
        },
      ],
    });
    endpoint = await seededEndpoint();
  });

  it('prints every snapshot with its decision and reason on a dry run, and changes nothing', async () => {
    // Prepare
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runPruneCommand({ config, dynamodbEndpoint: endpoint }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    const out = stdout();
    expect(out).toContain(
      'Cluster prod — retention keepLast 5, maxAgeDays 14 · removal: DROP SNAPSHOT (StarRocks 4.2.0) · dry run',
    );
    expect(out.match(/ REMOVE /g)).toHaveLength(14);
    expect(out).toMatch(new RegExp(`${labelOf(3)} .* keep +pinned`));
    expect(out).toMatch(new RegExp(`${labelOf(30)} .* keep +one of the newest 5, younger than 14 d`));
    expect(out).toMatch(new RegExp(`${labelOf(1)} .* REMOVE +older than 14 d`));
    expect(out).toContain('14 of 30 verified snapshot(s) would go.');
    expect(emulator.statements.filter((s) => s.sql.startsWith('DROP SNAPSHOT'))).toEqual([]);
    expect(emulator.state.snapshots(REPOSITORY)).toHaveLength(31);
  });

  it('removes exactly the due snapshots with --apply and reports them as JSON', async () => {
    // Prepare
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runPruneCommand({ config, dynamodbEndpoint: endpoint, apply: true, json: true }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    const report = JSON.parse(stdout()) as {
      clusters: Array<{ removals: Array<{ label: string; outcome: string }> }>;
    };
    const removals = report.clusters[0]?.removals ?? [];
    expect(removals.map((r) => r.label).sort()).toEqual(EXPECTED_REMOVED_DAYS.map(labelOf).sort());
    expect(removals.every((r) => r.outcome === 'removed')).toBe(true);
    expect(emulator.state.snapshots(REPOSITORY)).toHaveLength(31 - 14);
  });

  it('lists pruned and pinned snapshots by --state, with their marks in the table and the JSON, and --since', async () => {
    // Prepare
    await runPruneCommand({ config, dynamodbEndpoint: endpoint, apply: true, json: true }, cliIo().io);
    const list = async (options: Partial<Parameters<typeof runSnapshotsCommand>[0]>) => {
      const { io, stdout, stderr } = cliIo();
      const code = await runSnapshotsCommand(
        { config, dynamodbEndpoint: endpoint, limit: 100, ...options },
        io,
      );
      expect(code, stderr()).toBe(0);
      return stdout();
    };
    type Listed = {
      snapshots: { snapshot: string; pinned: boolean; prunedAt: string | null; restorable: boolean }[];
    };

    // Act
    const pruned = JSON.parse(await list({ state: ['PRUNED'], json: true })) as Listed;
    const pinned = JSON.parse(await list({ state: ['PINNED'], json: true })) as Listed;
    const recent = JSON.parse(await list({ since: { at: slotOf(25) }, json: true })) as Listed;
    const table = await list({ state: ['PINNED', 'PRUNED'] });

    // Assess
    expect(pruned.snapshots.map((entry) => entry.snapshot).sort()).toEqual(
      EXPECTED_REMOVED_DAYS.map(labelOf).sort(),
    );
    expect(pruned.snapshots.every((entry) => entry.prunedAt !== null && !entry.restorable)).toBe(true);
    expect(pinned.snapshots.map((entry) => entry.snapshot).sort()).toEqual(PINNED_DAYS.map(labelOf).sort());
    expect(pinned.snapshots.every((entry) => entry.pinned && entry.restorable)).toBe(true);
    expect(recent.snapshots.map((entry) => entry.snapshot).sort()).toEqual(
      [25, 26, 27, 28, 29, 30].map(labelOf).sort(),
    );
    expect(table).toMatch(new RegExp(`${labelOf(3)} .* PINNED *$`, 'm'));
    expect(table).toMatch(new RegExp(`${labelOf(1)} .* PRUNED +pruned 2026-12-01 06:00:00Z`));
    expect(table).not.toContain(labelOf(20));
  });

  it('marks a differential whose full was pruned as not restorable, in the table and the JSON', async () => {
    // Prepare: day 1 is pruned; two differentials of day 29's slot, one of day 1's full, one of day 30's.
    await runPruneCommand({ config, dynamodbEndpoint: endpoint, apply: true, json: true }, cliIo().io);
    const client = createDocumentClient(endpoint);
    cleanups.push(async () => client.destroy());
    const catalog = createCatalogStore({ client, tableName: 'sr-backup-catalog', clock: { now: () => NOW } });
    const differential = (label: string, baseLabel: string) =>
      catalog.recordAttempt({ ...attemptOf(29), label, mode: 'differential', baseLabel });
    await differential('nightly_diff_of_pruned', labelOf(1));
    await differential('nightly_diff_of_kept', labelOf(30));
    const list = async (json: boolean) => {
      const { io, stdout, stderr } = cliIo();
      const code = await runSnapshotsCommand({ config, dynamodbEndpoint: endpoint, limit: 5, json }, io);
      expect(code, stderr()).toBe(0);
      return stdout();
    };

    // Act
    const listed = JSON.parse(await list(true)) as {
      snapshots: {
        snapshot: string;
        mode: string;
        baseLabel: string | null;
        restorable: boolean;
        chainProblem: string | null;
      }[];
    };
    const table = await list(false);

    // Assess: the pruned full is outside the five listed, and still read from the catalog.
    const entry = (label: string) => listed.snapshots.find((snapshot) => snapshot.snapshot === label);
    expect(entry('nightly_diff_of_pruned')).toMatchObject({
      mode: 'differential',
      baseLabel: labelOf(1),
      restorable: false,
      chainProblem: 'base-pruned',
    });
    expect(entry('nightly_diff_of_kept')).toMatchObject({ restorable: true, chainProblem: null });
    expect(entry(labelOf(30))).toMatchObject({ mode: 'full', baseLabel: null, restorable: true });
    expect(table).toMatch(
      /nightly_diff_of_pruned .* NOT RESTORABLE \(full pruned\); differential of nightly_sales_2026/,
    );
    expect(table).toMatch(new RegExp(`nightly_diff_of_kept .* differential of ${labelOf(30)} *$`, 'm'));
  });

  it('judges status --at with the snapshots as they stood then, not with a later one', async () => {
    // Act: 15 November 20:00Z, when the newest snapshot was day 15's (the catalog's pointer names day 30's)
    const { io, stdout, stderr } = cliIo();
    const code = await runStatusCommand(
      {
        config,
        dynamodbEndpoint: endpoint,
        at: new Date('2026-11-15T20:00:00Z'),
        resolve: false,
        json: true,
      },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const { databases } = JSON.parse(stdout()) as {
      databases: { database: string; state: string; snapshot: string }[];
    };
    expect(databases).toEqual([
      expect.objectContaining({ database: 'sales', state: 'fresh', snapshot: labelOf(15) }),
    ]);
  });

  it('keeps a pinned snapshot, lets it go again once unpinned, and refuses to pin what the catalog does not know', async () => {
    // Prepare
    const pin = { config, dynamodbEndpoint: endpoint, database: DATABASE, snapshot: labelOf(12) };
    const pinned = cliIo();
    const dryPinned = cliIo();
    const unpinned = cliIo();
    const dryUnpinned = cliIo();
    const unknown = cliIo();

    // Act
    const pinCode = await runPinCommand(pin, pinned.io, true);
    await runPruneCommand({ config, dynamodbEndpoint: endpoint, json: true }, dryPinned.io);
    const unpinCode = await runPinCommand(pin, unpinned.io, false);
    await runPruneCommand({ config, dynamodbEndpoint: endpoint, json: true }, dryUnpinned.io);
    const unknownCode = await runPinCommand({ ...pin, snapshot: 'nightly_sales_never' }, unknown.io, true);
    const byLabel = cliIo();
    const byLabelCode = await runPinCommand(
      { config, dynamodbEndpoint: endpoint, snapshot: labelOf(13) },
      byLabel.io,
      true,
    );

    // Assess
    const due = (text: string) =>
      (
        JSON.parse(text) as { clusters: Array<{ removals: Array<{ label: string }> }> }
      ).clusters[0]?.removals.map((r) => r.label);
    expect(pinCode, pinned.stderr()).toBe(0);
    expect(pinned.stdout()).toContain(`Pinned sales/${labelOf(12)} (cluster prod)`);
    expect(due(dryPinned.stdout())).toHaveLength(13);
    expect(due(dryPinned.stdout())).not.toContain(labelOf(12));
    expect(unpinCode).toBe(0);
    expect(due(dryUnpinned.stdout())).toContain(labelOf(12));
    expect(unknownCode).toBe(1);
    expect(unknown.stderr()).toContain(
      'error: the catalog has no snapshot nightly_sales_never of database sales on cluster prod',
    );
    // Without --database, the database is read from the label and confirmed by the catalog.
    expect(byLabelCode, byLabel.stderr()).toBe(0);
    expect(byLabel.stdout()).toContain(`Pinned sales/${labelOf(13)} (cluster prod)`);
  });
});

describe('sr-backup prune on a cluster nothing can remove from (StarRocks 3.3, no retention.s3)', () => {
  it('is said up front by validate --resolve, which shows the FE version (and exits 1 when an FE is unreachable)', async () => {
    // Prepare
    const emulator = await startEmulator({
      scenario: emulatorScenario('3.3'),
      clock: createManualClock(NOW),
    });
    cleanups.push(() => emulator.close());
    const reachable = {
      ...(clusterConfig(emulator.port).clusters as object[])[0],
      name: CLUSTER,
      retention: { ...RETENTION },
    };
    const config = await writeConfig(dir, 'validate-resolve.yaml', { clusters: [reachable] });
    const withDeadFe = await writeConfig(dir, 'validate-dead.yaml', {
      clusters: [reachable, { ...reachable, name: 'gone', port: 1 }],
    });
    const human = cliIo();
    const json = cliIo();
    const dead = cliIo();

    // Act
    const humanCode = await runValidateCommand({ config, resolve: true }, human.io);
    const jsonCode = await runValidateCommand({ config, resolve: true, json: true }, json.io);
    const deadCode = await runValidateCommand({ config: withDeadFe, resolve: true }, dead.io);

    // Assess
    expect(humanCode, human.stderr()).toBe(0);
    expect(human.stdout()).toMatch(/prod: 127\.0\.0\.1:\d+, StarRocks 3\.3\.\d+/);
    expect(human.stdout()).toMatch(
      /warning: clusters\[0\]\.retention \(prod\): StarRocks 3\.3\.\d+ has no DROP SNAPSHOT .*prune and the nightly cleanup remove nothing/,
    );
    expect(jsonCode).toBe(0);
    const document = JSON.parse(json.stdout()) as {
      frontEnds: { cluster: string; version: string; warnings: string[] }[];
    };
    expect(document.frontEnds).toEqual([
      expect.objectContaining({ cluster: 'prod', version: expect.stringMatching(/^3\.3\./), error: null }),
    ]);
    expect(document.frontEnds[0]?.warnings).toHaveLength(1);
    expect(deadCode).toBe(1);
    expect(dead.stdout()).toMatch(/gone: 127\.0\.0\.1:1, FE unreachable: cannot reach the StarRocks FE/);
  });

  it('says on the dry run that --apply cannot remove the due snapshots, and why, instead of promising it', async () => {
    // Prepare
    const emulator = await startEmulator({
      scenario: emulatorScenario('3.3'),
      clock: createManualClock(NOW),
    });
    cleanups.push(() => emulator.close());
    const config = await writeConfig(dir, 'prune-unavailable.yaml', {
      clusters: [
        {
          ...(clusterConfig(emulator.port).clusters as object[])[0],
          name: CLUSTER,
          exclude: [],
          retention: { ...RETENTION },
        },
      ],
    });
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runPruneCommand({ config, dynamodbEndpoint: await seededEndpoint() }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    expect(stdout()).toContain('removal: none available');
    expect(stdout()).toMatch(
      /14 of 30 verified snapshot\(s\) would go\. --apply cannot remove them: .*no DROP SNAPSHOT/,
    );
    expect(stdout()).toContain('Set retention.s3');
    expect(stdout()).not.toContain('--apply` removes them');
  });
});

describe('sr-backup prune with S3 removal (StarRocks 3.3, s3rver)', () => {
  let emulator: EmulatorHandle;
  let s3: S3rverProcess;

  beforeAll(async () => {
    [emulator, s3] = await Promise.all([
      startEmulator({ scenario: emulatorScenario('3.3'), clock: createManualClock(NOW) }),
      startS3rver([BUCKET]),
    ]);
  });

  afterAll(async () => {
    await Promise.all([emulator.close(), s3.close()]);
  });

  it("deletes the due snapshots' objects through --s3-endpoint and leaves the rest of the bucket alone", async () => {
    // Prepare
    const keys = bucketKeys();
    await putObjects(s3.client, [...[...keys.snapshots.values()].flat(), ...keys.decoys]);
    const config = await writeConfig(dir, 's3.yaml', {
      clusters: [
        {
          ...(clusterConfig(emulator.port).clusters as object[])[0],
          name: CLUSTER,
          retention: { ...RETENTION, s3: { bucket: BUCKET, prefix: LOCATION_PREFIX } },
        },
      ],
    });
    const endpoint = await seededEndpoint();
    const { io, stdout, stderr } = cliIo({
      SR_BACKUP_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      SR_BACKUP_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    });

    // Act
    const code = await runPruneCommand(
      { config, dynamodbEndpoint: endpoint, apply: true, s3Endpoint: s3.endpoint },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    expect(stdout()).toContain(
      `removal: delete the snapshot's objects under s3://${BUCKET}/${LOCATION_PREFIX}`,
    );
    expect(stdout()).toContain('14 removed of 14 due; 16 kept.');
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const left = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(left.KeyCount).toBe(16 * 3 + keys.decoys.length);
  });
});

describe('sr-backup pause and resume', () => {
  it('pauses with a reason, lists it, refuses a pause without a reason, and resumes', async () => {
    // Prepare
    const config = await writeConfig(dir, 'pause.yaml', clusterConfig(9030));
    const own = await startTestDynamo();
    cleanups.push(() => own.close());
    const endpoint = own.endpoint;
    const paused = cliIo({ USER: 'alice' });
    const listed = cliIo();
    const noReason = cliIo();
    const resumed = cliIo();
    const again = cliIo();

    // Act
    const pauseCode = await runPauseCommand(
      { config, dynamodbEndpoint: endpoint, reason: 'FE upgrade to 3.4', until: new Date(NOW + 86_400_000) },
      paused.io,
    );
    const listCode = await runPauseCommand(
      { config, dynamodbEndpoint: endpoint, list: true, json: true },
      listed.io,
    );
    const noReasonCode = await runPauseCommand({ config, dynamodbEndpoint: endpoint }, noReason.io);
    const resumeCode = await runResumeCommand({ config, dynamodbEndpoint: endpoint }, resumed.io);
    const againCode = await runResumeCommand({ config, dynamodbEndpoint: endpoint }, again.io);

    // Assess
    expect(pauseCode, paused.stderr()).toBe(0);
    expect(paused.stdout()).toContain(
      'Paused cluster local (every schedule): "FE upgrade to 3.4" (since 2026-12-01 06:00:00Z, until 2026-12-02 06:00:00Z, by alice).',
    );
    expect(listCode).toBe(0);
    expect(JSON.parse(listed.stdout())).toEqual({
      pauses: [
        {
          cluster: 'local',
          schedule: null,
          reason: 'FE upgrade to 3.4',
          since: '2026-12-01T06:00:00.000Z',
          until: '2026-12-02T06:00:00.000Z',
          by: 'alice',
        },
      ],
    });
    expect(noReasonCode).toBe(2);
    expect(noReason.stderr()).toContain('error: --reason is required');
    expect(resumeCode).toBe(0);
    expect(resumed.stdout()).toBe('Resumed cluster local (every schedule).\n');
    expect(againCode).toBe(0);
    expect(again.stdout()).toBe('cluster local (every schedule) was not paused.\n');
  });
});

describe('sr-backup run on a paused or unsupported cluster (child process)', () => {
  let emulator: EmulatorHandle;
  let sharedData: EmulatorHandle;

  beforeAll(async () => {
    [emulator, sharedData] = await Promise.all([
      startEmulator({ scenario: emulatorScenario('3.3') }),
      startEmulator({ scenario: { ...emulatorScenario('3.4'), runMode: 'shared_data' } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([emulator.close(), sharedData.close()]);
  });

  it('backs nothing up while the cluster is paused, and exits 0', async () => {
    // Prepare
    const config = await writeConfig(dir, 'paused-run.yaml', clusterConfig(emulator.port));
    const stateDir = join(dir, 'state-paused');
    const pause = await runCli([
      'pause',
      '--config',
      config,
      '--state-dir',
      stateDir,
      '--reason',
      'maintenance',
    ]);

    // Act
    const run = await runCli(['run', '--config', config, '--state-dir', stateDir]);

    // Assess
    expect(pause.code, pause.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    expect(backupStatements(emulator.statements)).toEqual([]);
  });

  it('refuses a shared-data cluster with a clear error and exits 1', async () => {
    // Prepare
    const config = await writeConfig(dir, 'shared-data.yaml', clusterConfig(sharedData.port));

    // Act
    const run = await runCli(['run', '--config', config, '--state-dir', join(dir, 'state-shared')]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: the run stopped before reaching any database: cluster local \(127\.0\.0\.1:\d+\) is a shared-data cluster \(run_mode = shared_data, StarRocks 3\.4\.3\): StarRocks does not support BACKUP or RESTORE on shared-data clusters/m,
    );
    expect(backupStatements(sharedData.statements)).toEqual([]);
  });
});
