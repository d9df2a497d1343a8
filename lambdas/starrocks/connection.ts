/**
 * Connections to a StarRocks FE over the MySQL protocol (mysql2, promise API).
 *
 * One connection serves one logical group of statements and is always closed, on error too
 * ({@link withStarRocksSession}). Statements are plain text sent with `query()`: identifiers cannot be bound as
 * parameters and StarRocks' prepared statements do not cover BACKUP or SHOW. `multipleStatements` stays off, so a
 * name can never smuggle a second statement in; every name is validated and quoted before it reaches here.
 * Every failure is thrown as a typed error (classify-error.ts).
 */
import {
  type Connection,
  type ConnectionOptions,
  createConnection,
  type FieldPacket,
  type SslOptions,
} from 'mysql2/promise';
import { classifyStarRocksError } from './classify-error.ts';
import { EMPTY_RESULT, type ResultTable } from './result-table.ts';
import type { Statement } from './statements.ts';

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

function toResultTable(rows: unknown, fields: FieldPacket[] | undefined): ResultTable {
  if (!Array.isArray(rows) || fields === undefined) {
    return EMPTY_RESULT; // an OK packet (ResultSetHeader)
  }
  return {
    columns: fields.map((field) => field.name),
    rows: rows.map((row) => (Array.isArray(row) ? row.map(cellText) : [])),
  };
}

async function closeQuietly(connection: Connection, poisoned: boolean): Promise<void> {
  if (!poisoned) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.end(),
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
  connection.destroy();
}

/**
 * The mysql2 options for these settings: never `multipleStatements`, rows as arrays (columns are read by the
 * labels in the field list, which also survive duplicate names), dates and big numbers as text (kept verbatim).
 */
export function connectionOptionsFor(settings: StarRocksConnectionSettings): ConnectionOptions {
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
    ...(ssl === undefined ? {} : { ssl }),
  };
}

/** Opens a connection to the FE. Connection failures are thrown classified (StarRocksUnavailableError, StarRocksAuthError, …). */
export async function openStarRocksSession(settings: StarRocksConnectionSettings): Promise<StarRocksSession> {
  const { host, port } = settings;
  let connection: Connection;
  try {
    connection = await createConnection(connectionOptionsFor(settings));
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
        const [rows, fields] = await connection.query({
          sql: statement.sql,
          timeout: settings.statementTimeoutMs,
        });
        return toResultTable(rows, fields);
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
