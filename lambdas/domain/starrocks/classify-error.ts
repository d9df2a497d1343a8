/**
 * Turns what mysql2 throws into the typed errors of lambdas/domain/errors.ts, which the workflow matches by name.
 *
 * StarRocks 2.5–3.x send nearly every backup error as `1064 / HY000`, so the class is decided by the message's
 * core text, matched with `includes()` because versions wrap it (`Unexpected exception: …`,
 * `Getting analyzing error. Detail message: ….`; qe/StmtExecutor.java, mysql/MysqlErrPacket.java). Network and protocol failures are decided by
 * mysql2's `code`. Messages name host:port and the statement kind and keep StarRocks' own text; they never hold a
 * password (none is ever part of a statement or of mysql2's messages).
 */
import {
  BackupAlreadyRunningError,
  BackupSchedulerError,
  BackupSubmitBusyError,
  EmptyDatabaseError,
  SnapshotInUseError,
  SnapshotLabelExistsError,
  SnapshotNotFoundError,
  SnapshotNotOwnedError,
  StarRocksAccessDeniedError,
  StarRocksAuthError,
  StarRocksSqlError,
  StarRocksTimeoutError,
  StarRocksUnavailableError,
  UnknownDatabaseError,
  UnknownRepositoryError,
  UnsupportedListPartitionError,
  UnsupportedObjectError,
} from '#domain/errors.ts';
import type { StatementKind } from './statements.ts';

/** Where the error happened: `CONNECT` for the handshake, otherwise the statement's kind. */
export interface ErrorContext {
  readonly host: string;
  readonly port: number;
  readonly statementKind: StatementKind | 'CONNECT';
}

interface MysqlErrorShape {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly sqlState?: unknown;
  readonly sqlMessage?: unknown;
  readonly message?: unknown;
}

/** Socket and DNS failures: the FE could not be reached, or the connection broke. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
  'ERR_SOCKET_CLOSED',
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR',
]);

const TLS_CODE =
  /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;

/** MySQL error numbers with a meaning of their own (login refused, too many connections, unknown database, …). */
const ER_DBACCESS_DENIED = 1044;
const ER_ACCESS_DENIED = 1045;
const ER_CON_COUNT = 1040;
const ER_BAD_DB = 1049;
const ER_TABLEACCESS_DENIED = 1142;
const ER_SPECIFIC_ACCESS_DENIED = 1227;
const STARROCKS_ACCESS_DENIED = 5203;
const STARROCKS_BAD_DB = 5501;

type ErrorFactory = (message: string, options: { cause: unknown }) => BackupSchedulerError;

function includesAny(text: string, cores: readonly string[]): boolean {
  return cores.some((core) => text.includes(core));
}

/**
 * Core texts (backup/BackupHandler.java, backup/BackupJob.java, backup/RestoreJob.java, sql/analyzer/BackupRestoreAnalyzer.java), most specific first. A name inside a message (a table called
 * "Unknown database") can at worst move an error to another typed class, never hide it.
 */
const TEXT_RULES: readonly { readonly matches: (text: string) => boolean; readonly make: ErrorFactory }[] = [
  {
    // `Can only run one backup or restore job of a database at same time` (also `... of external catalog`).
    matches: (text) => text.includes('Can only run one backup or restore job'),
    make: (message, options) => new BackupAlreadyRunningError(message, options),
  },
  {
    matches: (text) => text.includes('Another backup or restore job is being submitted'),
    make: (message, options) => new BackupSubmitBusyError(message, options),
  },
  {
    // `Snapshot with name '<label>' already exist in repository`
    matches: (text) => text.includes('already exist in repository'),
    make: (message, options) => new SnapshotLabelExistsError(message, options),
  },
  {
    // RESTORE: `Failed to get info of snapshot '<l>' because: <err>. Maybe specified wrong backup timestamp`,
    // `Table <t> does not exist in snapshot <l>`; DROP SNAPSHOT: `Snapshot does not exist in repository <r>: <l>`.
    matches: (text) =>
      includesAny(text, [
        'Maybe specified wrong backup timestamp',
        'does not exist in snapshot',
        'Snapshot does not exist in repository',
      ]),
    make: (message, options) => new SnapshotNotFoundError(message, options),
  },
  {
    // DROP SNAPSHOT: `Can not drop snapshot <l>: a backup is writing it` / `: a restore is reading it`.
    matches: (text) =>
      text.includes('Can not drop snapshot') &&
      includesAny(text, ['a backup is writing it', 'a restore is reading it']),
    make: (message, options) => new SnapshotInUseError(message, options),
  },
  {
    // DROP SNAPSHOT without FORCE of another cluster's snapshot (or one that records no owner).
    matches: (text) => text.includes('Use DROP SNAPSHOT ... FORCE to drop it anyway'),
    make: (message, options) => new SnapshotNotOwnedError(message, options),
  },
  {
    // BackupRestoreAnalyzer.analyzeTableRef (PR #27551): names no table.
    matches: (text) => text.includes('List partition table does not support backup/restore job'),
    make: (message, options) => new UnsupportedListPartitionError(message, options),
  },
  {
    matches: (text) =>
      includesAny(text, [
        'is not a OLAP table',
        'can not support backup restore',
        'Do not support backing up table with temp partitions',
        'Do not support backing up temp partitions',
      ]),
    make: (message, options) => new UnsupportedObjectError(message, options),
  },
  {
    // `Database: <db> is empty` ("is empty" alone is too common a phrase).
    matches: (text) => text.includes('Database: ') && text.includes(' is empty'),
    make: (message, options) => new EmptyDatabaseError(message, options),
  },
  {
    // `Repository [<r>] does not exist`, `Repository <r> does not exist`, `Repository <r> is read only`,
    // `Repository is empty` (no name given).
    matches: (text) =>
      text.includes('Repository') &&
      includesAny(text, ['does not exist', 'is read only', 'Repository is empty']),
    make: (message, options) => new UnknownRepositoryError(message, options),
  },
  {
    matches: (text) => text.includes('Unknown database'),
    make: (message, options) => new UnknownDatabaseError(message, options),
  },
];

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function isLoginRefusal(
  errno: number | undefined,
  code: string,
  text: string,
  context: ErrorContext,
): boolean {
  if (context.statementKind === 'CONNECT') {
    return (
      errno === ER_ACCESS_DENIED ||
      errno === ER_DBACCESS_DENIED ||
      code === 'ER_ACCESS_DENIED_ERROR' ||
      code.startsWith('AUTH_') ||
      text.includes('Access denied for user')
    );
  }
  // After the handshake, "Access denied for user ... to database ..." (1044) and privilege texts are
  // authorisation failures; only a bare 1045 still means the login itself.
  return (
    errno === ER_ACCESS_DENIED &&
    !text.includes('you need') &&
    !text.includes('privilege') &&
    !text.includes(' to database ')
  );
}

