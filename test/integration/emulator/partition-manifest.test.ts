// Time: about 0.3 s of tests (11 cases, an emulator per case over the MySQL protocol); virtual clock, no sleeps.
import { afterEach, describe, expect, it } from 'vitest';
import type { Manifest } from '#domain/differential/manifest.ts';
import { StarRocksSqlError } from '#domain/errors.ts';
import { createStarRocksClient, type FullStarRocksClient } from '#domain/starrocks/client.ts';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type EmulatorTableContents,
  type ManualClock,
  type ProfileId,
  startEmulator,
} from '#local/emulator/index.ts';
import { PASSWORD, settingsFor } from '../starrocks/support.ts';

const MB = 1_000_000;

/**
 * A range fact table, an unpartitioned dimension, a list table and an automatic-list table (from 3.1: 3.0 has no
 * list partitioning), a view and an MV.
 */
function warehouse(version: string): EmulatorScenario {
  const lists = !version.startsWith('3.0');
  return {
    version,
    // Not UTC: the client pins its session to UTC, so the manifest's times must not depend on this.
    feTimeZone: 'Asia/Shanghai',
    users: [{ name: 'backup', password: PASSWORD }],
    repositories: [{ name: 'repo', location: 's3a://bucket/backups' }],
    databases: [
      {
        name: 'dw',
        tables: [
          {
            name: 'sales_fact',
            partitioning: 'RANGE',
            partitions: [
              {
                name: 'p20261122',
                rows: 200,
                sizeBytes: 20 * MB,
                range: { from: '2026-11-22', to: '2026-11-23' },
              },
              {
                name: 'p20261123',
                rows: 300,
                sizeBytes: 30 * MB,
                range: { from: '2026-11-23', to: '2026-11-24' },
              },
              {
                name: 'p20261124',
                rows: 0,
                sizeBytes: 0,
                range: { from: '2026-11-24', to: '2026-11-25' },
              },
            ],
          },
          { name: 'dim_city', rows: 50, sizeBytes: 5 * MB },
          ...(lists ? listTables : []),
          { name: 'v_sales', type: 'VIEW' },
          { name: 'mv_sales', type: 'MATERIALIZED_VIEW', sizeBytes: 512 },
        ],
      },
    ],
  };
}

const listTables: EmulatorScenario['databases'][number]['tables'] = [
  {
    name: 'by_region',
    partitioning: 'LIST',
    partitions: [
      { name: 'p_eu', rows: 10, sizeBytes: MB, values: ['eu'] },
      { name: 'p_us', rows: 20, sizeBytes: 2 * MB, values: ['us'] },
    ],
  },
  {
    name: 'by_day_auto',
    partitioning: 'AUTOMATIC_LIST',
    partitions: [{ name: 'p20261124', rows: 5, sizeBytes: MB, values: ['2026-11-24'] }],
  },
];

/** What the manifest must say of the emulator's tables: ids, versions, times (UTC, whole seconds), kinds. */
function expectedTables(contents: readonly EmulatorTableContents[] | undefined) {
  return (contents ?? [])
    .filter((table) => table.type === 'OLAP')
    .map((table) => ({
      name: table.name,
      partitioning: table.partitioning === 'AUTOMATIC_LIST' ? 'LIST' : table.partitioning,
      partitions: table.partitions.map((partition) => ({
        name: partition.name,
        id: String(partition.id),
        visibleVersion: String(partition.visibleVersion),
        visibleVersionTime:
          partition.visibleVersionTime === 0
            ? null
            : new Date(Math.floor(partition.visibleVersionTime / 1000) * 1000).toISOString(),
      })),
    }));
}

function withoutFingerprints(manifest: Manifest) {
  return manifest.tables.map(({ fingerprint: _fingerprint, ...table }) => table);
}

function partitionOf(manifest: Manifest, table: string, partition: string) {
  return manifest.tables.find((entry) => entry.name === table)?.partitions.find((p) => p.name === partition);
}

let emulator: EmulatorHandle | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(
  version: string,
): Promise<{ client: FullStarRocksClient; clock: ManualClock; fe: EmulatorHandle }> {
  const clock = createManualClock();
  emulator = await startEmulator({ clock, scenario: warehouse(version) });
  return { client: createStarRocksClient(settingsFor(emulator)), clock, fe: emulator };
}

function sentSince(fe: EmulatorHandle, from: number): string[] {
  return fe.statements.slice(from).map((statement) => statement.sql);
}

const PROFILES: readonly { version: ProfileId; source: 'partitions_meta' | 'SHOW PARTITIONS' }[] = [
  { version: '3.3', source: 'partitions_meta' },
  { version: '3.0', source: 'SHOW PARTITIONS' },
];

