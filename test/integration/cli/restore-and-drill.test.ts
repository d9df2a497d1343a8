import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, type EmulatorScenario, startEmulator } from '#local/emulator/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { type CliRun, clusterConfig, parseJsonDocument, runCli, writeConfig } from './cli-harness.ts';

const SLOT = '2026-11-24T18:00:00.000Z';
const DRILL_SLOT = '2026-11-29T03:00:00Z';
const FAILING_DRILL_SLOT = '2026-11-30T03:00:00Z';

const SCENARIO: EmulatorScenario = {
  version: '3.3',
  feTimeZone: 'Asia/Shanghai',
  repositories: [{ name: 's3_repo', location: 's3a://cli-tests/backups' }],
  databases: [
    {
      name: 'sales',
      tables: [
        { name: 'orders', sizeBytes: 4096, rows: 40 },
        { name: 'items', sizeBytes: 2048, rows: 20 },
      ],
      backup: { durationMs: 900 },
    },
  ],
  defaultRestoreDurationMs: 1200,
};

interface RestoreDocument {
  state: string;
  statement: string | null;
  executed: boolean;
  target: string;
  snapshot: { label: string; snapshotTimestamp: string } | null;
  tableCount: number | null;
  rowCount: number | null;
  durationSeconds: number | null;
  error: { name: string; message: string } | null;
}

interface DrillDocument {
  status: string;
  drill: { state: string; scratchDatabase: string; scratchDropped: boolean; rowCount: number | null } | null;
  alert: { posted: boolean; severity: string } | null;
  error: { name: string } | null;
}

const restoreStatements = (emulator: EmulatorHandle) =>
  emulator.statements.map((entry) => entry.sql).filter((sql) => sql.startsWith('RESTORE'));