function isAccessDenied(errno: number | undefined, text: string): boolean {
  return (
    errno === ER_SPECIFIC_ACCESS_DENIED ||
    errno === ER_TABLEACCESS_DENIED ||
    errno === STARROCKS_ACCESS_DENIED ||
    text.includes('Access denied') ||
    text.includes('command denied to user')
  );
}

/**
 * Classifies an error thrown while connecting to, or talking with, a StarRocks FE. An error that is already one
 * of ours is returned unchanged.
 */
export function classifyStarRocksError(error: unknown, context: ErrorContext): BackupSchedulerError {
  if (error instanceof BackupSchedulerError) {
    return error;
  }
  const shape: MysqlErrorShape =
    typeof error === 'object' && error !== null ? (error as MysqlErrorShape) : {};
  const code = textOf(shape.code);
  const errno = typeof shape.errno === 'number' && shape.errno > 0 ? shape.errno : undefined;
  const sqlState = textOf(shape.sqlState) || undefined;
  const text = textOf(shape.sqlMessage) || textOf(shape.message) || String(error);
  const where = `${context.statementKind} on ${context.host}:${context.port}`;
  const cause = { cause: error };

  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return new StarRocksTimeoutError(`${where} did not answer within the statement timeout (${text})`, cause);
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    // The handshake lacks CLIENT_SSL: StarRocks offers TLS from 3.4.1, and only with ssl_keystore_location set
    // (MysqlHandshakePacket.writeTo, ConnectContext.supportSSL).
    return new StarRocksUnavailableError(
      `StarRocks FE ${context.host}:${context.port} does not offer TLS on its MySQL port, and this cluster requires ` +
        'it (tls). StarRocks serves TLS from 3.4.1 with ssl_keystore_location set in fe.conf; for an older FE set ' +
        'tls: false (the password still never crosses the wire: mysql_native_password is a challenge-response)',
      cause,
    );
  }
  if (code === 'HANDSHAKE_SSL_ERROR') {
    return new StarRocksUnavailableError(
      `StarRocks FE ${context.host}:${context.port}: TLS failed during ${context.statementKind} (${text}); if the ` +
        "FE's certificate is not from a public CA, give its CA certificate as tls.ca",
      cause,
    );
  }
  if (
    NETWORK_CODES.has(code) ||
    TLS_CODE.test(code) ||
    errno === ER_CON_COUNT ||
    text.includes('connection is in closed state')
  ) {
    const reason = code ? `${code}: ${text}` : text;
    return new StarRocksUnavailableError(
      `StarRocks FE ${context.host}:${context.port} unavailable during ${context.statementKind} (${reason})`,
      cause,
    );
  }
  if (isLoginRefusal(errno, code, text, context)) {
    return new StarRocksAuthError(
      `StarRocks FE ${context.host}:${context.port} refused the login: ${text}`,
      cause,
    );
  }
  if (isAccessDenied(errno, text)) {
    return new StarRocksAccessDeniedError(`${where} was denied: ${text}`, cause);
  }
  for (const rule of TEXT_RULES) {
    if (rule.matches(text)) {
      return rule.make(`${where} failed: ${text}`, cause);
    }
  }
  if (errno === ER_BAD_DB || errno === STARROCKS_BAD_DB) {
    return new UnknownDatabaseError(`${where} failed: ${text}`, cause);
  }
  return new StarRocksSqlError(`${where} failed: ${text}`, {
    ...(errno === undefined ? {} : { errno }),
    ...(sqlState === undefined ? {} : { sqlState }),
    cause: error,
  });
}
