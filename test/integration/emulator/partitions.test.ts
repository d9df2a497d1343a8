// Time: about 0.2 s of tests (19 cases); virtual clocks (createManualClock), no sleeps.
import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type EmulatorTableContents,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { connect, legacyError, rows, sqlError } from './helpers.ts';

const MB = 1_000_000;
const JOB_MS = 10_000;

/** A warehouse: a range-partitioned fact table (four days), an unpartitioned dimension, a list table. */
function warehouse(overrides: Partial<EmulatorScenario> = {}): EmulatorScenario {
  return {
    version: '3.3',
    feTimeZone: 'UTC',
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
                name: 'p20261121',
                rows: 100,
                sizeBytes: 10 * MB,
                range: { from: '2026-11-21', to: '2026-11-22' },
              },
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
                rows: 400,
                sizeBytes: 40 * MB,
                range: { from: '2026-11-24', to: '2026-11-25' },
              },
            ],
          },
          { name: 'dim_city', rows: 50, sizeBytes: 5 * MB },
          {
            name: 'by_region',
            partitioning: 'LIST',
            partitions: [
              { name: 'p_eu', rows: 10, sizeBytes: MB, values: ['eu'] },
              { name: 'p_us', rows: 20, sizeBytes: 2 * MB, values: ['us'] },
            ],
          },
        ],
      },
    ],
    defaultBackupDurationMs: JOB_MS,
    defaultRestoreDurationMs: JOB_MS,
    ...overrides,
  };
}

interface Harness {
  emulator: EmulatorHandle;
  connection: mysql.Connection;
  clock: ManualClock;
}

let harness: Harness | undefined;

async function start(scenario: EmulatorScenario = warehouse()): Promise<Harness> {
  const clock = createManualClock();
  const emulator = await startEmulator({ clock, scenario });
  harness = { emulator, connection: await connect(emulator), clock };
  return harness;
}

afterEach(async () => {
  await harness?.connection.end();
  await harness?.emulator.close();
  harness = undefined;
});

/** SHOW SNAPSHOT's Timestamp of a snapshot (what RESTORE's backup_timestamp names). */
async function timestampOf(connection: mysql.Connection, snapshot: string): Promise<string> {
  const [row] = await rows(connection, `SHOW SNAPSHOT ON repo WHERE SNAPSHOT = '${snapshot}'`);
  return String(row?.Timestamp);
}

