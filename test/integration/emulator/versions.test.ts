/**
 * What each version profile does differently (local/emulator/profiles.ts, docs/emulator.md "Version profiles"),
 * over TCP with mysql2: the StarRocks source line or PR each behaviour follows is named in the test.
 */
import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  startEmulator,
  validateScenario,
} from '#local/emulator/index.ts';
import { connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

const opened: { emulator: EmulatorHandle; connection: mysql.Connection }[] = [];

async function open(overrides: Partial<EmulatorScenario>, clock = createManualClock()) {
  const emulator = await startEmulator({ scenario: testScenario(overrides), clock });
  const connection = await connect(emulator);
  opened.push({ emulator, connection });
  return { emulator, connection, clock };
}

afterEach(async () => {
  for (const { emulator, connection } of opened.splice(0)) {
    await connection.end();
    await emulator.close();
  }
});

const backupOf = (version: string, on: string) =>
  Number(version.split('.')[1]) >= 4 || version.startsWith('4.')
    ? `BACKUP DATABASE mixed SNAPSHOT s_${on.replace(/\W/g, '')} TO repo ON (${on})`
    : `BACKUP SNAPSHOT mixed.s_${on.replace(/\W/g, '')} TO repo ON (${on})`;

describe('materialized views, views and external tables in BACKUP, per version', () => {
  it.each([
    ['3.0', "Table 'mv_facts' is not a OLAP table"],
    ['3.1', "Table 'mv_facts' is not a OLAP table"],
    ['3.2', null],
    ['3.3', null],
  ])(
    '%s: an MV in ON (…) is refused before 3.2 (refusal: %s) and backed up from 3.2 (BackupHandler, PR #29164)',
    async (version, refusal) => {
      const { connection } = await open({ version });
      const sql = `BACKUP SNAPSHOT mixed.snap_mv TO repo ON (facts, mv_facts)`;
      if (refusal === null) await expect(connection.query(sql)).resolves.toBeDefined();
      else expect(await sqlError(connection, sql)).toEqual(legacyError(refusal));
    },
  );

  it.each(['3.0', '3.1', '3.2', '3.3'])(
    '%s: a whole-database BACKUP holding a view fails "is not a OLAP table" (ERR_NOT_OLAP_TABLE)',
    async (version) => {
      const { connection } = await open({
        version,
        databases: [{ name: 'mixed', tables: [{ name: 'facts' }, { name: 'v_facts', type: 'VIEW' }] }],
      });
      expect(await sqlError(connection, 'BACKUP SNAPSHOT mixed.snap TO repo')).toEqual(
        legacyError("Table 'v_facts' is not a OLAP table"),
      );
    },
  );

  it.each(['3.4', '4.0', '4.1'])(
    '%s: views and MVs go in; an external table is refused "can not support backup restore, type: MYSQL" (BackupHandler.backup, isSupportBackupRestore)',
    async (version) => {
      const { connection } = await open({ version });
      const error = await sqlError(connection, 'BACKUP DATABASE mixed SNAPSHOT whole TO repo');
      expect(error.message).toBe('Table: ext_facts can not support backup restore, type: MYSQL');
      await expect(
        connection.query(backupOf(version, 'TABLE facts, VIEW v_facts, MATERIALIZED VIEW mv_facts')),
      ).resolves.toBeDefined();
    },
  );
});

describe('list-partitioned tables (PR #27551 refuses them, PR #51993 lifts it)', () => {
  const withList = (version: string): Partial<EmulatorScenario> => ({
    version,
    databases: [
      {
        name: 'mixed',
        tables: [{ name: 'facts' }, { name: 'by_city', partitioning: 'AUTOMATIC_LIST' }],
      },
    ],
  });

  it('has no list partitioning on 3.0 (a scenario holding one is refused)', () => {
    expect(() => validateScenario(testScenario(withList('3.0')))).toThrow(/no list partitioning/);
  });

  it.each(['3.1', '3.2.11', '3.3.2'])(
    '%s refuses a whole-database BACKUP holding one, naming no table (BackupRestoreAnalyzer.analyzeTableRef)',
    async (version) => {
      const { connection } = await open(withList(version));
      expect(await sqlError(connection, 'BACKUP SNAPSHOT mixed.snap TO repo')).toEqual(
        legacyError('List partition table does not support backup/restore job'),
      );
      await expect(connection.query('BACKUP SNAPSHOT mixed.snap2 TO repo ON (facts)')).resolves.toBeDefined();
    },
  );

  it.each(['3.1.15', '3.2.12', '3.3.5', '3.4'])('%s backs it up', async (version) => {
    const { connection } = await open(withList(version));
    const sql = version.startsWith('3.4')
      ? 'BACKUP DATABASE mixed SNAPSHOT snap TO repo'
      : 'BACKUP SNAPSHOT mixed.snap TO repo';
    await expect(connection.query(sql)).resolves.toBeDefined();
  });

  it('SHOW PARTITIONS titles the eighth column List or Range (common/proc/PartitionsProcDir.createTitleNames)', async () => {
    const { connection } = await open(withList('3.3.2'));
    const [, listFields] = await connection.query('SHOW PARTITIONS FROM mixed.by_city');
    const [, rangeFields] = await connection.query('SHOW PARTITIONS FROM mixed.facts');
    const names = (fields: unknown) => (fields as { name: string }[]).map((field) => field.name);
    expect(names(listFields)[7]).toBe('List');
    expect(names(rangeFields)[7]).toBe('Range');
  });
});

describe('time zones: SHOW BACKUP follows the session time_zone, SHOW SNAPSHOT the FE JVM zone', () => {
  it('prints job times in the global time_zone, the snapshot timestamp in the JVM zone, and honours SET time_zone', async () => {
    // Prepare: the JVM runs in UTC, the global time_zone is +08:00 (SET GLOBAL by an administrator).
    const clock = createManualClock(Date.UTC(2026, 10, 24, 18, 0, 0));
    const { connection } = await open({ version: '3.3', feTimeZone: 'UTC', timeZone: '+08:00' }, clock);
    await connection.query('BACKUP SNAPSHOT sales.snap TO repo');
    clock.advance(60_000);

    // Act
    const [job] = await rows(connection, 'SHOW BACKUP FROM sales');
    const [snapshot] = await rows(connection, "SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 'snap'");
    const [zones] = await rows(
      connection,
      'SELECT @@time_zone AS s, @@global.time_zone AS g, @@system_time_zone AS j',
    );
    await connection.query("SET time_zone = '+00:00'");
    const [pinned] = await rows(connection, 'SHOW BACKUP FROM sales');

    // Assess: TimeUtils.longToTimeString reads the session's zone; Repository's SimpleDateFormat the JVM's.
    expect(job?.CreateTime).toBe('2026-11-25 02:00:00');
    expect(snapshot?.Timestamp).toBe('2026-11-24-18-00-00-000');
    expect(zones).toEqual({ s: '+08:00', g: '+08:00', j: 'UTC' });
    expect(pinned?.CreateTime).toBe('2026-11-24 18:00:00');
  });

  it('refuses a zone TimeUtils.checkTimeZoneValidAndStandardize refuses, and normalises offsets', async () => {
    const { connection } = await open({ version: '3.3' });
    expect(await sqlError(connection, "SET time_zone = '+15:00'")).toEqual(
      legacyError("Unknown or incorrect time zone: '+15:00'"),
    );
    await connection.query("SET time_zone = '8:00'");
    expect(await rows(connection, 'SELECT @@time_zone AS z')).toEqual([{ z: '+08:00' }]);
  });
});

describe('shared-data clusters', () => {
  it.each([
    ['3.3', "Table 'facts' is not a OLAP table"],
    ['3.5', 'Table: facts can not support backup restore, type: CLOUD_NATIVE'],
  ])('%s refuses BACKUP of a cloud-native table with "%s"', async (version, text) => {
    const { connection } = await open({
      version,
      runMode: 'shared_data',
      databases: [{ name: 'mixed', tables: [{ name: 'facts' }] }],
    });
    const sql =
      version === '3.3'
        ? 'BACKUP SNAPSHOT mixed.snap TO repo'
        : 'BACKUP DATABASE mixed SNAPSHOT snap TO repo';
    const error = await sqlError(connection, sql);
    expect(error.message).toBe(text);
  });

  it('has no cluster snapshot tables before 3.4.2', async () => {
    const { connection } = await open({ version: '3.4.1', runMode: 'shared_data' });
    const error = await sqlError(connection, 'SELECT * FROM information_schema.cluster_snapshots');
    expect(error.message).toContain('cluster_snapshots');
  });

  it('takes an automated snapshot per interval, keeps only the newest, reports failed jobs, and purges on OFF', async () => {
    // Prepare: 3.5.2, automated snapshots on from the start, every 600 s, 20 s each.
    const clock = createManualClock(Date.UTC(2026, 10, 25, 0, 0, 0));
    const { connection } = await open(
      { version: '3.5', runMode: 'shared_data', clusterSnapshots: { automated: true } },
      clock,
    );

    // Act and assess: two intervals later, one snapshot kept, two jobs (the older DELETED).
    clock.advance(2 * 600_000 + 30_000);
    const kept = await rows(connection, 'SELECT * FROM information_schema.cluster_snapshots');
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      SNAPSHOT_NAME: `automated_cluster_snapshot_${Date.UTC(2026, 10, 25, 0, 20, 0)}`,
      SNAPSHOT_TYPE: 'AUTOMATED',
      CREATED_TIME: Date.UTC(2026, 10, 25, 0, 20, 0) / 1000,
    });
    const jobs = await rows(connection, 'SELECT * FROM information_schema.cluster_snapshot_jobs');
    expect(jobs.map((job) => job.STATE)).toEqual(['DELETED', 'FINISHED']);

    // A failing storage volume: the next job ends in ERROR; the last good snapshot is still kept.
    opened[0]?.emulator.faults.failClusterSnapshots('Access Denied (Service: S3)');
    clock.advance(600_000);
    const failed = await rows(connection, 'SELECT * FROM information_schema.cluster_snapshot_jobs');
    expect(failed.at(-1)).toMatchObject({ STATE: 'ERROR', ERROR_MESSAGE: 'Access Denied (Service: S3)' });
    expect(await rows(connection, 'SELECT * FROM information_schema.cluster_snapshots')).toHaveLength(1);

    // OFF purges the kept snapshot.
    await connection.query('ADMIN SET AUTOMATED CLUSTER SNAPSHOT OFF');
    expect(await rows(connection, 'SELECT * FROM information_schema.cluster_snapshots')).toEqual([]);
  });

  it('from 4.0 prints CREATED_TIME as a DATETIME in the session zone (ClusterSnapshotsTable.java; the boundary is UNVERIFIED)', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 25, 0, 0, 0));
    const { connection } = await open(
      { version: '4.1', runMode: 'shared_data', clusterSnapshots: { automated: true } },
      clock,
    );
    clock.advance(600_000 + 30_000);
    expect(
      await rows(connection, 'SELECT SNAPSHOT_NAME, CREATED_TIME FROM information_schema.cluster_snapshots'),
    ).toEqual([
      {
        SNAPSHOT_NAME: `automated_cluster_snapshot_${Date.UTC(2026, 10, 25, 0, 10, 0)}`,
        CREATED_TIME: '2026-11-25 00:10:00',
      },
    ]);
  });
});
