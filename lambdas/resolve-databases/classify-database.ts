/**
 * Decides, before anything is backed up, whether one database can be: empty (recorded SKIPPED `empty`, not planned),
 * ready, or a problem of its own. A problem becomes a field of the database's plan entry; its BackupDatabase
 * execution records it (FAILED with one alert, or SKIPPED) through the same path as every other outcome, and every
 * other database is backed up as usual. Only what concerns the whole cluster (the FE unreachable, the login
 * refused) is thrown, and ends the run.
 */
import {
  BackupSchedulerError,
  isRetryable,
  StarRocksAuthError,
  StarRocksInsecureAuthError,
} from '../shared/errors.ts';
import type { DatabaseProblem } from '../shared/workflow-state.ts';
import {
  assertValidIdentifier,
  describeOmitted,
  isNothing,
  isUnclassifiable,
  planBackupScope,
  type StarRocksCapabilities,
  type TableInfo,
} from '../starrocks/index.ts';

/** What ResolveDatabases learns of one database. */
export type DatabaseClassification =
  | { readonly kind: 'empty' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'problem'; readonly problem: DatabaseProblem };

/** What the classifier needs. */
export interface ClassifyDatabaseDeps {
  readonly capabilities: StarRocksCapabilities;
  /** `3.3.9`, for the texts. */
  readonly version: string;
  readonly listTables: (database: string) => Promise<TableInfo[]>;
}

/** Errors that say something about the whole cluster, not about one database: they end the run. */
function concernsCluster(error: unknown): boolean {
  return (
    isRetryable(error) || error instanceof StarRocksAuthError || error instanceof StarRocksInsecureAuthError
  );
}

function nameOf(error: unknown): string {
  return error instanceof BackupSchedulerError ? error.name : 'StarRocksSqlError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Classifies one database. Throws only errors that concern the whole cluster (an unreachable FE, a refused login);
 * every other failure becomes the database's problem.
 */
export async function classifyDatabase(
  database: string,
  deps: ClassifyDatabaseDeps,
): Promise<DatabaseClassification> {
  try {
    assertValidIdentifier('database', database);
  } catch (error) {
    return problem(
      'FAILED',
      'InvalidIdentifierError',
      `database ${database} cannot be backed up: ${messageOf(error)}. ` +
        'StarRocks refuses this name in BACKUP (Incorrect database name); rename the database (ALTER DATABASE … RENAME) ' +
        'or exclude it',
    );
  }
  let tables: TableInfo[];
  try {
    tables = await deps.listTables(database);
  } catch (error) {
    if (concernsCluster(error)) throw error;
    return problem(
      'FAILED',
      nameOf(error),
      `listing the tables of database ${database} failed: ${messageOf(error)}`,
    );
  }
  // Any row at all (view, external table…) means "not empty": a TABLE_TYPE filter alone can mislead (3.4.x).
  if (tables.length === 0) return { kind: 'empty' };

  const scope = planBackupScope(deps.capabilities, tables);
  if (isUnclassifiable(scope)) {
    const names = scope.unclassifiable.map(
      (table) => `${table.name} (TABLE_TYPE ${table.tableType ?? 'NULL'}, ENGINE ${table.engine ?? 'NULL'})`,
    );
    return problem(
      'FAILED',
      'UnsupportedObjectError',
      `database ${database} holds objects of a type that cannot be told from information_schema.tables: ` +
        `${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}. StarRocks ` +
        `${deps.version} backs up such a database only with an explicit ON (…) list, which would leave them out ` +
        'without a word, so it is not backed up',
    );
  }
  if (isNothing(scope)) {
    return problem(
      scope.failure ? 'FAILED' : 'SKIPPED',
      'NothingToBackUpError',
      `database ${database} has nothing StarRocks ${deps.version} can back up: ${describeOmitted(scope.omitted)}`,
    );
  }
  return { kind: 'ready' };
}

function problem(state: DatabaseProblem['state'], error: string, reason: string): DatabaseClassification {
  return {
    kind: 'problem',
    problem: { state, error, reason: reason.length > 2000 ? `${reason.slice(0, 1999)}…` : reason },
  };
}
