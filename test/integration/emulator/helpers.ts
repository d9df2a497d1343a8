import mysql from 'mysql2/promise';
import type { EmulatorHandle, EmulatorScenario } from '#local/emulator/index.ts';

/** A mysql2 promise connection to a running emulator. */
export async function connect(
  emulator: EmulatorHandle,
  options: { user?: string; password?: string; database?: string } = {},
): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: emulator.host,
    port: emulator.port,
    user: options.user ?? 'root',
    password: options.password ?? '',
    ...(options.database === undefined ? {} : { database: options.database }),
  });
}

/** Runs a statement and returns its rows as objects. */
export async function rows(connection: mysql.Connection, sql: string): Promise<Record<string, unknown>[]> {
  const [result] = await connection.query(sql);
  return result as Record<string, unknown>[];
}

/** What the client sees of an ERR packet. */
export interface ClientError {
  errno: number | undefined;
  sqlState: string | undefined;
  message: string;
}

/** Runs a statement that must fail and returns the error's wire fields. */
export async function sqlError(connection: mysql.Connection, sql: string): Promise<ClientError> {
  try {
    await connection.query(sql);
  } catch (error) {
    const { errno, sqlState, message } = error as { errno?: number; sqlState?: string; message: string };
    return { errno, sqlState, message };
  }
  throw new Error(`expected an error from: ${sql}`);
}

/** The StarRocks 2.5–3.x wire format: every statement error is 1064 / HY000 with the raw text. */
export function legacyError(message: string): ClientError {
  return { errno: 1064, sqlState: 'HY000', message };
}

/** A small cluster for tests; override any field. */
export function testScenario(overrides: Partial<EmulatorScenario> = {}): EmulatorScenario {
  return {
    version: '3.3',
    feTimeZone: 'UTC',
    repositories: [
      { name: 'repo', location: 's3a://bucket/backups' },
      { name: 'archive', location: 's3a://bucket/archive', readOnly: true },
    ],
    databases: [
      {
        name: 'sales',
        tables: [
          { name: 'orders', sizeBytes: 1_433, rows: 10, replicaCount: 3 },
          { name: 'customers', sizeBytes: 921, rows: 5, replicaCount: 3 },
        ],
      },
      {
        name: 'mixed',
        tables: [
          { name: 'facts', sizeBytes: 2048 },
          { name: 'v_facts', type: 'VIEW' },
          { name: 'mv_facts', type: 'MATERIALIZED_VIEW', sizeBytes: 512 },
          { name: 'ext_facts', type: 'EXTERNAL' },
        ],
      },
      { name: 'empty_db', tables: [] },
    ],
    defaultBackupDurationMs: 10_000,
    ...overrides,
  };
}

/** SHOW BACKUP FROM db's single row. */
export async function backupRow(
  connection: mysql.Connection,
  database: string,
): Promise<Record<string, unknown>> {
  const result = await rows(connection, `SHOW BACKUP FROM ${database}`);
  if (result.length !== 1)
    throw new Error(`expected one SHOW BACKUP row for ${database}, got ${result.length}`);
  return result[0] as Record<string, unknown>;
}
