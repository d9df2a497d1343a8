// Time: about 0.1 s of tests (2 cases, an emulator per case over the MySQL protocol); virtual clock, no sleeps.
import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { createTableWithoutPartitions } from '#domain/starrocks/parse-partitions.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { connect, rows, sqlError } from './helpers.ts';

let emulator: EmulatorHandle | undefined;
let connection: mysql.Connection | undefined;

afterEach(async () => {
  await connection?.end();
  await emulator?.close();
  emulator = undefined;
  connection = undefined;
});

async function start(): Promise<{ fe: EmulatorHandle; sql: mysql.Connection }> {
  emulator = await startEmulator({
    clock: createManualClock(),
    scenario: {
      version: '3.3',
      repositories: [],
      databases: [
        {
          name: 'dw',
          tables: [
            {
              name: 'sales',
              partitioning: 'RANGE',
              partitions: [{ name: 'p1', rows: 1, range: { from: '2026-11-21', to: '2026-11-22' } }],
            },
            { name: 'v_sales', type: 'VIEW' },
          ],
        },
      ],
    },
  });
  connection = await connect(emulator);
  return { fe: emulator, sql: connection };
}

describe('SHOW CREATE TABLE (ShowCreateTableStmt; text UNVERIFIED)', () => {
  it('answers Table and Create Table, whose text follows the schema and the partition list', async () => {
    // Prepare
    const { fe, sql } = await start();
    const read = async () => String((await rows(sql, 'SHOW CREATE TABLE dw.sales'))[0]?.['Create Table']);
    const before = await read();

    // Act
    fe.state.addPartition('dw', 'sales', { name: 'p2', range: { from: '2026-11-22', to: '2026-11-23' } });
    const added = await read();
    fe.state.alterSchema('dw', 'sales', 'v2');
    const altered = await read();

    // Assess
    expect(await rows(sql, 'SHOW CREATE TABLE dw.sales')).toEqual([
      { Table: 'sales', 'Create Table': altered },
    ]);
    expect(before).toContain('PARTITION p1 VALUES [("2026-11-21"), ("2026-11-22"))');
    expect(added).toContain('PARTITION p2 VALUES');
    expect(altered).toContain('COMMENT "schema v2"');
    expect(createTableWithoutPartitions(added)).toBe(createTableWithoutPartitions(before));
    expect(createTableWithoutPartitions(altered)).not.toBe(createTableWithoutPartitions(added));
  });

  it('refuses an unknown table and does not emulate views', async () => {
    const { sql } = await start();
    expect((await sqlError(sql, 'SHOW CREATE TABLE dw.nope')).message).toContain("Unknown table 'nope'");
    expect((await sqlError(sql, 'SHOW CREATE TABLE dw.v_sales')).message).toContain('not emulated');
  });
});
