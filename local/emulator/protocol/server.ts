import type { EventEmitter } from 'node:events';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SecureContext, TLSSocket } from 'node:tls';
import mysql from 'mysql2';
import type { Clock } from '#domain/clock.ts';
import type { FaultRegistry, Flood } from '../faults.ts';
import { executeStatement } from '../fe/dispatch.ts';
import { FeError, toWireError, type WireError } from '../fe/errors.ts';
import type { Frontend } from '../fe/frontend.ts';
import type { Reply, ResultColumn } from '../fe/result.ts';
import type { Session } from '../fe/session.ts';
import { EmulatorSyntaxError, parseStatements, type Statement } from '../sql/parser.ts';
import { verifyNativePassword } from './auth.ts';
import {
  columnDefinition,
  eofPacket,
  errorPacket,
  okPacket,
  type RawPacket,
  SERVER_MORE_RESULTS_EXISTS,
  SERVER_STATUS_AUTOCOMMIT,
} from './packets.ts';

/**
 * LONG_PASSWORD | FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION |
 * MULTI_STATEMENTS | MULTI_RESULTS | PLUGIN_AUTH. No SSL, compression, session tracking or DEPRECATE_EOF: the
 * emulator always ends result sets with EOF packets.
 */
const CAPABILITY_FLAGS = 0x000ba20f;
/** CLIENT_SSL: offered only when the emulator serves TLS (MysqlHandshakePacket adds it only with a keystore). */
const CLIENT_SSL = 0x00000800;
/** An SSLRequest packet is a HandshakeResponse41 cut after its 32-byte fixed part, with CLIENT_SSL set. */
const SSL_REQUEST_LENGTH = 32;
const COM_STMT_PREPARE = 0x16;
const COM_STMT_CLOSE = 0x19;
const COM_RESET_CONNECTION = 0x1f;

/** One statement text received on a connection. */
export interface StatementLogEntry {
  readonly connectionId: number;
  readonly user: string;
  readonly sql: string;
  /** Emulator clock time (ms) when the statement arrived. */
  readonly receivedAt: number;
  /** The statement came over TLS. */
  readonly tls: boolean;
}

/** The parts of mysql2's server-side Connection the emulator uses (its typings do not declare them). */
interface ServerConnection extends EventEmitter {
  sequenceId: number;
  stream: Socket;
  readonly packetParser: { execute(chunk: Buffer): void };
  serverHandshake(args: Record<string, unknown>): void;
  writePacket(packet: RawPacket): void;
  writeColumns(columns: Record<string, unknown>[]): void;
  writeTextRow(values: (string | null)[]): void;
}

interface HandshakeParameters {
  user: string;
  database?: string;
  authPluginData1: Buffer;
  authPluginData2: Buffer;
  authToken?: Buffer;
}

/** Options of {@link startProtocolServer}. */
export interface ProtocolServerOptions {
  readonly host: string;
  readonly port: number;
  readonly frontend: Frontend;
  readonly faults: FaultRegistry;
  readonly clock: Clock;
  readonly users: readonly { readonly name: string; readonly password: string }[];
  readonly onStatement: (entry: StatementLogEntry) => void;
  /** Serve TLS with this context (offer CLIENT_SSL and accept an SSLRequest); plaintext only without it. */
  readonly tls?: SecureContext | undefined;
}

/** A listening MySQL-protocol server. */
export interface ProtocolServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

type Action = (connection: ServerConnection) => void;

function replyActions(reply: Reply, serverStatus: number): Action[] {
  if (reply.type === 'ok') return [(connection) => connection.writePacket(okPacket(serverStatus))];
  return [
    (connection) => connection.writeColumns(reply.columns.map(columnDefinition)),
    ...reply.rows.map(
      (row): Action =>
        (connection) =>
          connection.writeTextRow([...row]),
    ),
    (connection) => connection.writePacket(eofPacket(serverStatus)),
  ];
}

function errorAction(error: WireError): Action {
  return (connection) => connection.writePacket(errorPacket(error.code, error.sqlState, error.message));
}

