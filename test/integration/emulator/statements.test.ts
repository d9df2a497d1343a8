import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { connect, legacyError, rows, sqlError, testScenario } from './helpers.ts';

describe('emulator statements over TCP (3.3 profile)', () => {
  let emulator: EmulatorHandle;
  let connection: mysql.Connection;

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: testScenario({
        users: [
          { name: 'root', password: '' },
          { name: 'backup', password: 's3cret' },
        ],
      }),
      clock: createManualClock(),
    });
    connection = await connect(emulator);
  });

  afterAll(async () => {
    await connection.end();
    await emulator.close();
  });

  it('lists user and system databases in SHOW DATABASES', async () => {
    // Act
    const result = await rows(connection, 'SHOW DATABASES');

    // Assess
    expect(result.map((row) => row.Database)).toEqual([
      '_statistics_',
      'empty_db',
      'information_schema',
      'mixed',
      'sales',
      'sys',
    ]);
  });

  it('answers version probes like StarRocks', async () => {
    // Act
    const [version] = await rows(connection, 'SELECT current_version()');
    const [comment] = await rows(connection, 'select @@version_comment limit 1');
    const [one] = await rows(connection, 'SELECT 1');

    // Assess
    expect(version).toEqual({ 'current_version()': '3.3.9 a1b2c3d' });
    expect(comment).toEqual({ '@@version_comment': 'StarRocks version 3.3.9' });
    expect(one).toEqual({ '1': 1 });
  });

  it('knows no system variable named like an Object.prototype member', async () => {
    // Act
    const errors = await Promise.all(
      ['@@constructor', '@@__proto__', '@@toString', '@@hasOwnProperty'].map((variable) =>
        sqlError(connection, `SELECT ${variable}`),
      ),
    );

    // Assess
    expect(errors.map((error) => error.message)).toEqual([
      "Unknown system variable 'constructor'",
      "Unknown system variable '__proto__'",
      "Unknown system variable 'tostring'",
      "Unknown system variable 'hasownproperty'",
    ]);
  });

  it('shows views as VIEW and external tables as BASE TABLE in SHOW FULL TABLES', async () => {
    // Act
    const result = await rows(connection, 'SHOW FULL TABLES FROM mixed');

    // Assess
    expect(result).toEqual([
      { Tables_in_mixed: 'ext_facts', Table_type: 'BASE TABLE' },
      { Tables_in_mixed: 'facts', Table_type: 'BASE TABLE' },
      { Tables_in_mixed: 'mv_facts', Table_type: 'VIEW' },
      { Tables_in_mixed: 'v_facts', Table_type: 'VIEW' },
    ]);
  });

  it('tells OLAP tables apart by ENGINE in information_schema.tables, with aliases and any column case', async () => {
    // Act
    const result = await rows(
      connection,
      "SELECT table_name AS name, Table_Type, ENGINE engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mixed' ORDER BY name",
    );
    const [count] = await rows(
      connection,
      "select count(*) as n from information_schema.tables where table_schema = 'mixed' and engine = 'StarRocks'",
    );

    // Assess
    expect(result).toEqual([
      { name: 'ext_facts', Table_Type: 'BASE TABLE', engine: 'MySQL' },
      { name: 'facts', Table_Type: 'BASE TABLE', engine: 'StarRocks' },
      { name: 'mv_facts', Table_Type: 'VIEW', engine: 'StarRocks' },
      { name: 'v_facts', Table_Type: 'VIEW', engine: '' },
    ]);
    expect(count).toEqual({ n: 2 });
  });

  it('reports SHOW DATA of the current database with Total, Quota and Left rows', async () => {
    // Prepare
    const session = await connect(emulator, { database: 'sales' });

    // Act
    const result = await rows(session, 'SHOW DATA');
    await session.end();

    // Assess
    expect(result).toEqual([
      { TableName: 'customers', Size: '921.000 B', ReplicaCount: '3' },
      { TableName: 'orders', Size: '1.399 KB', ReplicaCount: '3' },
      { TableName: 'Total', Size: '2.299 KB', ReplicaCount: '6' },
      { TableName: 'Quota', Size: '8388608.000 TB', ReplicaCount: '1073741824' },
      { TableName: 'Left', Size: '8388608.000 TB', ReplicaCount: '1073741818' },
    ]);
  });

  it('reports SHOW DATA FROM db.tbl with index rows and a Total row', async () => {
    // Act
    const result = await rows(connection, 'SHOW DATA FROM sales.orders');

    // Assess
    expect(result).toEqual([
      { TableName: 'orders', IndexName: 'orders', Size: '1.399 KB', ReplicaCount: '3', RowCount: '10' },
      { TableName: '', IndexName: 'Total', Size: '1.399 KB', ReplicaCount: '3', RowCount: '' },
    ]);
  });

  it('needs a current database for SHOW DATA', async () => {
    // Act
    const error = await sqlError(connection, 'SHOW DATA');

    // Assess
    expect(error).toEqual(legacyError('No database selected'));
  });

  it('switches databases with USE and rejects unknown ones', async () => {
    // Prepare
    const session = await connect(emulator);

    // Act
    await session.query('USE `sales`');
    const [current] = await rows(session, 'SELECT database()');
    const error = await sqlError(session, 'USE nowhere');
    await session.end();

    // Assess
    expect(current).toEqual({ 'database()': 'sales' });
    expect(error).toEqual(legacyError("Unknown database 'nowhere'"));
  });

  it('accepts SET statements (they arrive on the prepare path of the mysql2 server) and pings', async () => {
    // Act
    const [result] = await connection.query("SET NAMES utf8mb4; SET time_zone = '+08:00'");
    await connection.ping();

    // Assess
    expect(result).toEqual([
      expect.objectContaining({ affectedRows: 0 }),
      expect.objectContaining({ affectedRows: 0 }),
    ]);
    expect(emulator.statements.at(-1)?.sql).toBe("SET NAMES utf8mb4; SET time_zone = '+08:00'");
  });

  it('lists repositories with broker-less Broker and NULL ErrMsg', async () => {
    // Act
    const result = await rows(connection, 'SHOW REPOSITORIES');

    // Assess
    expect(result).toEqual([
      {
        RepoId: '1',
        RepoName: 'repo',
        // The session's time_zone (+08:00, set by the SET test above), as TimeUtils.longToTimeString prints it.
        CreateTime: '2026-11-25 10:00:00',
        IsReadOnly: 'false',
        Location: 's3a://bucket/backups',
        Broker: '',
        ErrMsg: null,
      },
      {
        RepoId: '2',
        RepoName: 'archive',
        CreateTime: '2026-11-25 10:00:00',
        IsReadOnly: 'true',
        Location: 's3a://bucket/archive',
        Broker: '',
        ErrMsg: null,
      },
    ]);
  });

  it('answers anything else with StarRocks parse error text', async () => {
    // Act
    const error = await sqlError(connection, 'MYSQL > select 1');

    // Assess: the suggestion list of a real 4.1 FE for this input (StarRocks issue #76731)
    expect(error).toEqual(
      legacyError(
        "Getting syntax error at line 1, column 0. Detail message: Unexpected input 'MYSQL', the most similar input is {'SELECT', 'DISABLE', 'INSTALL', 'TRANSLATE', 'UNINSTALL', '(', ';'}.",
      ),
    );
  });

  it('runs every statement of a multi-statement text and stops at the first error', async () => {
    // Act
    const [results] = await connection.query('SELECT 1 AS a; SELECT 2 AS b');
    const error = await sqlError(connection, "SELECT 'x'; SHOW BACKUP FROM nowhere; SELECT 3");

    // Assess
    expect(results).toEqual([[{ a: 1 }], [{ b: 2 }]]);
    expect(error).toEqual(legacyError("Unknown database 'nowhere'"));
  });

  it('executes nothing when any statement of the text fails to parse', async () => {
    // Act
    const error = await sqlError(connection, 'BACKUP SNAPSHOT sales.not_run TO repo; SHOW NONSENSE');
    const backups = await rows(connection, 'SHOW BACKUP FROM sales');

    // Assess
    expect(error.message).toMatch(
      /^Getting syntax error at line 1, column 44\. Detail message: Unexpected input 'NONSENSE'/,
    );
    expect(backups).toEqual([]);
  });

  it('handles quoted identifiers with specials, unicode, backquotes and semicolons end to end', async () => {
    // Prepare: database names allow only FeNameFormat's specials; table names allow anything but NUL
    const database = 'sales#2026-q1~$';
    const table = 'tâble;`x';
    emulator.state.addDatabase({ name: database, tables: [{ name: table, sizeBytes: 10 }] });
    const quote = (name: string) => `\`${name.replaceAll('`', '``')}\``;

    // Act
    await connection.query(`BACKUP SNAPSHOT ${quote(database)}.\`snap;1\` TO repo`);
    const [row] = await rows(connection, `SHOW BACKUP FROM ${quote(database)}`);
    await connection.query(`CANCEL BACKUP FROM ${quote(database)}`);

    // Assess
    expect(row).toMatchObject({
      SnapshotName: 'snap;1',
      DbName: database,
      BackupObjs: `[${database}.${table}]`,
    });
  });

  it('refuses to add a database StarRocks could not have created', () => {
    // Act / Assess
    expect(() => emulator.state.addDatabase({ name: 'données', tables: [] })).toThrow(
      "database name 'données' breaks FeNameFormat's rule",
    );
  });

  it('logs every statement with its connection, user and arrival time', async () => {
    // Prepare
    const session = await connect(emulator, { user: 'backup', password: 's3cret' });

    // Act
    await session.query('SELECT 42');
    await session.end();

    // Assess
    expect(emulator.statements.at(-1)).toEqual({
      connectionId: expect.any(Number),
      user: 'backup',
      sql: 'SELECT 42',
      receivedAt: Date.UTC(2026, 10, 25, 2, 0, 0),
      tls: false,
    });
  });

  it('refuses a wrong password with 1045 access denied', async () => {
    // Act
    const error = await connect(emulator, { user: 'backup', password: 'wrong' }).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(error).toMatchObject({
      errno: 1045,
      sqlState: '28000',
      message: "Access denied for user 'backup' (using password: YES)",
    });
  });

  it('rejects an unknown database named in the handshake', async () => {
    // Act
    const error = await connect(emulator, { database: 'nowhere' }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ errno: 1064, sqlState: 'HY000', message: "Unknown database 'nowhere'" });
  });
});
