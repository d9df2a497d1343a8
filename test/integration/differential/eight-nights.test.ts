// Time: about 0.5 s (2 cases: eight nights and a chain restore; a load racing the BACKUP) against one emulator over the MySQL protocol; virtual clock, no sleeps.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainSnapshot } from '#domain/differential/chain.ts';
import type { Manifest } from '#domain/differential/manifest.ts';
import { restoreSteps } from '#domain/differential/restore-steps.ts';
import { type NightDecision, planNight, runRestoreChain } from '#domain/differential/take.ts';
import { createStarRocksClient, type FullStarRocksClient } from '#domain/starrocks/client.ts';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type EmulatorTableContents,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { PASSWORD, settingsFor } from '../starrocks/support.ts';

const MB = 1_000_000;
const JOB_MS = 10_000;
const DAY_MS = 86_400_000;
const TIMEOUT_SECONDS = 3_600;

function day(date: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: date, to: next };
}

/** A range-partitioned fact table (four days), two unpartitioned dimensions, a range-partitioned event table. */
const scenario: EmulatorScenario = {
  version: '3.3',
  feTimeZone: 'UTC',
  users: [{ name: 'backup', password: PASSWORD }],
  repositories: [{ name: 'repo', location: 's3a://bucket/backups' }],
  databases: [
    {
      name: 'dw',
      tables: [
        {
          name: 'sales_fact',
          partitioning: 'RANGE',
          partitions: ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'].map((date, index) => ({
            name: `p${date.replaceAll('-', '')}`,
            rows: 100 * (index + 1),
            sizeBytes: 10 * MB * (index + 1),
            range: day(date),
          })),
        },
        { name: 'dim_city', rows: 50, sizeBytes: 5 * MB },
        {
          name: 'events',
          partitioning: 'RANGE',
          partitions: ['2026-11-23', '2026-11-24'].map((date) => ({
            name: `e${date.replaceAll('-', '')}`,
            rows: 70,
            sizeBytes: 7 * MB,
            range: day(date),
          })),
        },
        { name: 'dim_store', rows: 30, sizeBytes: 3 * MB },
      ],
    },
  ],
  defaultBackupDurationMs: JOB_MS,
  defaultRestoreDurationMs: JOB_MS,
};

/**
 * What a snapshot or a restore must hold: per table, per partition (by name: a partition the differential adds is
 * listed after the full's ones, the source's order is its creation order), its rows, bytes and visible version.
 */