/** What a restore must reproduce: per table, per partition, its name, rows, bytes and visible version. */
function comparable(tables: readonly EmulatorTableContents[] | undefined) {
  return [...(tables ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((table) => ({
      name: table.name,
      schema: table.schema,
      rows: table.rows,
      partitions: table.partitions.map((partition) => ({
        name: partition.name,
        rows: partition.rows,
        sizeBytes: partition.sizeBytes,
        visibleVersion: partition.visibleVersion,
      })),
    }));
}

describe('information_schema.partitions_meta per version (PartitionsMetaSystemTable, PR #39265)', () => {
  it('answers one row per partition with its id, visible version and time, rows and bytes', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    clock.advance(60_000);
    emulator.state.load('dw', 'sales_fact', 'p20261124', { rows: 40, sizeBytes: 4 * MB });
    const contents = emulator.state.contents('dw');
    const fact = contents?.find((table) => table.name === 'sales_fact');

    // Act
    const result = await rows(
      connection,
      "SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, VISIBLE_VERSION, VISIBLE_VERSION_TIME, ROW_COUNT, DATA_SIZE FROM information_schema.partitions_meta WHERE DB_NAME = 'dw' AND TABLE_NAME = 'sales_fact'",
    );

    // Assess
    expect(result).toEqual(
      (fact?.partitions ?? []).map((partition) => ({
        DB_NAME: 'dw',
        TABLE_NAME: 'sales_fact',
        PARTITION_NAME: partition.name,
        PARTITION_ID: partition.id,
        VISIBLE_VERSION: partition.visibleVersion,
        VISIBLE_VERSION_TIME: partition.name === 'p20261124' ? '2026-11-25 02:01:00' : '2026-11-25 02:00:00',
        ROW_COUNT: partition.rows,
        DATA_SIZE: `${partition.sizeBytes}B`,
      })),
    );
    expect(result.map((row) => [row.PARTITION_NAME, row.VISIBLE_VERSION, row.ROW_COUNT])).toEqual([
      ['p20261121', 2, 100],
      ['p20261122', 2, 200],
      ['p20261123', 2, 300],
      ['p20261124', 3, 440],
    ]);
    const all = await rows(
      connection,
      "SELECT PARTITION_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'dw'",
    );
    expect(all.map((row) => row.PARTITION_NAME)).toEqual([
      'p20261121',
      'p20261122',
      'p20261123',
      'p20261124',
      'dim_city',
      'p_eu',
      'p_us',
    ]);
  });

  it.each([
    ['3.1.9', 25, false],
    ['3.2.4', 25, false],
    ['3.3.1', 25, false],
    ['3.3.2', 28, false],
    ['3.4.4', 29, false],
    ['4.0', 31, true],
  ])('%s has it: %i columns, DATA_SIZE as bytes: %s', async (version, count, bigintSize) => {
    const { connection } = await start(warehouse({ version }));
    const [result, fields] = await connection.query(
      "SELECT * FROM information_schema.partitions_meta WHERE DB_NAME = 'dw' AND TABLE_NAME = 'dim_city'",
    );
    const names = (fields as { name: string }[]).map((field) => field.name);
    expect(names).toHaveLength(count);
    expect(names.slice(0, 8)).toEqual([
      'DB_NAME',
      'TABLE_NAME',
      'PARTITION_NAME',
      'PARTITION_ID',
      'COMPACT_VERSION',
      'VISIBLE_VERSION',
      'VISIBLE_VERSION_TIME',
      'NEXT_VERSION',
    ]);
    expect(names.includes('DATA_VERSION')).toBe(
      version !== '3.1.9' && version !== '3.2.4' && version !== '3.3.1',
    );
    const [row] = result as Record<string, unknown>[];
    // BIGINT columns reach mysql2 as numbers.
    expect(row?.DATA_SIZE).toBe(bigintSize ? 5 * MB : `${5 * MB}B`);
  });

  it.each(['3.0', '3.1.8', '3.2.3'])('%s lacks it and answers the unknown-table error', async (version) => {
    // 3.0 has no list partitioning: leave the list table out.
    const scenario = warehouse({ version });
    const databases = scenario.databases.map((database) => ({
      ...database,
      tables: database.tables.filter((table) => table.partitioning !== 'LIST'),
    }));
    const { connection } = await start({ ...scenario, databases });
    expect(
      await sqlError(
        connection,
        "SELECT PARTITION_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'dw'",
      ),
    ).toEqual(legacyError("Unknown table 'information_schema.partitions_meta'"));
  });
});

describe('SHOW PARTITIONS (common/proc/PartitionsProcDir)', () => {
  it('shows each partition with its real id, version, version time, size and row count; TRUNCATE gives a new id', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    const before = emulator.state.contents('dw')?.[0]?.partitions ?? [];
    clock.advance(3_600_000);
    emulator.state.load('dw', 'sales_fact', 'p20261121', { rows: 5 });
    const replaced = emulator.state.replacePartition('dw', 'sales_fact', 'p20261122');
    emulator.state.dropPartition('dw', 'sales_fact', 'p20261123');

    // Act
    const result = await rows(connection, 'SHOW PARTITIONS FROM dw.sales_fact');

    // Assess
    expect(
      result.map((row) => [
        row.PartitionId,
        row.PartitionName,
        row.VisibleVersion,
        row.VisibleVersionTime,
        row.DataSize,
        row.RowCount,
      ]),
    ).toEqual([
      [String(before[0]?.id), 'p20261121', '3', '2026-11-25 03:00:00', `${10 * MB + 500_000}B`, '105'],
      [String(replaced.id), 'p20261122', '1', '2026-11-25 03:00:00', '0B', '0'],
      [String(before[3]?.id), 'p20261124', '2', '2026-11-25 02:00:00', `${40 * MB}B`, '400'],
    ]);
    expect(replaced.id).not.toBe(before[1]?.id);
    const [dim] = await rows(connection, 'SHOW PARTITIONS FROM dw.dim_city');
    expect(dim).toMatchObject({ PartitionName: 'dim_city', VisibleVersion: '2', RowCount: '50' });
  });
});

