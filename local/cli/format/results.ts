/** The final table of a run and its one-line summary. */

import { formatDuration } from '#domain/time-format.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import { FAILURE_STATES } from '#domain/workflow/outcomes.ts';
import type { DatabaseResult } from '#local/runner/run-nightly.ts';
import type { Colors } from './color.ts';
import { formatTable } from './table.ts';
import { secondsBetweenIso } from './time.ts';

/** A state word, coloured: green FINISHED, yellow SKIPPED, red FAILED / TIMED_OUT. */
export function colorState(state: BackupOutcomeState, colors: Colors): string {
  if (state === 'FINISHED') return colors.green(state);
  if (state === 'SKIPPED') return colors.yellow(state);
  return colors.red(state);
}

/** `2 FINISHED, 1 FAILED, 1 SKIPPED` (states that occur, in a fixed order), or `no databases`. */
export function summarizeResults(results: readonly Pick<DatabaseResult, 'state'>[]): string {
  const order: BackupOutcomeState[] = ['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED'];
  const parts = order
    .map((state) => ({ state, count: results.filter((result) => result.state === state).length }))
    .filter(({ count }) => count > 0)
    .map(({ state, count }) => `${count} ${state}`);
  return parts.length > 0 ? parts.join(', ') : 'no databases';
}

/** True when any database FAILED or TIMED_OUT. */
export function hasFailures(results: readonly Pick<DatabaseResult, 'state'>[]): boolean {
  return results.some((result) => FAILURE_STATES.has(result.state));
}

/**
 * The results table: database, state, snapshot label, duration, and why (for anything but a plain FINISHED).
 * `note` adds a remark to a row (the demo marks its expected failure).
 */
export function formatResultsTable(
  results: readonly DatabaseResult[],
  colors: Colors,
  options: { readonly note?: (result: DatabaseResult) => string | undefined; readonly indent?: string } = {},
): string {
  const rows = results.map((result) => {
    const seconds = secondsBetweenIso(result.startedAt, result.finishedAt);
    const note = options.note?.(result);
    const warning = result.warning ? colors.yellow(result.warning) : '';
    const adopted = result.adopted
      ? colors.dim('this slot already had its snapshot: reused, nothing new taken')
      : '';
    const why = [result.error ?? '', warning, adopted, note ? colors.dim(note) : '']
      .filter((part) => part !== '')
      .join(' ');
    return [
      result.database,
      colorState(result.state, colors),
      result.snapshot,
      seconds === null ? '-' : formatDuration(seconds),
      why,
    ];
  });
  return formatTable(
    [
      { header: 'DATABASE' },
      { header: 'STATE' },
      { header: 'SNAPSHOT' },
      { header: 'DURATION', align: 'right' },
      { header: 'DETAILS' },
    ],
    rows,
    { styleHeader: colors.bold, ...(options.indent === undefined ? {} : { indent: options.indent }) },
  );
}
