/**
 * Connections to a StarRocks FE over the MySQL protocol (mysql2's core API: rows arrive as events).
 *
 * One connection serves one logical group of statements and is always closed, on error too
 * ({@link withStarRocksSession}). Statements are plain text sent with `query()`: identifiers cannot be bound as
 * parameters and StarRocks' prepared statements do not cover BACKUP or SHOW. `multipleStatements` stays off, so a
 * name can never smuggle a second statement in; every name is validated and quoted before it reaches here.
 * Rows are counted as they arrive and a statement that answers more than its limit (result-limits.ts) is stopped
 * there: the socket is dropped and {@link StarRocksResultTooLargeError} names the statement. Only the login methods
 * auth-plugins.ts allows may run. Every failure is thrown as a typed error (classify-error.ts).
 */
import type { Socket } from 'node:net';
import type { Connection, ConnectionOptions, FieldPacket, SslOptions } from 'mysql2';
import { StarRocksResultTooLargeError } from '#domain/errors.ts';
import { authPluginsFor } from './auth-plugins.ts';
import { classifyStarRocksError } from './classify-error.ts';
import { RESULT_TEXT_LIMIT, resultRowLimit } from './result-limits.ts';
import { EMPTY_RESULT, type ResultTable } from './result-table.ts';
import { buildSetTimeZoneStatement, type Statement } from './statements.ts';

/**
 * TLS towards the FE. `true` verifies the FE's certificate against the system CAs and checks that it names `host`
 * (when `host` is a name rather than an IP address).
 */
export type StarRocksTlsSettings =
  | boolean
  | {
      /** PEM CA bundle(s) to trust instead of the system CAs. */
      readonly ca?: string | readonly string[];
      /** Defaults to true; false accepts any certificate (only for testing). */
      readonly rejectUnauthorized?: boolean;
      /** Check the certificate's host name against `host`; defaults to `rejectUnauthorized`. */
      readonly verifyIdentity?: boolean;
    };

/** How to reach one FE. The password stays in this object: it never enters a message, a log or a statement. */
export interface StarRocksConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Limit for the TCP connect and handshake. */
  readonly connectTimeoutMs: number;
  /** Limit for each statement; past it the statement fails with StarRocksTimeoutError and the connection is dropped. */
  readonly statementTimeoutMs: number;
  readonly tls?: StarRocksTlsSettings;
  /**
   * A pinned RSA public key (PEM) of the server: lets `caching_sha2_password` / `sha256_password` log in without
   * TLS by encrypting to this key only (auth-plugins.ts). StarRocks never asks for those plugins.
   */
  readonly serverPublicKey?: string;
}

/** An open connection: statements run one after another. */
export interface StarRocksSession {
  /** Sends one statement and returns its result set ({@link EMPTY_RESULT} for OK packets). */
  query(statement: Statement): Promise<ResultTable>;
  /** Closes the connection; safe to call more than once, never throws. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 1000;

function sslOptions(tls: StarRocksTlsSettings | undefined): SslOptions | undefined {
  if (tls === undefined || tls === false) {
    return undefined;
  }
  if (tls === true) {
    return { rejectUnauthorized: true, verifyIdentity: true };
  }
  const rejectUnauthorized = tls.rejectUnauthorized ?? true;
  return {
    rejectUnauthorized,
    verifyIdentity: tls.verifyIdentity ?? rejectUnauthorized,
    ...(tls.ca === undefined ? {} : { ca: typeof tls.ca === 'string' ? tls.ca : [...tls.ca] }),
  };
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('utf8');
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return String(value);
}

/** mysql2 keeps the socket here; its typings do not say so. */
function socketOf(connection: Connection): Socket | undefined {
  return (connection as unknown as { stream?: Socket }).stream;
}

/**
 * Drops the socket at once. mysql2's `destroy()` only half-closes it (`end()`), and its parser would keep reading
 * whatever the FE still sends.
 */
function dropSocket(connection: Connection): void {
  connection.pause();
  socketOf(connection)?.destroy();
}

async function closeQuietly(connection: Connection, poisoned: boolean): Promise<void> {
  if (!poisoned) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          connection.end(() => resolve());
        }),
        new Promise((resolve) => {
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        }),
      ]);
    } catch {
      // the connection is going away anyway
    } finally {
      clearTimeout(timer);
    }
  }
  dropSocket(connection);
}

function isVerifiedTls(tls: StarRocksTlsSettings | undefined): boolean {
  if (tls === undefined || tls === false) return false;
  return tls === true || tls.rejectUnauthorized !== false;
}

/**
 * The mysql2 options for these settings: never `multipleStatements`, rows as arrays (columns are read by the
 * labels in the field list, which also survive duplicate names), dates and big numbers as text (kept verbatim),
 * and login methods restricted as auth-plugins.ts explains.
 */
export function connectionOptionsFor(settings: StarRocksConnectionSettings): ConnectionOptions {
  if (!(settings.connectTimeoutMs >= 1) || !(settings.statementTimeoutMs >= 1)) {
    // mysql2 reads 0 as "no timeout at all".
    throw new RangeError(
      `StarRocks timeouts must be at least 1 ms (connect ${settings.connectTimeoutMs}, statement ${settings.statementTimeoutMs})`,
    );
  }
  const ssl = sslOptions(settings.tls);
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    connectTimeout: settings.connectTimeoutMs,
    multipleStatements: false,
    rowsAsArray: true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    authPlugins: authPluginsFor({
      verifiedTls: isVerifiedTls(settings.tls),
      serverPublicKey: settings.serverPublicKey,
      endpoint: `StarRocks FE ${settings.host}:${settings.port}`,
    }),
    ...(ssl === undefined ? {} : { ssl }),
  };
}

