import { describe, expect, it } from 'vitest';
import {
  BackupAlreadyRunningError,
  BackupSubmitBusyError,
  EmptyDatabaseError,
  InvalidIdentifierError,
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
  UnsupportedObjectError,
} from '#domain/errors.ts';
import { classifyStarRocksError, type ErrorContext } from '#domain/starrocks/classify-error.ts';

const context: ErrorContext = { host: 'fe.internal', port: 9030, statementKind: 'BACKUP' };

/** The shape mysql2 gives a server ERR packet. */
function serverError(message: string, errno = 1064, sqlState = 'HY000') {
  return Object.assign(new Error(message), {
    errno,
    sqlState,
    sqlMessage: message,
    code: 'ER_PARSE_ERROR',
    fatal: false,
  });
}

/** The shape mysql2 gives a socket-level failure. */
function socketError(code: string, message = `connect ${code} 10.0.0.1:9030`) {
  return Object.assign(new Error(message), { code, errno: -111, fatal: true });
}

const WRAPPERS = [
  (text: string) => text,
  (text: string) => `Unexpected exception: ${text}`,
  (text: string) => `Getting analyzing error. Detail message: ${text}.`,
];

const TEXT_CASES: [string, new (...args: never[]) => Error][] = [
  ['Can only run one backup or restore job of a database at same time', BackupAlreadyRunningError],
  ['Another backup or restore job is being submitted. Please wait and try again', BackupSubmitBusyError],
  ["Snapshot with name 'nightly_sales_x' already exist in repository", SnapshotLabelExistsError],
  ["Unknown database 'sales'", UnknownDatabaseError],
  ['Database: sales is empty', EmptyDatabaseError],
  ["Table 'v_orders' is not a OLAP table", UnsupportedObjectError],
  ['Table: ext can not support backup restore, type: HIVE', UnsupportedObjectError],
  ['Do not support backing up table with temp partitions', UnsupportedObjectError],
  ['Do not support backing up temp partitions', UnsupportedObjectError],
  ['Repository [s3_repo] does not exist', UnknownRepositoryError],
  ['Repository s3_repo does not exist', UnknownRepositoryError],
  ['Repository s3_repo is read only', UnknownRepositoryError],
  [
    'Access denied; you need (at least one of) the REPOSITORY privilege(s) on SYSTEM for this operation. Please ask the admin to grant permission(s) or try activating existing roles using <set [default] role>. Current role(s): NONE. Inactivated role(s): NONE.',
    StarRocksAccessDeniedError,
  ],
  ["EXPORT command denied to user 'backup'@'%' for table 'orders'", StarRocksAccessDeniedError],
  [
    "Failed to get info of snapshot 'snap1' because: Expected one file with path: s3a://b/__starrocks_repository_repo/__ss_snap1/__info_2026-11-20-00-00-01-000. get: 0. Maybe specified wrong backup timestamp",
    SnapshotNotFoundError,
  ],
  ['Table orders does not exist in snapshot snap1', SnapshotNotFoundError],
  ['Snapshot does not exist in repository s3_repo: snap1', SnapshotNotFoundError],
  ['Repository does not exist: s3_repo', UnknownRepositoryError],
  ['Can not drop snapshot snap1: a backup is writing it', SnapshotInUseError],
  ['Can not drop snapshot snap1: a restore is reading it', SnapshotInUseError],
  [
    'Snapshot snap1 in repository Repository_main was created by cluster 42, and this cluster is 7. Use DROP SNAPSHOT ... FORCE to drop it anyway',
    SnapshotNotOwnedError,
  ],
];

describe('classifyStarRocksError', () => {
  for (const [text, ErrorClass] of TEXT_CASES) {
    it(`classifies "${text.slice(0, 50)}" as ${ErrorClass.name}, bare or wrapped`, () => {
      for (const wrap of WRAPPERS) {
        const error = classifyStarRocksError(serverError(wrap(text)), context);
        expect(error).toBeInstanceOf(ErrorClass);
        expect(error.message).toContain(text);
        expect(error.message).toContain('fe.internal:9030');
      }
    });
  }

  it('tells a snapshot in use (free again for the next prune) from a missing one', () => {
    const inUse = classifyStarRocksError(
      serverError('Can not drop snapshot s: a backup is writing it'),
      context,
    );
    const missing = classifyStarRocksError(serverError('Table t does not exist in snapshot s'), context);
    expect(inUse).toBeInstanceOf(SnapshotInUseError);
    expect(missing).toBeInstanceOf(SnapshotNotFoundError);
  });

  it('names the statement kind in the message', () => {
    const error = classifyStarRocksError(serverError("Unknown database 'x'"), {
      ...context,
      statementKind: 'SHOW BACKUP',
    });
    expect(error.message).toMatch(/^SHOW BACKUP on fe\.internal:9030 failed: /);
  });

  it('classifies a refused login during the handshake as an authentication error', () => {
    const refused = serverError(
      "Access denied for user 'backup'@'10.0.0.2' (using password: YES)",
      1045,
      '28000',
    );
    const error = classifyStarRocksError(refused, { ...context, statementKind: 'CONNECT' });
    expect(error).toBeInstanceOf(StarRocksAuthError);
    expect(error.message).toContain('fe.internal:9030');
  });

  it('treats a database-level denial after login as missing privileges, not a bad password', () => {
    const denied = serverError("Access denied for user 'backup'@'%' to database 'sales'", 1044, '42000');
    expect(classifyStarRocksError(denied, { ...context, statementKind: 'USE' })).toBeInstanceOf(
      StarRocksAccessDeniedError,
    );
  });

  it('keeps the newer coded access-denied error apart from a login failure', () => {
    const denied = serverError(
      'Access denied; you need (at least one of) the EXPORT privilege(s) on TABLE t',
      5203,
      '42000',
    );
    expect(classifyStarRocksError(denied, context)).toBeInstanceOf(StarRocksAccessDeniedError);
  });

  it('classifies the coded unknown-database error by number when the text is different', () => {
    expect(classifyStarRocksError(serverError('no such db: x', 5501, '3F000'), context)).toBeInstanceOf(
      UnknownDatabaseError,
    );
  });

  for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'ECONNRESET']) {
    it(`treats ${code} as the FE being unavailable`, () => {
      const error = classifyStarRocksError(socketError(code), { ...context, statementKind: 'CONNECT' });
      expect(error).toBeInstanceOf(StarRocksUnavailableError);
      expect(error.message).toContain(code);
      expect(error.message).toContain('fe.internal:9030');
    });
  }

  it('treats a statement timeout as a timeout, not an outage', () => {
    const timeout = Object.assign(new Error('Query inactivity timeout'), {
      code: 'PROTOCOL_SEQUENCE_TIMEOUT',
    });
    const error = classifyStarRocksError(timeout, { ...context, statementKind: 'SHOW BACKUP' });
    expect(error).toBeInstanceOf(StarRocksTimeoutError);
    expect(error.message).toContain('SHOW BACKUP on fe.internal:9030');
  });

  it('keeps errno and SQLSTATE on any other SQL error', () => {
    const error = classifyStarRocksError(
      serverError('Invalid backup job type: nope', 1064, 'HY000'),
      context,
    );
    expect(error).toBeInstanceOf(StarRocksSqlError);
    expect((error as StarRocksSqlError).errno).toBe(1064);
    expect((error as StarRocksSqlError).sqlState).toBe('HY000');
    expect(error.message).toContain('Invalid backup job type: nope');
  });

  it('returns our own errors unchanged', () => {
    const own = new InvalidIdentifierError('bad');
    expect(classifyStarRocksError(own, context)).toBe(own);
  });
});
