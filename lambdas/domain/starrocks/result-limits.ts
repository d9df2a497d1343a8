/**
 * How much of an answer the scheduler reads before it calls the answer wrong. Rows arrive one by one
 * (connection.ts) and are counted as they come, so a runaway result set — a proxy in front of the wrong server, a
 * statement that matched far more than meant — stops at the limit instead of filling a 256 MB function: measured
 * before these limits, 50,000 rows took 123 MB and 150,000 never finished.
 */
import type { StatementKind } from './statements.ts';

/** Rows read for any statement without a limit of its own: every other answer has a handful of rows. */
export const DEFAULT_RESULT_ROW_LIMIT = 20_000;

/**
 * Statements whose answer grows with the cluster: one row per database (SHOW DATABASES) or per table of one
 * database (information_schema.tables, SHOW DATA plus its Total/Quota/Left rows). A hundred thousand is far
 * beyond what one cluster or database holds in practice, and still a few tens of MB of text.
 */
export const RESULT_ROW_LIMITS: Readonly<Partial<Record<StatementKind, number>>> = {
  'SHOW DATABASES': 100_000,
  'LIST TABLES': 100_000,
  'SHOW DATA': 100_000,
};

/**
 * Characters of cell text read per statement, whatever the row count: SHOW BACKUP's UnfinishedTasks and Progress
 * cells list every tablet, so one row can be large, but not this large.
 */
export const RESULT_TEXT_LIMIT = 64 * 1024 * 1024;

/** The most rows a statement of this kind may answer. */
export function resultRowLimit(kind: StatementKind): number {
  return RESULT_ROW_LIMITS[kind] ?? DEFAULT_RESULT_ROW_LIMIT;
}