async function connect(options: ConnectionOptions): Promise<Connection> {
  // Loaded at the first connection, not at cold start: evaluating mysql2 is a third of an FE function's init.
  const { createConnection } = await import('mysql2');
  return new Promise((resolve, reject) => {
    const connection = createConnection(options);
    const onError = (error: unknown): void => {
      dropSocket(connection);
      reject(error);
    };
    connection.once('error', onError);
    connection.once('connect', () => {
      connection.off('error', onError);
      resolve(connection);
    });
  });
}

/**
 * Sends one statement and collects its rows as they arrive, up to the statement's limits. Past a limit it rejects
 * with StarRocksResultTooLargeError and calls `overflow` (which drops the socket) without waiting for the rest.
 */
function runQuery(
  connection: Connection,
  statement: Statement,
  timeoutMs: number,
  overflow: () => void,
): Promise<ResultTable> {
  const rowLimit = resultRowLimit(statement.kind);
  return new Promise((resolve, reject) => {
    let columns: string[] | undefined;
    const rows: (string | null)[][] = [];
    let characters = 0;
    let settled = false;
    // A broken socket is reported on the connection, not on a query that has no callback.
    const onConnectionError = (error: unknown): void => settle(() => reject(error));
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      connection.off('error', onConnectionError);
      finish();
    };
    connection.on('error', onConnectionError);
    const tooLarge = (what: string): void =>
      settle(() => {
        overflow();
        reject(
          new StarRocksResultTooLargeError(
            `${statement.kind} answered ${what}; more than a backup needs, so the read was stopped and the ` +
              'connection dropped (is host:port the FE, and does the statement match what was meant?)',
          ),
        );
      });
    const query = connection.query({ sql: statement.sql, timeout: timeoutMs });
    query.on('fields', (fields: FieldPacket[] | undefined) => {
      if (fields !== undefined) columns = fields.map((field) => field.name);
    });
    query.on('result', (row: unknown) => {
      if (settled || !Array.isArray(row)) return; // an OK packet's header, or rows after a stop
      const cells = row.map(cellText);
      for (const cell of cells) characters += cell?.length ?? 0;
      rows.push(cells);
      if (rows.length > rowLimit) tooLarge(`more than ${rowLimit.toLocaleString('en-US')} rows`);
      else if (characters > RESULT_TEXT_LIMIT) {
        tooLarge(`more than ${(RESULT_TEXT_LIMIT / 1024 / 1024).toFixed(0)} MiB of text`);
      }
    });
    query.on('error', (error: unknown) => settle(() => reject(error)));
    query.on('end', () => settle(() => resolve(columns === undefined ? EMPTY_RESULT : { columns, rows })));
  });
}

/**
 * Opens a connection to the FE and pins its session `time_zone` to UTC first (statements.ts SESSION_TIME_ZONE), so
 * every time SHOW BACKUP / SHOW RESTORE prints is unambiguous whatever the FE's global default. Connection failures
 * are thrown classified (StarRocksUnavailableError, StarRocksAuthError, …).
 */
export async function openStarRocksSession(settings: StarRocksConnectionSettings): Promise<StarRocksSession> {
  const session = await openUnpinnedSession(settings);
  try {
    await session.query(buildSetTimeZoneStatement());
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

async function openUnpinnedSession(settings: StarRocksConnectionSettings): Promise<StarRocksSession> {
  const { host, port } = settings;
  let connection: Connection;
  try {
    connection = await connect(connectionOptionsFor(settings));
  } catch (error) {
    throw classifyStarRocksError(error, { host, port, statementKind: 'CONNECT' });
  }
  // mysql2 emits 'error' on the connection when the socket breaks between statements; the next query reports it.
  connection.on('error', () => undefined);

  let closed = false;
  let poisoned = false;
  return {
    async query(statement: Statement): Promise<ResultTable> {
      if (closed) {
        throw classifyStarRocksError(new Error('connection is in closed state'), {
          host,
          port,
          statementKind: statement.kind,
        });
      }
      try {
        return await runQuery(connection, statement, settings.statementTimeoutMs, () => {
          poisoned = true;
          dropSocket(connection);
        });
      } catch (error) {
        const fatal =
          typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true;
        const timedOut =
          typeof error === 'object' &&
          error !== null &&
          (error as { code?: unknown }).code === 'PROTOCOL_SEQUENCE_TIMEOUT';
        // After a timeout the FE may still answer the abandoned statement: the connection cannot be reused.
        poisoned ||= fatal || timedOut;
        throw classifyStarRocksError(error, { host, port, statementKind: statement.kind });
      }
    },
    async close(): Promise<void> {
      if (closed) {
        return;
      }
      closed = true;
      await closeQuietly(connection, poisoned);
    },
  };
}

/** Opens a session, runs `work` with it and closes it, whatever `work` does. */
export async function withStarRocksSession<T>(
  settings: StarRocksConnectionSettings,
  work: (session: StarRocksSession) => Promise<T>,
): Promise<T> {
  const session = await openStarRocksSession(settings);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