describe.each(PROFILES)('readPartitionManifest on $version (from $source)', ({ version, source }) => {
  it('reads back exactly the partitions the scenario declared, views and MVs in others', async () => {
    // Prepare
    const { client, fe } = await start(version);
    const from = fe.statements.length;

    // Act
    const manifest = await client.readPartitionManifest('dw');

    // Assess
    expect(withoutFingerprints(manifest)).toEqual(expectedTables(fe.state.contents('dw')));
    expect(manifest.others).toEqual([
      { name: 'v_sales', kind: 'VIEW', fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      { name: 'mv_sales', kind: 'MATERIALIZED_VIEW', fingerprint: expect.stringMatching(/^sha256:/) },
    ]);
    const sent = sentSince(fe, from);
    const metaQueries = sent.filter((sql) => sql.includes('information_schema.partitions_meta'));
    const showPartitions = sent.filter((sql) => sql.startsWith('SHOW PARTITIONS'));
    if (source === 'partitions_meta') {
      expect(metaQueries).toHaveLength(1);
      expect(showPartitions).toEqual([]);
    } else {
      expect(metaQueries).toEqual([]);
      expect(showPartitions).toHaveLength(2);
    }
  });

  it('a load into one partition changes exactly that partition’s version and time', async () => {
    // Prepare
    const { client, clock, fe } = await start(version);
    const before = await client.readPartitionManifest('dw');
    clock.advance(90_000);
    fe.state.load('dw', 'sales_fact', 'p20261123', { rows: 7 });

    // Act
    const after = await client.readPartitionManifest('dw');

    // Assess
    const changed = partitionOf(after, 'sales_fact', 'p20261123');
    expect(changed).toEqual({
      ...partitionOf(before, 'sales_fact', 'p20261123'),
      visibleVersion: '3',
      visibleVersionTime: new Date(clock.now()).toISOString(),
    });
    const unchanged = (manifest: Manifest) =>
      manifest.tables.map((table) => ({
        ...table,
        partitions: table.partitions.filter((p) => !(table.name === 'sales_fact' && p.name === 'p20261123')),
      }));
    expect(unchanged(after)).toEqual(unchanged(before));
    expect(after.tables.map((table) => table.fingerprint)).toEqual(
      before.tables.map((table) => table.fingerprint),
    );
  });

  it('DROP PARTITION … FORCE over SQL removes that partition and nothing else', async () => {
    // Prepare
    const { client, fe } = await start(version);
    const before = await client.readPartitionManifest('dw');

    // Act
    await client.dropPartition('dw', 'sales_fact', 'p20261122', { force: true });
    const after = await client.readPartitionManifest('dw');

    // Assess
    expect(fe.statements.map((statement) => statement.sql)).toContain(
      'ALTER TABLE `dw`.`sales_fact` DROP PARTITION `p20261122` FORCE',
    );
    expect(after.tables.find((table) => table.name === 'sales_fact')?.partitions.map((p) => p.name)).toEqual([
      'p20261123',
      'p20261124',
    ]);
    expect(after.tables.filter((table) => table.name !== 'sales_fact')).toEqual(
      before.tables.filter((table) => table.name !== 'sales_fact'),
    );
    expect(withoutFingerprints(after)).toEqual(expectedTables(fe.state.contents('dw')));
  });

  it('refuses to drop a missing partition unless IF EXISTS, and any partition of an unpartitioned table', async () => {
    // Prepare
    const { client } = await start(version);

    // Act
    const missing = await client
      .dropPartition('dw', 'sales_fact', 'p19990101')
      .catch((error: unknown) => error);
    const unpartitioned = await client
      .dropPartition('dw', 'dim_city', 'dim_city')
      .catch((error: unknown) => error);
    await client.dropPartition('dw', 'sales_fact', 'p19990101', { ifExists: true, force: true });

    // Assess
    expect(missing).toBeInstanceOf(StarRocksSqlError);
    expect((missing as Error).message).toContain('Error in list of partitions to p19990101');
    expect(unpartitioned).toBeInstanceOf(StarRocksSqlError);
    expect((unpartitioned as Error).message).toContain(
      'Alter table [dim_city] failed. Not a partitioned table',
    );
  });
});

describe('readPartitionManifest falls back', () => {
  it('to SHOW PARTITIONS when partitions_meta answers the unknown-table error on a version that should have it', async () => {
    // Prepare
    const { client, fe } = await start('3.3');
    fe.faults.failStatements(
      /information_schema\.partitions_meta/,
      "Unknown table 'information_schema.partitions_meta'",
    );
    const from = fe.statements.length;

    // Act
    const manifest = await client.readPartitionManifest('dw');

    // Assess
    expect(withoutFingerprints(manifest)).toEqual(expectedTables(fe.state.contents('dw')));
    expect(sentSince(fe, from).filter((sql) => sql.startsWith('SHOW PARTITIONS'))).toHaveLength(4);
  });

  it('to the version: 3.2.3 lacks partitions_meta (3.2.4+ has it) and is asked nothing of it', async () => {
    // Prepare
    const { client, fe } = await start('3.2.3');
    const from = fe.statements.length;

    // Act
    const manifest = await client.readPartitionManifest('dw');

    // Assess
    expect(withoutFingerprints(manifest)).toEqual(expectedTables(fe.state.contents('dw')));
    expect(sentSince(fe, from).some((sql) => sql.includes('partitions_meta'))).toBe(false);
  });

  it('gives the same fingerprints from either source (so an upgrade past 3.3.0 is not a schema change)', async () => {
    // Prepare
    const modern = await start('3.3');
    const viaMeta = await modern.client.readPartitionManifest('dw');
    await modern.fe.close();
    emulator = undefined;
    const old = await start('3.0');

    // Act
    const viaShow = await old.client.readPartitionManifest('dw');

    // Assess
    const names = viaShow.tables.map((table) => table.name);
    expect(names).toEqual(['sales_fact', 'dim_city']);
    expect(viaShow.tables.map((table) => [table.name, table.fingerprint])).toEqual(
      viaMeta.tables
        .filter((table) => names.includes(table.name))
        .map((table) => [table.name, table.fingerprint]),
    );
  });
});
