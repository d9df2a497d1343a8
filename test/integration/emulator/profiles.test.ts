import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { backupRow, connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

let opened: { emulator: EmulatorHandle; connection: mysql.Connection } | undefined;

async function start(overrides: Partial<EmulatorScenario>, clock: ManualClock = createManualClock()) {
  const emulator = await startEmulator({ clock, scenario: testScenario(overrides) });
  opened = { emulator, connection: await connect(emulator) };
  return { ...opened, clock };
}

afterEach(async () => {
  await opened?.connection.end();
  await opened?.emulator.close();
  opened = undefined;
});

describe('version profiles', () => {
  it('reports the profile version, or a full version given in the scenario', async () => {
    // Prepare
    const { connection } = await start({ version: '3.4.7' });

    // Act
    const [version] = await rows(connection, 'SELECT current_version() AS v, version() AS mysql');

    // Assess
    expect(version).toEqual({ v: '3.4.7 b2c3d4e', mysql: '8.0.33' });
  });

  it('accepts BACKUP DATABASE db SNAPSHOT on 3.4 and backs up views in a whole-database backup', async () => {
    // Prepare
    const { connection } = await start({ version: '3.4' });

    // Act
    await connection.query('BACKUP DATABASE mixed SNAPSHOT s1 TO repo ON (ALL TABLES, VIEW v_facts)');
    const row = await backupRow(connection, 'mixed');
    await connection.query('CANCEL BACKUP FROM mixed');
    const external = await sqlError(connection, 'BACKUP DATABASE mixed SNAPSHOT s2 TO repo');

    // Assess
    expect(row.BackupObjs).toBe('[mixed.facts], [mixed.v_facts]');
    expect(external).toEqual(legacyError('Table: ext_facts can not support backup restore, type: MYSQL'));
  });

  it('reports TABLE_TYPE TABLE for base tables on the 3.4 profile (StarRocks PR #59368)', async () => {
    // Prepare
    const { connection } = await start({ version: '3.4' });

    // Act
    const result = await rows(
      connection,
      "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.tables WHERE TABLE_SCHEMA = 'sales' ORDER BY TABLE_NAME",
    );

    // Assess
    expect(result).toEqual([
      { TABLE_NAME: 'customers', TABLE_TYPE: 'TABLE' },
      { TABLE_NAME: 'orders', TABLE_TYPE: 'TABLE' },
    ]);
  });

  it('sends ErrorCode codes and SQLSTATEs on the 3.5 profile', async () => {
    // Prepare
    const { connection } = await start({ version: '3.5' });

    // Act
    const database = await sqlError(connection, 'SHOW BACKUP FROM nowhere');
    const common = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO nope');
    const parse = await sqlError(connection, 'SHOW NONSENSE');

    // Assess
    expect(database).toEqual({ errno: 5501, sqlState: '3F000', message: "Unknown database 'nowhere'" });
    expect(common).toEqual({ errno: 5064, sqlState: '42000', message: 'Repository [nope] does not exist' });
    expect(parse).toMatchObject({ errno: 1064, sqlState: 'HY000' });
  });

  it('prints the verbose Progress format on the 3.5 profile', async () => {
    // Prepare
    const { connection, clock } = await start({ version: '3.5' });
    await connection.query('BACKUP SNAPSHOT sales.s1 TO repo');

    // Act
    clock.advance(5_000);
    const row = await backupRow(connection, 'sales');

    // Assess
    expect(row.State).toBe('UPLOADING');
    expect(String(row.Progress)).toMatch(
      /^\[ task id: \d+ -> finished part:\d+\/ total number of subtasks:\d+\]/,
    );
  });

  it('wraps errors as some 3.x builds do when asked to', async () => {
    // Prepare
    const { connection } = await start({ errors: { analyzerPrefix: true, unexpectedExceptionPrefix: true } });

    // Act
    const analyzer = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO nope');
    const execution = await sqlError(connection, 'BACKUP SNAPSHOT mixed.s1 TO repo');

    // Assess
    expect(analyzer).toEqual(
      legacyError('Getting analyzing error. Detail message: Repository [nope] does not exist.'),
    );
    expect(execution).toEqual(legacyError("Unexpected exception: Table 'ext_facts' is not a OLAP table"));
  });

  it('refuses an unknown version with the list of profiles', async () => {
    // Act
    const error = await startEmulator({ scenario: testScenario({ version: '2.5' }) }).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(String(error)).toContain(
      'version: unknown StarRocks version: use 3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 4.0, 4.1 or 4.2',
    );
  });
});