function comparable(tables: readonly EmulatorTableContents[] | undefined) {
  return [...(tables ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((table) => ({
      name: table.name,
      schema: table.schema,
      rows: table.rows,
      partitions: [...table.partitions]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((partition) => ({
          name: partition.name,
          rows: partition.rows,
          sizeBytes: partition.sizeBytes,
          visibleVersion: partition.visibleVersion,
        })),
    }));
}

/** The snapshot's objects: each table with the names of the partitions it holds. */
function heldBy(tables: readonly EmulatorTableContents[] | undefined): [string, string[]][] {
  return [...(tables ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((table) => [table.name, table.partitions.map((partition) => partition.name)]);
}

let emulator: EmulatorHandle | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface Night {
  readonly label: string;
  readonly decision: NightDecision;
  /** The BACKUP statements the FE received this night. */
  readonly backups: readonly string[];
  /** SHOW SNAPSHOT's Timestamp, null when no BACKUP was sent. */
  readonly timestamp: string | null;
  /** The source database when the night's BACKUP was sent. */
  readonly source: ReturnType<typeof comparable>;
}

/** One night: the day's changes, then the decision and (unless unchanged) the BACKUP, run to FINISHED. */
async function night(
  fe: EmulatorHandle,
  client: FullStarRocksClient,
  clock: ManualClock,
  label: string,
  chain: { full: Manifest | null; previous: Manifest | null },
  changes: () => void,
): Promise<Night> {
  clock.advance(DAY_MS - JOB_MS);
  changes();
  const from = fe.statements.length;
  const decision = await planNight(client, 'dw', chain.full, {
    ...(chain.previous === null ? {} : { previous: chain.previous }),
  });
  const source = comparable(fe.state.contents('dw'));
  let timestamp: string | null = null;
  if (decision.backupRequest !== null) {
    await client.submitBackup({
      ...decision.backupRequest,
      label,
      repository: 'repo',
      timeoutSeconds: TIMEOUT_SECONDS,
    });
    clock.advance(JOB_MS);
    expect(await client.showBackup('dw')).toMatchObject({ snapshotName: label, state: 'FINISHED' });
    timestamp = (await client.showSnapshot('repo', label))?.timestamps[0] ?? null;
  } else {
    clock.advance(JOB_MS);
  }
  const backups = fe.statements
    .slice(from)
    .map((statement) => statement.sql)
    .filter((sql) => sql.startsWith('BACKUP'));
  return { label, decision, backups, timestamp, source };
}

const chainSnapshot = (label: string, base: string | null): ChainSnapshot => ({
  kind: base === null ? 'full' : 'differential',
  label,
  baseLabel: base,
  verified: true,
  prunedAt: null,
  lost: false,
});

const backupOf = (label: string, on: string) =>
  `BACKUP SNAPSHOT \`dw\`.\`${label}\` TO \`repo\`${on} PROPERTIES ("timeout" = "${TIMEOUT_SECONDS}")`;

describe('eight nights of differential backups, then the last point restored (issue 20, Must show)', () => {
  it('backs up exactly what changed each night and restores the last point to the database as it was', async () => {
    // Prepare
    const clock = createManualClock();
    const fe = await startEmulator({ clock, scenario });
    emulator = fe;
    const client = createStarRocksClient(settingsFor(fe));
    const state = fe.state;
    const nights: Night[] = [];
    let full: Manifest | null = null;
    let previous: Manifest | null = null;
    const run = async (label: string, changes: () => void): Promise<Night> => {
      const result = await night(fe, client, clock, label, { full, previous }, changes);
      if (result.decision.backupRequest !== null) {
        full ??= result.decision.manifest;
        previous = result.decision.manifest;
      }
      nights.push(result);
      return result;
    };

    // Act: night 1 is the full; nights 2–7 differentials; night 8 changes nothing.
    const n1 = await run('n1', () => {});
    const n2 = await run('n2', () => {
      state.load('dw', 'sales_fact', 'p20261124', { rows: 40, sizeBytes: 4 * MB });
      state.addPartition('dw', 'sales_fact', {
        name: 'p20261125',
        rows: 500,
        sizeBytes: 50 * MB,
        range: day('2026-11-25'),
      });
    });
    const n3 = await run('n3', () => {
      state.load('dw', 'sales_fact', 'p20261125', { rows: 60, sizeBytes: 6 * MB });
      state.dropPartition('dw', 'sales_fact', 'p20261121');
    });
    const n4 = await run('n4', () => {
      state.load('dw', 'sales_fact', 'p20261122', { rows: 1, sizeBytes: 100 }); // a late update
      state.addPartition('dw', 'sales_fact', {
        name: 'p20261126',
        rows: 600,
        sizeBytes: 60 * MB,
        range: day('2026-11-26'),
      });
    });
    const n5 = await run('n5', () => {
      state.createTable('dw', {
        name: 'returns',
        partitioning: 'RANGE',
        partitions: [
          { name: 'p202611', rows: 7, sizeBytes: MB, range: { from: '2026-11-01', to: '2026-12-01' } },
        ],
      });
      state.load('dw', 'sales_fact', 'p20261126', { rows: 10, sizeBytes: MB });
    });
    const n6 = await run('n6', () => {
      state.alterSchema('dw', 'events', 'v2 (ADD COLUMN source)'); // no partition version moves
      state.load('dw', 'returns', 'p202611', { rows: 3, sizeBytes: 300_000 });
    });
    const n7 = await run('n7', () => {
      state.replacePartition('dw', 'sales_fact', 'p20261123', { rows: 333, sizeBytes: 33 * MB }); // INSERT OVERWRITE
      state.load('dw', 'sales_fact', 'p20261126', { rows: 20, sizeBytes: 2 * MB });
      state.load('dw', 'dim_city', 'dim_city', { rows: 5, sizeBytes: 500_000 });
    });
    const n8 = await run('n8', () => {});
    const atLastNight = comparable(state.contents('dw'));

    // Assess: each night's BACKUP names exactly what changed since the full, and the snapshot holds exactly that.
    expect(n1.decision.kind).toBe('full');
    expect(n1.backups).toEqual([backupOf('n1', '')]);
    expect(heldBy(state.snapshotContents('repo', 'n1'))).toEqual([
      ['dim_city', ['dim_city']],
      ['dim_store', ['dim_store']],
      ['events', ['e20261123', 'e20261124']],
      ['sales_fact', ['p20261121', 'p20261122', 'p20261123', 'p20261124']],
    ]);
    const sales = (partitions: string) => `\`sales_fact\` PARTITION (${partitions})`;
    const quoted = (...names: string[]) => names.map((name) => `\`${name}\``).join(', ');
    expect(n2.backups).toEqual([backupOf('n2', ` ON (${sales(quoted('p20261124', 'p20261125'))})`)]);
    expect(n3.backups).toEqual([backupOf('n3', ` ON (${sales(quoted('p20261124', 'p20261125'))})`)]);
    expect(n3.decision.plan?.objects.find((object) => object.name === 'sales_fact')).toMatchObject({
      change: 'partitions',
      droppedPartitions: ['p20261121'],
    });
    const n4Partitions = quoted('p20261122', 'p20261124', 'p20261125', 'p20261126');
    expect(n4.backups).toEqual([backupOf('n4', ` ON (${sales(n4Partitions)})`)]);
    expect(n5.backups).toEqual([backupOf('n5', ` ON (${sales(n4Partitions)}, \`returns\`)`)]);
    expect(n6.backups).toEqual([backupOf('n6', ` ON (${sales(n4Partitions)}, \`events\`, \`returns\`)`)]);
    // The schema change is seen through SHOW CREATE TABLE (partitions left out), and only there.
    expect(n6.decision.plan?.objects.find((object) => object.name === 'events')).toMatchObject({
      change: 'whole',
      why: 'schema-changed',
    });
    const fingerprints = (n: Night, table: string) =>
      n.decision.manifest.tables.find((entry) => entry.name === table)?.fingerprint;
    expect(fingerprints(n6, 'events')).not.toBe(fingerprints(n5, 'events'));
    expect(new Set(nights.map((n) => fingerprints(n, 'sales_fact'))).size).toBe(1);
    const n7Partitions = quoted('p20261122', 'p20261123', 'p20261124', 'p20261125', 'p20261126');
    expect(n7.backups).toEqual([
      backupOf('n7', ` ON (${sales(n7Partitions)}, \`dim_city\`, \`events\`, \`returns\`)`),
    ]);
    expect(n7.decision.plan?.objects.find((object) => object.name === 'sales_fact')).toMatchObject({
      replacedPartitions: ['p20261123'],
      droppedPartitions: ['p20261121'],
    });
    expect(n8.decision.backupRequest).toBeNull();
    expect(n8.backups).toEqual([]);
    expect(n8.timestamp).toBeNull();
    // Every snapshot holds the source's partitions as they were at its BACKUP: rows, bytes and version.
    for (const { label, source, backupRequest } of nights.map((n) => ({
      ...n,
      backupRequest: n.decision.backupRequest,
    }))) {
      if (backupRequest === null) continue;
      const held = comparable(state.snapshotContents('repo', label));
      const expected = held.map((table) => {
        const now = source.find((entry) => entry.name === table.name);
        const names = new Set(table.partitions.map((partition) => partition.name));
        return {
          name: table.name,
          partitions: (now?.partitions ?? []).filter((partition) => names.has(partition.name)),
        };
      });
      expect(
        held.map(({ name, partitions }) => ({ name, partitions })),
        label,
      ).toEqual(expected);
    }
    expect(heldBy(state.snapshotContents('repo', 'n7'))).toEqual([
      ['dim_city', ['dim_city']],
      ['events', ['e20261123', 'e20261124']],
      ['returns', ['p202611']],
      ['sales_fact', ['p20261122', 'p20261123', 'p20261124', 'p20261125', 'p20261126']],
    ]);

    // Act: restore the last point (n7; n8 was unchanged) as its chain, into a new database over SQL.
    const fullManifest = n1.decision.manifest;
    const lastManifest = n7.decision.manifest;
    const steps = restoreSteps(
      chainSnapshot('n7', 'n1'),
      chainSnapshot('n1', null),
      lastManifest,
      fullManifest,
    );
    const restoreFrom = fe.statements.length;
    const result = await runRestoreChain(client, steps, {
      repository: 'repo',
      sourceDatabase: 'dw',
      targetDatabase: 'dw_restored',
      snapshotTimestamps: { n1: String(n1.timestamp), n7: String(n7.timestamp) },
      timeoutSeconds: TIMEOUT_SECONDS,
      pollSeconds: 5,
      wait: async (seconds) => clock.advance(seconds * 1000),
    });

    // Assess: the steps, the SQL they sent, and the restored database table by table, partition by partition.
    expect(steps.map((step) => step.step)).toEqual([
      'restore-full',
      'drop-partitions',
      'drop-partitions',
      'restore-differential',
      'check',
    ]);
    const sent = fe.statements
      .slice(restoreFrom)
      .map((statement) => statement.sql)
      .filter((sql) => /^(CREATE DATABASE|RESTORE|ALTER TABLE)/.test(sql));
    expect(sent).toEqual([
      'CREATE DATABASE `dw_restored`',
      `RESTORE SNAPSHOT \`dw_restored\`.\`n1\` FROM \`repo\` ON (\`sales_fact\`, \`dim_store\`) PROPERTIES ("backup_timestamp" = '${n1.timestamp}', "timeout" = "${TIMEOUT_SECONDS}")`,
      'ALTER TABLE `dw_restored`.`sales_fact` DROP PARTITION `p20261121` FORCE',
      'ALTER TABLE `dw_restored`.`sales_fact` DROP PARTITION `p20261123` FORCE',
      `RESTORE SNAPSHOT \`dw_restored\`.\`n7\` FROM \`repo\` ON (${sales(n7Partitions)}, \`dim_city\`, \`events\`, \`returns\`) PROPERTIES ("backup_timestamp" = '${n7.timestamp}', "timeout" = "${TIMEOUT_SECONDS}")`,
    ]);
    expect(result.ran.map((entry) => [entry.step, entry.job?.state ?? null])).toEqual([
      ['restore-full', 'FINISHED'],
      ['drop-partitions', null],
      ['drop-partitions', null],
      ['restore-differential', 'FINISHED'],
      ['check', null],
    ]);
    expect(result.mismatches).toEqual([]);
    const restored = comparable(state.contents('dw_restored'));
    expect(restored.map((table) => table.name)).toEqual(atLastNight.map((table) => table.name));
    for (const table of atLastNight) {
      expect(
        restored.find((entry) => entry.name === table.name),
        table.name,
      ).toEqual(table);
    }
  });

  it('accepts a load that lands between the manifest read and the BACKUP (a newer version), and flags an older one', async () => {
    // Prepare: each BACKUP is sent after a load that its manifest did not see.
    const clock = createManualClock();
    const fe = await startEmulator({ clock, scenario });
    emulator = fe;
    const client = createStarRocksClient(settingsFor(fe));
    const take = async (label: string, base: Manifest | null) => {
      const decision = await planNight(client, 'dw', base);
      fe.state.load('dw', 'sales_fact', 'p20261124', { rows: 1, sizeBytes: 100 });
      if (decision.backupRequest === null) throw new Error('nothing changed');
      await client.submitBackup({
        ...decision.backupRequest,
        label,
        repository: 'repo',
        timeoutSeconds: TIMEOUT_SECONDS,
      });
      clock.advance(JOB_MS);
      return {
        manifest: decision.manifest,
        timestamp: String((await client.showSnapshot('repo', label))?.timestamps[0]),
      };
    };
    const full = await take('f1', null);
    clock.advance(DAY_MS);
    const differential = await take('d1', full.manifest);
    const restore = (target: string, differentialManifest: Manifest) =>
      runRestoreChain(
        client,
        restoreSteps(
          chainSnapshot('d1', 'f1'),
          chainSnapshot('f1', null),
          differentialManifest,
          full.manifest,
        ),
        {
          repository: 'repo',
          sourceDatabase: 'dw',
          targetDatabase: target,
          snapshotTimestamps: { f1: full.timestamp, d1: differential.timestamp },
          timeoutSeconds: TIMEOUT_SECONDS,
          pollSeconds: 5,
          wait: async (seconds) => clock.advance(seconds * 1000),
        },
      );
    const recorded = (manifest: Manifest) =>
      manifest.tables
        .find((table) => table.name === 'sales_fact')
        ?.partitions.find((p) => p.name === 'p20261124')?.visibleVersion as string;
    const ahead: Manifest = {
      ...differential.manifest,
      tables: differential.manifest.tables.map((table) => ({
        ...table,
        partitions: table.partitions.map((partition) =>
          partition.name === 'p20261124'
            ? { ...partition, visibleVersion: String(BigInt(partition.visibleVersion) + 5n) }
            : partition,
        ),
      })),
    };

    // Act
    const newer = await restore('dw_newer', differential.manifest);
    const older = await restore('dw_older', ahead);

    // Assess: the snapshot holds one version more than its manifest, which the check accepts; a partition restored
    // older than its manifest is data lost, which it names.
    const restoredVersion = comparable(fe.state.contents('dw_newer'))
      .find((table) => table.name === 'sales_fact')
      ?.partitions.find((partition) => partition.name === 'p20261124')?.visibleVersion;
    expect(String(restoredVersion)).toBe(String(BigInt(recorded(differential.manifest)) + 1n));
    expect(newer.mismatches).toEqual([]);
    expect(older.mismatches).toEqual([
      {
        table: 'sales_fact',
        partition: 'p20261124',
        expected: recorded(ahead),
        actual: String(restoredVersion),
      },
    ]);
  });
});