/** Rows written per cork: few syscalls, yet never more than a small batch ahead of the socket buffer. */
const FLOOD_BATCH_ROWS = 256;

function drainedOrClosed(stream: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/** Writes a flood fault's rows as the client reads them (awaiting 'drain'), stopping when the connection closes. */
async function writeFlood(
  connection: ServerConnection,
  columns: readonly ResultColumn[],
  flood: Flood,
): Promise<void> {
  const gone = (): boolean => connection.stream.destroyed || connection.stream.writableEnded;
  if (gone()) {
    flood.finish(false);
    return;
  }
  connection.writeColumns(columns.map(columnDefinition));
  for (let start = 0; start < flood.rows; start += FLOOD_BATCH_ROWS) {
    if (gone()) {
      flood.finish(false);
      return;
    }
    const end = Math.min(flood.rows, start + FLOOD_BATCH_ROWS);
    connection.stream.cork();
    for (let index = start; index < end; index++) {
      connection.writeTextRow(columns.map((column) => `${column.name}_${index}`));
    }
    connection.stream.uncork();
    flood.wrote(end - start);
    if (connection.stream.writableNeedDrain) await drainedOrClosed(connection.stream);
  }
  if (gone()) {
    flood.finish(false);
    return;
  }
  connection.writePacket(eofPacket(SERVER_STATUS_AUTOCOMMIT));
  connection.sequenceId = 0;
  flood.finish(true);
}

/**
 * Lets a client upgrade the connection to TLS after the greeting, as MysqlProto.negotiate does: when the first packet
 * is an SSLRequest, the socket is wrapped in TLS and the HandshakeResponse is read again over it. mysql2's server
 * helpers know nothing of this, so the packet never reaches them; the sequence id moves past it as if it had.
 */
function offerTls(connection: ServerConnection, context: SecureContext, onSecure: () => void): void {
  const raw = connection.stream;
  raw.removeAllListeners('data'); // mysql2's own listener, which feeds its packet parser
  const toParser = (chunk: Buffer): void => connection.packetParser.execute(chunk);
  let pending = Buffer.alloc(0);
  const firstPacket = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    if (pending.length < 4) return;
    const length = pending.readUIntLE(0, 3);
    if (pending.length < 4 + length) return;
    raw.off('data', firstPacket);
    const sequenceId = pending.readUInt8(3);
    const isSslRequest =
      length === SSL_REQUEST_LENGTH && (pending.readUInt32LE(4) & CLIENT_SSL) === CLIENT_SSL;
    if (!isSslRequest) {
      raw.on('data', toParser);
      toParser(pending);
      return;
    }
    // The client's TLS ClientHello may already sit behind the SSLRequest in this chunk: a Duplex in front of the
    // socket hands it to TLS first (TLS wrapping the socket's own handle would skip bytes already read).
    const bridge = new Duplex({
      read: () => {
        raw.resume();
      },
      write: (data, _encoding, done) => {
        raw.write(data, done);
      },
      final: (done) => {
        raw.end();
        done();
      },
      destroy: (error, done) => {
        raw.destroy();
        done(error);
      },
    });
    raw.on('data', (data: Buffer) => {
      if (!bridge.push(data)) raw.pause();
    });
    raw.on('end', () => bridge.push(null));
    raw.on('close', () => bridge.destroy());
    const rest = pending.subarray(4 + length);
    if (rest.length > 0) bridge.push(rest);
    const secure = new TLSSocket(bridge, { isServer: true, secureContext: context });
    secure.on('error', () => secure.destroy());
    secure.on('data', toParser);
    connection.sequenceId = (sequenceId + 1) & 0xff;
    connection.stream = secure as unknown as Socket;
    onSecure();
  };
  raw.on('data', firstPacket);
}

