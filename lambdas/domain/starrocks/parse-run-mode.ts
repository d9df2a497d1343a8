/**
 * The cluster's run mode from `ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'` (columns Key, AliasNames, Value, Type,
 * IsMutable, Comment). Shared-data clusters (`shared_data`, 3.0+) cannot run BACKUP or RESTORE.
 */
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { type ResultTable, readRows } from './result-table.ts';

/** server/RunMode.java's two modes. */
export type RunMode = 'shared_nothing' | 'shared_data';

/**
 * Reads the `run_mode` row. No row means an FE older than the setting (before 3.0), which is always
 * shared-nothing. RunMode.detectRunMode accepts the value in any case.
 */
export function parseRunMode(table: ResultTable): RunMode {
  const row = readRows(table, 'SHOW FRONTEND CONFIG', ['Key', 'Value']).find(
    (candidate) => candidate.nullable('Key') === 'run_mode',
  );
  if (row === undefined) return 'shared_nothing';
  const value = (row.nullable('Value') ?? '').trim().toLowerCase();
  if (value !== 'shared_nothing' && value !== 'shared_data') {
    throw new StarRocksResultShapeError(
      `SHOW FRONTEND CONFIG reported an unknown run_mode ${JSON.stringify(value)}`,
    );
  }
  return value;
}
