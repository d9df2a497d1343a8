import type mysql from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { connect, legacyError, sqlError, testScenario } from './helpers.ts';

describe('BACKUP errors, in StarRocks order (backup/BackupHandler.java, 3.3 profile)', () => {
  let emulator: EmulatorHandle;
  let connection: mysql.Connection;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = createManualClock();
    emulator = await startEmulator({
      clock,
      scenario: testScenario({
        snapshots: [
          { repository: 'repo', name: 'taken', database: 'sales', createdAt: '2026-11-20T00:00:00Z' },
        ],
      }),
    });
    connection = await connect(emulator);
  });

  afterEach(async () => {
    await connection.end();
    await emulator.close();
  });

  it.each([
    ["PROPERTIES ('timeout' = '599')", 'timeout must be at least 10 min'],
    ["PROPERTIES ('timeout' = '600.5')", 'Invalid timeout format: 600.5'],
    ["PROPERTIES ('timeout' = '1h')", 'Invalid timeout format: 1h'],
    ["PROPERTIES ('type' = 'differential')", 'Invalid backup job type: differential'],
    [
      "PROPERTIES ('replication_num' = '1', 'Timeout' = '600')",
      'Unknown backup job properties: [Timeout, replication_num]',
    ],
  ])('rejects %s (unknown keys listed in Java HashMap order)', async (properties, message) => {
    // Act
    const error = await sqlError(connection, `BACKUP SNAPSHOT sales.s1 TO repo ON (orders) ${properties}`);

    // Assess
    expect(error).toEqual(legacyError(message));
  });

  it('accepts a timeout of exactly 600 seconds and any case of the type', async () => {
    // Act
    await connection.query(
      "BACKUP SNAPSHOT sales.s1 TO repo ON (orders) PROPERTIES ('timeout' = '600', 'type' = 'Full')",
    );

    // Assess
    expect(emulator.state.latestJob('sales')).toMatchObject({ label: 's1', state: 'PENDING' });
  });

  it('checks the database before the repository and the properties', async () => {
    // Act
    const error = await sqlError(
      connection,
      "BACKUP SNAPSHOT nowhere.s1 TO missing PROPERTIES ('timeout' = '1')",
    );

    // Assess
    expect(error).toEqual(legacyError("Unknown database 'nowhere'"));
  });

  it.each([
    ['a#b', "Unknown database 'a#b'"],
    ['_1-~!@#$%^&<>=+', "Unknown database '_1-~!@#$%^&<>=+'"],
    [`d${'x'.repeat(255)}`, `Unknown database 'd${'x'.repeat(255)}'`],
    ['a b', "Incorrect database name 'a b'"],
    ['a.b', "Incorrect database name 'a.b'"],
    ['_', "Incorrect database name '_'"],
    ['__x', "Incorrect database name '__x'"],
    ['1db', "Incorrect database name '1db'"],
    ['dé', "Incorrect database name 'dé'"],
    [`d${'x'.repeat(256)}`, `Incorrect database name 'd${'x'.repeat(256)}'`],
  ])('checks the database name %j with FeNameFormat before looking it up', async (name, message) => {
    // Act
    const error = await sqlError(connection, `BACKUP SNAPSHOT \`${name}\`.s1 TO repo`);

    // Assess
    expect(error).toEqual(legacyError(message));
  });

  it('uses the session database when the label has no qualifier', async () => {
    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT s1 TO repo');

    // Assess
    expect(error).toEqual(legacyError("Unknown database ''"));
  });

  it('rejects an empty label and an unknown repository in the analyzer', async () => {
    // Act
    const label = await sqlError(connection, 'BACKUP SNAPSHOT sales.`` TO repo');
    const repository = await sqlError(
      connection,
      "BACKUP SNAPSHOT sales.s1 TO missing PROPERTIES ('timeout' = '1')",
    );

    // Assess
    expect(label).toEqual(legacyError("Incorrect label name ''"));
    expect(repository).toEqual(legacyError('Repository [missing] does not exist'));
  });

  it('rejects unknown, duplicated and aliased tables in ON', async () => {
    // Act
    const unknown = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo ON (orders, nope)');
    const duplicated = await sqlError(
      connection,
      'BACKUP SNAPSHOT sales.s1 TO repo ON (orders, customers, orders)',
    );
    const partition = await sqlError(
      connection,
      'BACKUP SNAPSHOT sales.s1 TO repo ON (orders PARTITION (p1))',
    );

    // Assess
    expect(unknown).toEqual(legacyError("Incorrect table name 'nope'"));
    expect(duplicated).toEqual(legacyError('Duplicated table: orders'));
    expect(partition).toEqual(legacyError('partition[p1] does not exist  in tableorders'));
  });

  it('refuses a whole-database backup of an empty database', async () => {
    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT empty_db.s1 TO repo');

    // Assess
    expect(error).toEqual(legacyError('Database: empty_db is empty'));
  });

  it('fails a whole-database backup on 3.3 when the database holds a non-OLAP table', async () => {
    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT mixed.s1 TO repo');

    // Assess: the first non-OLAP table in case-insensitive name order
    expect(error).toEqual(legacyError("Table 'ext_facts' is not a OLAP table"));
  });

  it('allows one job per database, and jobs of different databases in parallel', async () => {
    // Prepare
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT sales.s2 TO repo');
    await connection.query('BACKUP SNAPSHOT mixed.s3 TO repo ON (facts)');

    // Assess
    expect(error).toEqual(legacyError('Can only run one backup or restore job of a database at same time'));
    expect(emulator.state.runningJobCount()).toBe(2);
    expect(emulator.state.maxConcurrentRunningJobs).toBe(2);
  });

  it('checks the running job before the read-only repository', async () => {
    // Prepare
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    const busy = await sqlError(connection, 'BACKUP SNAPSHOT sales.s2 TO archive');
    const readOnly = await sqlError(connection, 'BACKUP SNAPSHOT mixed.s2 TO archive ON (facts)');

    // Assess
    expect(busy.message).toBe('Can only run one backup or restore job of a database at same time');
    expect(readOnly).toEqual(legacyError('Repository archive is read only'));
  });

  it('refuses a label that already exists in the repository, per repository', async () => {
    // Act
    const full = await sqlError(connection, 'BACKUP SNAPSHOT mixed.taken TO repo ON (facts)');
    const incremental = await sqlError(
      connection,
      "BACKUP SNAPSHOT mixed.taken TO repo ON (facts) PROPERTIES ('type' = 'incremental')",
    );

    // Assess
    expect(full).toEqual(legacyError("Snapshot with name 'taken' already exist in repository"));
    expect(incremental).toEqual(legacyError('Currently does not support incremental backup'));
  });

  it('lets two databases take the same label until the first upload starts (BackupHandler checks labels only against running jobs)', async () => {
    // Prepare
    await connection.query('BACKUP SNAPSHOT sales.twin TO repo');

    // Act
    await connection.query('BACKUP SNAPSHOT mixed.twin TO repo ON (facts)');
    clock.advance(60_000);
    const third = await sqlError(connection, 'BACKUP SNAPSHOT sales.twin TO repo');

    // Assess
    expect(emulator.state.jobs().map((job) => [job.database, job.label, job.state])).toEqual([
      ['sales', 'twin', 'FINISHED'],
      ['mixed', 'twin', 'FINISHED'],
    ]);
    expect(
      emulator.state.snapshots('repo').find((snapshot) => snapshot.name === 'twin')?.timestamps,
    ).toHaveLength(2);
    expect(third.message).toBe("Snapshot with name 'twin' already exist in repository");
  });
});