/** Starts the MySQL-protocol front of the emulator (mysql2's server helpers, StarRocks' answers). */
export function startProtocolServer(options: ProtocolServerOptions): Promise<ProtocolServer> {
  const { frontend, faults, clock } = options;
  const server = mysql.createServer(() => undefined) as unknown as EventEmitter & {
    _server: NetServer;
    listen(...args: unknown[]): void;
  };
  const sockets = new Set<Socket>();
  let nextConnectionId = 1;

  const wireError = (error: unknown): WireError => {
    if (error instanceof EmulatorSyntaxError)
      return { code: 1064, sqlState: 'HY000', message: error.message };
    if (error instanceof FeError) return toWireError(error, frontend.profile, frontend.errorWrapping);
    const message = error instanceof Error ? error.message : String(error);
    return { code: 1064, sqlState: 'HY000', message: `Unexpected exception: ${message}` };
  };

  server.on('connection', (connection: ServerConnection) => {
    const connectionId = nextConnectionId++;
    const remoteAddress = connection.stream.remoteAddress ?? '127.0.0.1';
    const session: Session = {
      connectionId,
      user: '',
      // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; the FE prints the IPv4 form.
      remoteIp: remoteAddress.replace(/^::ffff:/, ''),
      database: undefined,
    };
    let overTls = false;
    if (options.tls !== undefined) {
      offerTls(connection, options.tls, () => {
        overTls = true;
      });
    }
    const pendingPrepares: { binary: boolean }[] = [];
    let queue: Promise<void> = Promise.resolve();
    sockets.add(connection.stream);
    connection.stream.setNoDelay(true);
    connection.stream.on('close', () => sockets.delete(connection.stream));
    connection.on('error', () => undefined);

    const flush = (actions: readonly Action[]): void => {
      if (connection.stream.destroyed) return;
      // One TCP segment per reply: mysql2 writes every packet separately, and Nagle + delayed ACK would
      // otherwise add ~40 ms to each round trip.
      connection.stream.cork();
      for (const action of actions) action(connection);
      connection.stream.uncork();
      connection.sequenceId = 0;
    };
    const enqueue = (work: () => Promise<void> | void): void => {
      queue = queue.then(work).catch((error: unknown) => {
        flush([errorAction(wireError(error))]);
      });
    };

    const rejectLogin = (error: WireError): void => {
      connection.writePacket(errorPacket(error.code, error.sqlState, error.message));
      connection.stream.end();
    };

    connection.serverHandshake({
      protocolVersion: 10,
      serverVersion: frontend.profile.mysqlServerVersion,
      connectionId,
      statusFlags: SERVER_STATUS_AUTOCOMMIT,
      characterSet: 33,
      capabilityFlags: options.tls === undefined ? CAPABILITY_FLAGS : CAPABILITY_FLAGS | CLIENT_SSL,
      authCallback: (parameters: HandshakeParameters, callback: (error: null) => void) => {
        const scramble = Buffer.concat([parameters.authPluginData1, parameters.authPluginData2]);
        const account = options.users.find((user) => user.name === parameters.user);
        const refused = faults.takeLoginRefusal();
        if (refused || !account || !verifyNativePassword(account.password, scramble, parameters.authToken)) {
          const usingPassword = (parameters.authToken?.length ?? 0) > 0 ? 'YES' : 'NO';
          rejectLogin({
            code: 1045,
            sqlState: '28000',
            message: `Access denied for user '${parameters.user}' (using password: ${usingPassword})`,
          });
          return;
        }
        session.user = parameters.user;
        if (parameters.database) {
          try {
            frontend.useDatabase(session, parameters.database);
          } catch (error) {
            rejectLogin(wireError(error));
            return;
          }
        }
        callback(null);
        connection.sequenceId = 0;
      },
    });

    const runQuery = async (sql: string): Promise<void> => {
      options.onStatement({ connectionId, user: session.user, sql, receivedAt: clock.now(), tls: overTls });
      const drop = faults.takeDrop(sql);
      if (drop === 'before') {
        connection.stream.destroy();
        return;
      }
      const delayMs = faults.takeDelay(sql);
      if (delayMs > 0) await sleep(delayMs);
      const flood = faults.takeFlood(sql);
      const actions: Action[] = [];
      let statements: Statement[] = [];
      const failure = faults.takeFailure(sql);
      if (failure !== undefined) {
        actions.push(errorAction({ code: 1064, sqlState: 'HY000', message: failure }));
      } else {
        try {
          statements = parseStatements(sql, { grammar: frontend.profile.grammar });
        } catch (error) {
          actions.push(errorAction(wireError(error)));
        }
      }
      if (actions.length === 0 && statements.length === 0)
        actions.push(...replyActions({ type: 'ok' }, SERVER_STATUS_AUTOCOMMIT));
      // ConnectProcessor runs every statement of a multi-statement text and stops at the first error.
      for (const [index, statement] of statements.entries()) {
        const more = index < statements.length - 1 ? SERVER_MORE_RESULTS_EXISTS : 0;
        try {
          const reply = executeStatement(frontend, statement, session);
          if (flood !== undefined && reply.type === 'rows' && actions.length === 0 && more === 0) {
            await writeFlood(connection, reply.columns, flood);
            return;
          }
          actions.push(...replyActions(reply, SERVER_STATUS_AUTOCOMMIT | more));
        } catch (error) {
          actions.push(errorAction(wireError(error)));
          break;
        }
      }
      if (drop === 'after') {
        connection.stream.destroy();
        return;
      }
      flush(actions);
    };

    connection.on('query', (sql: string) => enqueue(() => runQuery(sql)));
    connection.on('stmt_prepare', (sql: string) => {
      const entry = { binary: false };
      pendingPrepares.push(entry);
      enqueue(() => {
        pendingPrepares.splice(pendingPrepares.indexOf(entry), 1);
        if (!entry.binary) return runQuery(sql);
        options.onStatement({
          connectionId,
          user: session.user,
          sql,
          receivedAt: clock.now(),
          tls: overTls,
        });
        // UNVERIFIED emulator limitation: the binary prepared-statement protocol is not emulated.
        flush([
          errorAction({
            code: 1295,
            sqlState: 'HY000',
            message: 'This command is not supported in the prepared statement protocol yet',
          }),
        ]);
      });
    });
    connection.on('stmt_execute', (...args: unknown[]) => {
      const text = args[4];
      if (typeof text === 'string') {
        enqueue(() => runQuery(text));
        return;
      }
      enqueue(() =>
        flush([
          errorAction({
            code: 1295,
            sqlState: 'HY000',
            message: 'This command is not supported in the prepared statement protocol yet',
          }),
        ]),
      );
    });
    connection.on('packet', (_packet: unknown, knownCommand: boolean, commandCode: number) => {
      if (commandCode === COM_STMT_PREPARE) {
        const last = pendingPrepares[pendingPrepares.length - 1];
        if (last) last.binary = true;
        return;
      }
      if (knownCommand || commandCode === COM_STMT_CLOSE) return;
      if (commandCode === COM_RESET_CONNECTION) {
        enqueue(() => flush([(c) => c.writePacket(okPacket(SERVER_STATUS_AUTOCOMMIT))]));
        return;
      }
      enqueue(() => flush([errorAction({ code: 1047, sqlState: '08S01', message: 'Unknown command' })]));
    });
    connection.on('init_db', (database: string) =>
      enqueue(() => {
        try {
          frontend.useDatabase(session, database);
          flush([(c) => c.writePacket(okPacket(SERVER_STATUS_AUTOCOMMIT))]);
        } catch (error) {
          flush([errorAction(wireError(error))]);
        }
      }),
    );
    connection.on('ping', () =>
      enqueue(() => flush([(c) => c.writePacket(okPacket(SERVER_STATUS_AUTOCOMMIT))])),
    );
    connection.on('field_list', () =>
      enqueue(() => flush([(c) => c.writePacket(eofPacket(SERVER_STATUS_AUTOCOMMIT))])),
    );
    connection.on('quit', () => connection.stream.end());
  });

  return new Promise((resolve, reject) => {
    const netServer = server._server;
    netServer.once('error', reject);
    server.listen(options.port, options.host, () => {
      netServer.off('error', reject);
      const address = netServer.address() as AddressInfo;
      resolve({
        host: options.host,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            netServer.close(() => done());
          }),
      });
    });
  });
}