describe('partition BACKUP (BackupJob selectiveCopy)', () => {
  it('records exactly the named partitions with their versions and contents at backup time', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    emulator.state.load('dw', 'sales_fact', 'p20261124', { rows: 4, sizeBytes: 400 });

    // Act
    await connection.query(
      'BACKUP SNAPSHOT dw.diff1 TO repo ON (sales_fact PARTITION (p20261123, p20261124), dim_city)',
    );
    emulator.state.load('dw', 'sales_fact', 'p20261124', { rows: 1 }); // after the copy: not in the snapshot
    const [job] = await rows(connection, 'SHOW BACKUP FROM dw');
    clock.advance(JOB_MS);
    const [snapshot] = await rows(
      connection,
      "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 'diff1' AND TIMESTAMP = '2026-11-25-02-00-00-000'",
    );

    // Assess
    expect(job?.BackupObjs).toBe('[dw.dim_city], [dw.sales_factPARTITIONS (p20261123, p20261124)]');
    const recorded = emulator.state.snapshotContents('repo', 'diff1');
    expect(
      recorded?.map((table) => [
        table.name,
        table.partitions.map((p) => [p.name, p.visibleVersion, p.rows, p.sizeBytes]),
      ]),
    ).toEqual([
      ['dim_city', [['dim_city', 2, 50, 5 * MB]]],
      [
        'sales_fact',
        [
          ['p20261123', 2, 300, 30 * MB],
          ['p20261124', 3, 404, 40 * MB + 400],
        ],
      ],
    ]);
    expect(String(snapshot?.Details)).toContain('"p20261123"');
    expect(String(snapshot?.Details)).not.toContain('"p20261121"');
    expect(
      await sqlError(connection, 'BACKUP SNAPSHOT dw.diff2 TO repo ON (sales_fact PARTITION (p20990101))'),
    ).toEqual(legacyError('partition[p20990101] does not exist  in tablesales_fact'));
  });

  it('spends UPLOADING time proportional to the bytes it uploads when the scenario sets a rate', async () => {
    // Prepare
    const { connection, clock, emulator } = await start(warehouse({ uploadBytesPerSecond: MB }));
    const uploadingMs = async (on: string, label: string): Promise<number> => {
      await connection.query(`BACKUP SNAPSHOT dw.${label} TO repo ON (${on})`);
      let uploading = 0;
      for (let step = 0; step < 2_000 && emulator.state.latestJob('dw')?.state !== 'FINISHED'; step++) {
        if (emulator.state.latestJob('dw')?.state === 'UPLOADING') uploading += 100;
        clock.advance(100);
      }
      return uploading;
    };

    // Act
    const small = await uploadingMs('sales_fact PARTITION (p20261121)', 'small'); // 10 MB
    const large = await uploadingMs('sales_fact PARTITION (p20261121, p20261123)', 'large'); // 40 MB
    const whole = await uploadingMs('sales_fact', 'whole'); // 100 MB

    // Assess
    expect(small).toBe(10_000);
    expect(large).toBe(40_000);
    expect(whole).toBe(100_000);
  });

  it('keeps the fixed duration without a rate', async () => {
    const { connection, clock, emulator } = await start();
    await connection.query('BACKUP SNAPSHOT dw.fixed TO repo ON (sales_fact)');
    clock.advance(JOB_MS - 1);
    expect(emulator.state.latestJob('dw')?.state).not.toBe('FINISHED');
    clock.advance(1);
    expect(emulator.state.latestJob('dw')?.state).toBe('FINISHED');
  });
});

