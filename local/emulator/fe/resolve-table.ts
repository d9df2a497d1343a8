import type { CatalogDatabase, CatalogTable } from './catalog.ts';
import { analyzerError } from './errors.ts';
import type { Frontend } from './frontend.ts';
import type { Session } from './session.ts';

/**
 * The database and table a statement about one table names (`[db.]table`, else the session's database), with
 * StarRocks' analyzer errors for each missing part (ErrorCode ERR_NO_DB_ERROR, ERR_BAD_DB_ERROR,
 * ERR_BAD_TABLE_ERROR). Privileges are the caller's: each statement checks its own.
 */
export function resolveTable(
  fe: Frontend,
  statement: { readonly database?: string | undefined; readonly table: string },
  session: Session,
): { readonly database: CatalogDatabase; readonly table: CatalogTable } {
  const databaseName = statement.database ?? session.database;
  if (databaseName === undefined) throw analyzerError('No database selected', 'ERR_NO_DB_ERROR');
  const database = fe.catalog.get(databaseName);
  if (!database) throw analyzerError(`Unknown database '${databaseName}'`, 'ERR_BAD_DB_ERROR');
  const table = database.tables.find((candidate) => candidate.name === statement.table);
  if (!table) throw analyzerError(`Unknown table '${statement.table}'`, 'ERR_BAD_TABLE_ERROR');
  return { database, table };
}
