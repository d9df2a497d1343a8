/** Progress as plain timestamped lines, for logs and pipes (no cursor movement, no colours unless asked). */

import { formatDuration } from '#domain/time-format.ts';
import type { Colors } from '../format/color.ts';
import { formatTimestamp } from '../format/time.ts';
import { planLine } from './format-progress.ts';
import type { ProgressChange, RunProgress } from './run-progress.ts';

/**
 * Writes one line per change worth reading: the plan, and each database's state changes (repeated polls that
 * change nothing are not repeated). Returns the function that stops it.
 */
export function attachLineProgress(
  progress: RunProgress,
  out: NodeJS.WritableStream,
  colors: Colors,
): () => void {
  const lastDetail = new Map<string, string>();
  let nameWidth = 0;
  const write = (atMs: number, text: string): void => {
    out.write(`${colors.dim(formatTimestamp(atMs))}  ${text}\n`);
  };
  return progress.onChange((change: ProgressChange) => {
    if (change.kind === 'resolving') {
      write(change.atMs, 'resolving databases');
      return;
    }
    if (change.kind === 'planned') {
      nameWidth = Math.max(nameWidth, ...change.plan.databases.map((name) => name.length));
      write(
        change.atMs,
        `${planLine(change.plan)}${change.plan.databases.length > 0 ? `: ${change.plan.databases.join(', ')}` : ''}`,
      );
      return;
    }
    const { progress: database } = change;
    const detail =
      database.phase === 'done'
        ? `${database.detail}${
            database.startedAtMs !== null && database.endedAtMs !== null
              ? ` after ${formatDuration((database.endedAtMs - database.startedAtMs) / 1000)}`
              : ''
          }`
        : database.detail;
    if (lastDetail.get(database.database) === detail) return;
    lastDetail.set(database.database, detail);
    nameWidth = Math.max(nameWidth, database.database.length);
    write(change.atMs, `${database.database.padEnd(nameWidth)}  ${detail}`);
  });
}
