import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import type { StarRocksSettings } from '#domain/starrocks/client.ts';
import type { EmulatorHandle, EmulatorScenario, ProfileId } from '#local/emulator/index.ts';

/** The backup user's password; tests check it never shows up in an error. */
export const PASSWORD = 'Pw-s3cret!value';

/** A small cluster covering every table kind, an empty database and a read-only repository. */
export function scenarioFor(version: ProfileId, overrides: Partial<EmulatorScenario> = {}): EmulatorScenario {
  return {
    version,
    feTimeZone: 'Asia/Shanghai',
    users: [{ name: 'backup', password: PASSWORD }],
    repositories: [
      { name: 'repo', location: 's3a://bucket/backups' },
      { name: 'archive', location: 's3a://bucket/archive', readOnly: true },
    ],
    databases: [
      {
        name: 'sales',
        tables: [
          { name: 'orders', sizeBytes: 1_433, rows: 10, replicaCount: 3 },
          { name: 'customers', sizeBytes: 5 * 1024 ** 2, rows: 5, replicaCount: 3 },
        ],
      },
      {
        name: 'with_view',
        tables: [
          { name: 'facts', sizeBytes: 2048 },
          { name: 'v_facts', type: 'VIEW' },
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
    defaultBackupDurationMs: 60_000,
    ...overrides,
  };
}

/** Client settings pointing at `target` (the emulator or a proxy in front of it). */
export function settingsFor(
  target: { host: string; port: number },
  overrides: Partial<StarRocksSettings> = {},
): StarRocksSettings {
  return {
    host: target.host,
    port: target.port,
    user: 'backup',
    password: PASSWORD,
    connectTimeoutMs: 2_000,
    statementTimeoutMs: 2_000,
    ...overrides,
  };
}

/** The statements the emulator received after `from`, as text, without the time-zone pin every connection sends first. */
export function statementsSince(emulator: EmulatorHandle, from: number): string[] {
  return emulator.statements
    .slice(from)
    .map((entry) => entry.sql)
    .filter((sql) => sql !== "SET time_zone = '+00:00'");
}

/** A TCP pass-through in front of the emulator that counts the connections still open. */
export interface CountingProxy {
  readonly host: string;
  readonly port: number;
  /** Client connections accepted and not yet closed. */
  openConnections(): number;
  /** Connections accepted in total. */
  acceptedConnections(): number;
  /** Resolves once every accepted connection has closed (the client's close is asynchronous). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link CountingProxy} forwarding to `target`. */
export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let waiters: (() => void)[] = [];
  const settle = (): void => {
    if (open.size === 0) {
      for (const waiter of waiters) waiter();
      waiters = [];
    }
  };
  const server: Server = createServer((client) => {
    accepted += 1;
    open.add(client);
    const upstream = tcpConnect(target.port, target.host);
    client.pipe(upstream);
    upstream.pipe(client);
    const finish = (): void => {
      client.destroy();
      upstream.destroy();
      if (open.delete(client)) settle();
    };
    client.on('close', finish);
    client.on('error', finish);
    upstream.on('close', finish);
    upstream.on('error', finish);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    openConnections: () => open.size,
    acceptedConnections: () => accepted,
    drained: () =>
      open.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on which nothing listens (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
