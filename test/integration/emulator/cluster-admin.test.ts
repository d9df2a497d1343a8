import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  startEmulator,
} from '#local/emulator/index.ts';
import { connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

let opened: { emulator: EmulatorHandle; connections: mysql.Connection[] } | undefined;

async function start(overrides: Partial<EmulatorScenario> = {}) {
  const emulator = await startEmulator({ clock: createManualClock(), scenario: testScenario(overrides) });
  opened = { emulator, connections: [] };
  const session = async (user = 'root') => {
    const connection = await connect(emulator, { user });
    opened?.connections.push(connection);
    return connection;
  };
  return { emulator, connection: await session(), session };
}

afterEach(async () => {
  await Promise.all(opened?.connections.map((connection) => connection.end()) ?? []);
  await opened?.emulator.close();
  opened = undefined;
});

describe('CREATE DATABASE and DROP DATABASE', () => {
  it('creates and drops databases, with IF [NOT] EXISTS and the FeNameFormat check', async () => {
    // Prepare
    const { connection, emulator } = await start();

    // Act
    await connection.query('CREATE DATABASE `drill_1`');
    await connection.query('CREATE DATABASE IF NOT EXISTS drill_1');
    const exists = await sqlError(connection, 'CREATE DATABASE drill_1');
    const badName = await sqlError(connection, 'CREATE DATABASE `drill 1`');
    await connection.query('DROP DATABASE drill_1 FORCE');
    await connection.query('DROP DATABASE IF EXISTS drill_1');
    const missing = await sqlError(connection, 'DROP DATABASE drill_1');
    const system = await sqlError(connection, 'DROP DATABASE information_schema');

    // Assess
    expect(exists).toEqual(legacyError("Can't create database 'drill_1'; database exists"));
    expect(badName).toEqual(legacyError("Incorrect database name 'drill 1'"));
    expect(missing).toEqual(legacyError("Can't drop database 'drill_1'; database doesn't exist"));
    expect(system).toEqual(legacyError("Access denied for user 'root' to database 'information_schema'"));
    expect(emulator.state.tables('drill_1')).toBeUndefined();
  });

  it('sends ErrorCode codes for them on the 3.5 profile', async () => {
    // Prepare
    const { connection } = await start({ version: '3.5' });

    // Act
    const exists = await sqlError(connection, 'CREATE DATABASE sales');
    const missing = await sqlError(connection, 'DROP SCHEMA nowhere');

    // Assess
    expect(exists).toEqual({
      errno: 1007,
      sqlState: 'HY000',
      message: "Can't create database 'sales'; database exists",
    });
    expect(missing).toEqual({
      errno: 1008,
      sqlState: 'HY000',
      message: "Can't drop database 'nowhere'; database doesn't exist",
    });
  });
});

describe('SELECT COUNT(*) FROM a table', () => {
  it('answers the row count of OLAP tables and refuses other queries of table data', async () => {
    // Prepare
    const { connection } = await start();

    // Act
    const [count] = await rows(connection, 'SELECT COUNT(*) FROM `sales`.`orders`');
    const [aliased] = await rows(connection, 'select count(*) as n from sales.customers');
    const view = await sqlError(connection, 'SELECT COUNT(*) FROM mixed.v_facts');
    const where = await sqlError(connection, 'SELECT COUNT(*) FROM sales.orders WHERE 1 = 1');
    const missing = await sqlError(connection, 'SELECT COUNT(*) FROM sales.nope');

    // Assess
    expect(count).toEqual({ 'COUNT(*)': 10 });
    expect(aliased).toEqual({ n: 5 });
    expect(view.message).toMatch(/^The StarRocks emulator holds no table data/);
    expect(where.message).toMatch(/^The StarRocks emulator holds no table data/);
    expect(missing).toEqual(legacyError("Unknown table 'sales.nope'"));
  });
});

describe('ADMIN SHOW FRONTEND CONFIG and run modes', () => {
  it('reports run_mode shared_nothing by default, matched case-insensitively by LIKE', async () => {
    // Prepare
    const { connection } = await start();

    // Act
    const runMode = await rows(connection, "ADMIN SHOW FRONTEND CONFIG LIKE 'RUN_%'");
    const all = await rows(connection, 'ADMIN SHOW FRONTEND CONFIG');

    // Assess
    expect(runMode).toEqual([
      {
        Key: 'run_mode',
        AliasNames: '[]',
        Value: 'shared_nothing',
        Type: 'String',
        IsMutable: 'false',
        Comment: '',
      },
    ]);
    expect(all.map((row) => row.Key)).toContain('backup_job_default_timeout_ms');
  });

  it.each([
    ['3.3', "Table 'customers' is not a OLAP table"],
    ['3.4', 'Table: customers can not support backup restore, type: CLOUD_NATIVE'],
  ])('refuses BACKUP on a shared-data cluster (%s profile, UNVERIFIED text)', async (version, message) => {
    // Prepare
    const { connection } = await start({ version, runMode: 'shared_data' });

    // Act
    const [runMode] = await rows(connection, "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'");
    const error = await sqlError(connection, 'BACKUP SNAPSHOT sales.s1 TO repo');

    // Assess
    expect(runMode?.Value).toBe('shared_data');
    expect(error).toEqual(legacyError(message));
  });
});

describe('admin privileges', () => {
  it.each([
    ['3.3', 'checker-v2'],
    ['3.4', 'access-denied-exception'],
  ])(
    'refuses CREATE/DROP DATABASE, COUNT(*), RESTORE and ADMIN SHOW without admin (%s)',
    async (version, style) => {
      // Prepare
      const users = [
        { name: 'root', password: '' },
        { name: 'backup', password: '', privileges: { repository: true, export: 'all' as const } },
      ];
      const { session } = await start({ version, users });
      const connection = await session('backup');

      // Act
      const messages = (
        await Promise.all([
          sqlError(connection, 'CREATE DATABASE drill'),
          sqlError(connection, 'DROP DATABASE sales'),
          sqlError(connection, 'SELECT COUNT(*) FROM sales.orders'),
          sqlError(connection, "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'"),
          sqlError(
            connection,
            "RESTORE SNAPSHOT sales.s FROM repo ON (orders) PROPERTIES ('backup_timestamp' = 'x')",
          ),
        ])
      ).map((error) => error.message);

      // Assess
      const needs = (privilege: string, on: string) =>
        `Access denied; you need (at least one of) the ${privilege} privilege(s) on ${on} for this operation. ` +
        'Please ask the admin to grant permission(s) or try activating existing roles using <set [default] role>. ' +
        'Current role(s): NONE. Inactivated role(s): NONE.';
      expect(messages).toEqual(
        style === 'checker-v2'
          ? [
              "Access denied for user 'backup' to catalog 'default_catalog'",
              "Access denied for user 'backup' to database 'sales'",
              "SELECT command denied to user 'backup'@'127.0.0.1' for table 'orders'",
              'Access denied; you need (at least one of) the OPERATE privilege(s) for this operation',
              "Access denied for user 'backup' to database 'sales'",
            ]
          : [
              needs('CREATE DATABASE', 'CATALOG default_catalog'),
              needs('DROP', 'DATABASE sales'),
              needs('SELECT', 'TABLE orders'),
              needs('OPERATE', 'SYSTEM'),
              needs('CREATE TABLE', 'DATABASE sales'),
            ],
      );
    },
  );
});
