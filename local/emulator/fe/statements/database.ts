import type { Statement } from '#local/emulator/sql/ast.ts';
import { analyzerError, executionError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { DEFAULT_CATALOG } from '../privileges.ts';
import { OK, type Reply } from '../result.ts';
import type { Session } from '../session.ts';
import { checkDatabaseName } from './backup.ts';

/**
 * `CREATE DATABASE [IF NOT EXISTS] db`: FeNameFormat.checkDbName (analyzer), CREATE DATABASE on the catalog
 * (authorizer), then LocalMetastore.createDb: `Can't create database '<db>'; database exists` (ERR_DB_CREATE_EXISTS).
 */
export function createDatabase(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'CREATE_DATABASE' }>,
  session: Session,
): Reply {
  checkDatabaseName(statement.database);
  fe.access.require(session, 'CREATE DATABASE', { type: 'CATALOG', name: DEFAULT_CATALOG });
  if (fe.catalog.get(statement.database)) {
    if (statement.ifNotExists) return OK;
    throw executionError(
      `Can't create database '${statement.database}'; database exists`,
      'ERR_DB_CREATE_EXISTS',
    );
  }
  fe.catalog.create(statement.database);
  return OK;
}

/**
 * `DROP DATABASE [IF EXISTS] db [FORCE]`: information_schema is refused in the analyzer (ERR_DB_ACCESS_DENIED),
 * DROP on the database (authorizer), then `Can't drop database '<db>'; database doesn't exist`
 * (ERR_DB_DROP_EXISTS) unless IF EXISTS. FORCE (skip the recycle bin) changes nothing the emulator shows.
 */
export function dropDatabase(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'DROP_DATABASE' }>,
  session: Session,
): Reply {
  const name = statement.database;
  if (name.toLowerCase() === 'information_schema') {
    throw analyzerError(
      `Access denied for user '${session.user}' to database '${name}'`,
      'ERR_DB_ACCESS_DENIED',
    );
  }
  fe.access.require(session, 'DROP', { type: 'DATABASE', name });
  if (!fe.catalog.get(name)) {
    if (statement.ifExists) return OK;
    throw executionError(`Can't drop database '${name}'; database doesn't exist`, 'ERR_DB_DROP_EXISTS');
  }
  fe.catalog.drop(name);
  return OK;
}