describe('sr-backup restore and drill (child processes against the emulator)', () => {
  let emulator: EmulatorHandle;
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;
  let withoutDrill: string;
  let label: string;
  const store = () => ['--dynamodb-endpoint', dynamo.endpoint];

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: SCENARIO, port: 0 });
    dynamo = await startTestDynamo();
    dir = await mkdtemp(join(tmpdir(), 'cli-restore-'));
    config = await writeConfig(
      dir,
      'backup.yaml',
      clusterConfig(emulator.port, {
        drill: { database: 'sales', cron: '0 3 * * ? *', timeoutSeconds: 600 },
      }),
    );
    withoutDrill = await writeConfig(dir, 'no-drill.yaml', clusterConfig(emulator.port));
    const backup = await runCli([
      'run',
      '--config',
      config,
      '--database',
      'sales',
      '--scheduled-time',
      SLOT,
      ...store(),
      '--json',
    ]);
    expect(backup.code, backup.stderr).toBe(0);
    label =
      (parseJsonDocument(backup.stdout) as { results: { snapshot: string }[] }).results[0]?.snapshot ?? '';
  });

  afterAll(async () => {
    await emulator.close();
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('without --execute, and refusals', () => {
    let planned: CliRun;
    let existing: CliRun;
    let unknown: CliRun;
    let noDrill: CliRun;
    let atSlot: CliRun;
    let beforeAny: CliRun;

    beforeAll(async () => {
      // The backup of SLOT ran just now (a backfill): its data was captured after SLOT, not at it.
      const afterBackup = new Date().toISOString();
      // Read-only commands on a shared endpoint may run side by side.
      [planned, existing, unknown, noDrill, atSlot, beforeAny] = await Promise.all([
        runCli(['restore', '--config', config, '--database', 'sales', ...store()]),
        runCli(['restore', '--config', config, '--database', 'sales', '--execute', ...store()]),
        runCli(['restore', '--config', config, '--database', 'sales', '--snapshot', 'nope', ...store()]),
        runCli(['drill', '--config', withoutDrill, ...store()]),
        runCli(['restore', '--config', config, '--database', 'sales', '--before', afterBackup, ...store()]),
        runCli(['restore', '--config', config, '--database', 'sales', '--before', SLOT, ...store()]),
      ]);
    });

    it('with --before, takes the newest verified snapshot captured at or before that time, or says there is none', () => {
      expect(atSlot.code, atSlot.stderr).toBe(0);
      expect(atSlot.stdout).toContain(`\`${label}\``);
      expect(beforeAny.code).toBe(1);
      expect(beforeAny.stderr).toMatch(
        /--before: the catalog holds no verified snapshot of database "sales" of cluster "local" taken at or before 2026-11-24T18:00:00.000Z/,
      );
    });

    it('prints the RESTORE statement with the snapshot’s timestamp, changes nothing and exits 0', () => {
      expect(planned.code, planned.stderr).toBe(0);
      expect(planned.stdout).toMatch(
        new RegExp(
          `RESTORE SNAPSHOT \`sales\`\\.\`${label}\` FROM \`s3_repo\` PROPERTIES \\("backup_timestamp" = '\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{3}'`,
        ),
      );
      expect(planned.stdout).toContain('snapshot time');
      expect(planned.stdout).toContain(
        'database "sales" already exists; a restore never writes into an existing database: --execute would refuse it.',
      );
    });

    it('refuses to restore over an existing database with exit 2 and a hint to use --as', () => {
      expect(existing.code).toBe(2);
      expect(existing.stderr).toContain('database "sales" already exists');
      expect(existing.stderr).toContain('--as sales_restored');
      expect(restoreStatements(emulator)).toEqual([]);
    });

    it('refuses a --snapshot that is not a verified snapshot of the catalog with exit 2', () => {
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('--snapshot: snapshot "nope" is not in the catalog');
    });

    it('refuses a drill of a cluster without drill settings with exit 2', () => {
      expect(noDrill.code).toBe(2);
      expect(noDrill.stderr).toContain('has no restore drill configured');
    });
  });

  it('restores under a new name with --execute, polls in real time, checks the rows and exits 0', async () => {
    // Act
    const restored = await runCli([
      'restore',
      '--config',
      config,
      '--database',
      'sales',
      '--as',
      'sales_copy',
      '--execute',
      '--json',
      ...store(),
    ]);

    // Assess
    expect(restored.code, restored.stderr).toBe(0);
    const document = parseJsonDocument(restored.stdout) as RestoreDocument;
    expect(document).toMatchObject({
      state: 'FINISHED',
      executed: true,
      target: 'sales_copy',
      tableCount: 2,
      rowCount: 60,
      error: null,
    });
    expect(document.snapshot?.label).toBe(label);
    expect(document.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(restored.stderr).toContain('checking the restored tables of sales_copy');
    expect(
      Object.fromEntries(
        (emulator.state.tables('sales_copy') ?? []).map((table) => [table.name, table.rows]),
      ),
    ).toEqual({ orders: 40, items: 20 });
  });

  it('restores one table under a new name into the existing database, and refuses to write over a table', async () => {
    // Act
    const copied = await runCli([
      'restore',
      '--config',
      config,
      '--database',
      'sales',
      '--table',
      'items:items_copy',
      '--execute',
      '--json',
      ...store(),
    ]);
    const over = await runCli([
      'restore',
      '--config',
      config,
      '--database',
      'sales',
      '--table',
      'orders',
      '--execute',
      ...store(),
    ]);

    // Assess
    expect(copied.code, copied.stderr).toBe(0);
    expect(parseJsonDocument(copied.stdout)).toMatchObject({
      state: 'FINISHED',
      tableCount: 1,
      rowCount: 20,
    });
    expect(restoreStatements(emulator).at(-1)).toMatch(
      / ON \(TABLE `items` AS `items_copy`\)| ON \(`items` AS `items_copy`\)/,
    );
    expect(
      Object.fromEntries((emulator.state.tables('sales') ?? []).map((table) => [table.name, table.rows])),
    ).toEqual({ orders: 40, items: 20, items_copy: 20 });
    expect(over.code).toBe(2);
    expect(over.stderr).toContain(
      'table "orders" already exists in database "sales"; a restore never writes over an existing table',
    );
    expect(over.stderr).toContain('--table orders:orders_restored');
  });

  describe('--to-cluster (disaster recovery into another configured cluster)', () => {
    it('never drops an existing database a failed table restore wrote into, even an empty one', async () => {
      // Act
      const failed = await runCli([
        'restore',
        '--config',
        twoClusters,
        '--cluster',
        'local',
        '--database',
        'sales',
        '--to-cluster',
        'dr',
        '--as',
        'keep_me',
        '--table',
        'items',
        '--execute',
        ...store(),
      ]);

      // Assess
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stdout + failed.stderr).toContain('Failed to read backup meta from file');
      expect(dr.statements.map((entry) => entry.sql)).not.toContain('DROP DATABASE `keep_me`');
      expect(dr.state.tables('keep_me')).toEqual([]);
    });

    let dr: EmulatorHandle;
    let twoClusters: string;

    beforeAll(async () => {
      const job = emulator.state.jobs('sales').find((entry) => entry.label === label);
      if (job === undefined) throw new Error('the backup job is missing');
      // The DR cluster reads the same bucket through a repository of its own name; `empty_repo` points elsewhere.
      dr = await startEmulator({
        scenario: {
          version: '3.3',
          feTimeZone: 'Asia/Shanghai',
          repositories: [
            { name: 'dr_repo', location: 's3a://cli-tests/backups' },
            { name: 'empty_repo', location: 's3a://cli-tests/elsewhere' },
          ],
          // An existing, empty database whose restores StarRocks cancels: a failed table restore must leave it.
          databases: [
            {
              name: 'keep_me',
              tables: [],
              restore: {
                outcome: { cancelWithStatus: '[COMMON_ERROR, msg: Failed to read backup meta from file]' },
              },
            },
          ],
          snapshots: [
            {
              repository: 'dr_repo',
              name: label,
              database: 'sales',
              createdAt: new Date(job.createdAt).toISOString(),
              tables: [
                { name: 'orders', sizeBytes: 4096, rows: 40 },
                { name: 'items', sizeBytes: 2048, rows: 20 },
              ],
            },
          ],
          defaultRestoreDurationMs: 1200,
        },
        port: 0,
      });
      const drCluster = (clusterConfig(dr.port).clusters as Record<string, unknown>[])[0];
      twoClusters = await writeConfig(dir, 'two-clusters.yaml', {
        ...clusterConfig(emulator.port),
        clusters: [
          (clusterConfig(emulator.port).clusters as object[])[0],
          { ...drCluster, name: 'dr', repository: 'dr_repo' },
          { ...drCluster, name: 'dr_empty', repository: 'empty_repo' },
        ],
      });
    });

    afterAll(async () => {
      await dr.close();
    });

    it('restores the source cluster’s snapshot through the target’s own repository, and refuses one that lacks it', async () => {
      // Act
      const restored = await runCli([
        'restore',
        '--config',
        twoClusters,
        '--cluster',
        'local',
        '--database',
        'sales',
        '--to-cluster',
        'dr',
        '--execute',
        '--json',
        ...store(),
      ]);
      const missing = await runCli([
        'restore',
        '--config',
        twoClusters,
        '--cluster',
        'local',
        '--database',
        'sales',
        '--to-cluster',
        'dr_empty',
        ...store(),
      ]);

      // Assess
      expect(restored.code, restored.stderr).toBe(0);
      expect(parseJsonDocument(restored.stdout)).toMatchObject({
        state: 'FINISHED',
        cluster: 'dr',
        rowCount: 60,
      });
      expect(
        dr.statements.map((entry) => entry.sql).filter((sql) => sql.startsWith('RESTORE SNAPSHOT `sales`')),
      ).toEqual([expect.stringContaining(`\`${label}\` FROM \`dr_repo\``)]);
      expect(
        Object.fromEntries((dr.state.tables('sales') ?? []).map((table) => [table.name, table.rows])),
      ).toEqual({
        orders: 40,
        items: 20,
      });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(
        `repository empty_repo of cluster dr_empty does not hold snapshot ${label} of cluster local`,
      );
    });
  });

  it('runs a drill through the local runner: restore, check, record, drop; exits 0', async () => {
    // Act
    const drill = await runCli([
      'drill',
      '--config',
      config,
      '--scheduled-time',
      DRILL_SLOT,
      '--json',
      ...store(),
    ]);

    // Assess
    expect(drill.code, drill.stderr).toBe(0);
    const document = parseJsonDocument(drill.stdout) as DrillDocument;
    expect(document.status).toBe('SUCCEEDED');
    expect(document.drill).toMatchObject({
      state: 'FINISHED',
      scratchDatabase: 'drill_sales_202611290300',
      scratchDropped: true,
      rowCount: 60,
    });
    expect(document.alert).toBeNull();
    expect(emulator.state.tables('drill_sales_202611290300')).toBeUndefined();
  });

  it('reports a failed drill with exit 1 and prints its alert when no webhook is set', async () => {
    // Prepare
    emulator.faults.cancelNextRestore('drill_sales_202611300300', '[COMMON_ERROR, msg: download failed]');

    // Act
    const drill = await runCli([
      'drill',
      '--config',
      config,
      '--scheduled-time',
      FAILING_DRILL_SLOT,
      ...store(),
    ]);

    // Assess
    expect(drill.code).toBe(1);
    expect(drill.stdout).toContain('Drill FAILED');
    expect(drill.stdout).toContain('Slack alert (not sent: SLACK_WEBHOOK_URL is not set):');
    expect(drill.stdout).toContain('Restore drill FAILED: local / sales');
    expect(emulator.state.tables('drill_sales_202611300300')).toBeUndefined();
  });
});