describe('RESTORE of partition snapshots (RestoreJob.checkAndPrepareMeta)', () => {
  it('restores a chain (full into a new database, then a partition snapshot into it) to the database as it was', async () => {
    // Prepare: night 1's full, then a day of changes and night 2's differential.
    const { connection, clock, emulator } = await start();
    await connection.query('BACKUP SNAPSHOT dw.full1 TO repo');
    clock.advance(JOB_MS);
    clock.advance(86_400_000 - JOB_MS);
    emulator.state.load('dw', 'sales_fact', 'p20261124', { rows: 40, sizeBytes: 4 * MB });
    emulator.state.load('dw', 'sales_fact', 'p20261121', { rows: 1, sizeBytes: 100 }); // a late update
    emulator.state.addPartition('dw', 'sales_fact', {
      name: 'p20261125',
      rows: 500,
      sizeBytes: 50 * MB,
      range: { from: '2026-11-25', to: '2026-11-26' },
    });
    emulator.state.dropPartition('dw', 'sales_fact', 'p20261122');
    await connection.query(
      'BACKUP SNAPSHOT dw.diff2 TO repo ON (sales_fact PARTITION (p20261121, p20261124, p20261125))',
    );
    clock.advance(JOB_MS);
    const expected = comparable(emulator.state.contents('dw'));

    // Act: the chain into a new database (the 3.3 FE needs it to exist).
    await connection.query('CREATE DATABASE dw_restored');
    await connection.query(
      `RESTORE SNAPSHOT dw_restored.full1 FROM repo PROPERTIES ('backup_timestamp' = '${await timestampOf(connection, 'full1')}')`,
    );
    clock.advance(JOB_MS);
    // The chain's DROP PARTITION … FORCE step for a partition dropped since the full.
    emulator.state.dropPartition('dw_restored', 'sales_fact', 'p20261122');
    await connection.query(
      `RESTORE SNAPSHOT dw_restored.diff2 FROM repo ON (sales_fact PARTITION (p20261121, p20261124, p20261125)) PROPERTIES ('backup_timestamp' = '${await timestampOf(connection, 'diff2')}')`,
    );
    const [restoreJob] = await rows(connection, 'SHOW RESTORE FROM dw_restored');
    clock.advance(JOB_MS);
    const [finished] = await rows(connection, 'SHOW RESTORE FROM dw_restored');
    const [count] = await rows(connection, 'SELECT COUNT(*) AS n FROM dw_restored.sales_fact');

    // Assess
    expect(restoreJob?.RestoreObjs).toMatch(/^sales_fact PARTITIONS \[(p2026112[145](, )?){3}\]$/);
    expect(finished).toMatchObject({ State: 'FINISHED', Status: '[OK]' });
    expect(comparable(emulator.state.contents('dw_restored'))).toEqual(expected);
    expect(count?.n).toBe(101 + 300 + 440 + 500);
  });

  const refusal = async (
    change: (emulator: EmulatorHandle) => void,
    on: string,
    extra = '',
  ): Promise<Record<string, unknown> | undefined> => {
    const { connection, clock, emulator } = await start();
    await connection.query('BACKUP SNAPSHOT dw.snap TO repo');
    clock.advance(JOB_MS);
    change(emulator);
    await connection.query(
      `RESTORE SNAPSHOT dw.snap FROM repo ON (${on}) PROPERTIES ('backup_timestamp' = '2026-11-25-02-00-00-000'${extra})`,
    );
    clock.advance(JOB_MS);
    const [row] = await rows(connection, 'SHOW RESTORE FROM dw');
    return row;
  };

  it.each([
    [
      'a schema change',
      (emulator: EmulatorHandle) => emulator.state.alterSchema('dw', 'sales_fact'),
      'sales_fact PARTITION (p20261121)',
      'Table sales_fact already exist but with different schema, errMsg: ',
    ],
    [
      'a list partition the table lacks',
      (emulator: EmulatorHandle) => emulator.state.dropPartition('dw', 'by_region', 'p_us'),
      'by_region PARTITION (p_us)',
      'No partition exist in single partitioned table by_region',
    ],
    [
      'a range partition overlapping an existing one',
      (emulator: EmulatorHandle) => {
        emulator.state.dropPartition('dw', 'sales_fact', 'p20261122');
        emulator.state.addPartition('dw', 'sales_fact', {
          name: 'p_other',
          range: { from: '2026-11-22', to: '2026-11-23' },
        });
      },
      'sales_fact PARTITION (p20261122)',
      'Partition p20261122 in table sales_fact has conflict range with existing ranges',
    ],
  ])('refuses %s', async (_what, change, on, text) => {
    expect(await refusal(change, on)).toMatchObject({
      State: 'CANCELLED',
      Status: `[COMMON_ERROR, msg: ${text}]`,
    });
  });

  it('refuses a replication_num other than the table’s, and overwrites a same-named partition otherwise', async () => {
    expect(
      await refusal(() => {}, 'sales_fact PARTITION (p20261121)', ", 'replication_num' = '1'"),
    ).toMatchObject({
      State: 'CANCELLED',
      Status:
        "[COMMON_ERROR, msg: Partition p20261121 in table sales_fact has different replication num '3' with partition in repository, which is 1]",
    });
    await harness?.connection.end();
    await harness?.emulator.close();
    let partitionId = 0;
    const row = await refusal((emulator) => {
      partitionId = emulator.state.load('dw', 'sales_fact', 'p20261121', { rows: 7 }).id;
    }, 'sales_fact PARTITION (p20261121)');
    expect(row).toMatchObject({ State: 'FINISHED' });
    const restored = harness?.emulator.state.contents('dw')?.[0]?.partitions[0];
    // Overwritten, not merged: the snapshot's rows and version; the local partition keeps its id.
    expect(restored).toMatchObject({ name: 'p20261121', id: partitionId, rows: 100, visibleVersion: 2 });
  });
});
