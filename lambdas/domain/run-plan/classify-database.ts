/**
 * A database whose name StarRocks would refuse cannot be backed up: that is its own problem, planned with it (its
 * BackupDatabase execution records it FAILED with one alert through the same path as every other outcome), and every
 * other database is backed up as usual. Everything its tables could make a problem (none at all, objects this
 * version cannot back up, a listing that fails) its own execution finds out when SubmitBackup lists them.
 */

import { assertValidIdentifier } from '#domain/starrocks/index.ts';
import type { DatabaseProblem } from '#domain/workflow/workflow-state.ts';

/** The problem of a database whose name StarRocks would refuse in BACKUP, or undefined when the name is fine. */
export function nameProblem(database: string): DatabaseProblem | undefined {
  try {
    assertValidIdentifier('database', database);
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const reason =
      `database ${database} cannot be backed up: ${why}. StarRocks refuses this name in BACKUP (Incorrect database ` +
      'name); rename the database (ALTER DATABASE … RENAME) or exclude it';
    return {
      state: 'FAILED',
      error: 'InvalidIdentifierError',
      reason: reason.length > 2000 ? `${reason.slice(0, 1999)}…` : reason,
    };
  }
}
