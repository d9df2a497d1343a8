import { formatDuration } from '#domain/time-format.ts';
import type { Colors } from '../format/color.ts';
import type { DatabaseProgress, RunPlanSummary } from './run-progress.ts';

/** Seconds the database has been (or was) at it, or null while queued. */
export function elapsedSeconds(progress: DatabaseProgress, nowMs: number): number | null {
  if (progress.startedAtMs === null) return null;
  return ((progress.endedAtMs ?? nowMs) - progress.startedAtMs) / 1000;
}

/** The state word of a progress line, coloured by outcome. */
export function stateWord(progress: DatabaseProgress, colors: Colors): string {
  switch (progress.outcome !== null && progress.phase === 'done' ? progress.outcome : null) {
    case 'FINISHED':
      return colors.green('FINISHED');
    case 'SKIPPED':
      return colors.yellow('SKIPPED');
    case 'FAILED':
      return colors.red('FAILED');
    case 'TIMED_OUT':
      return colors.red('TIMED_OUT');
    default:
      return progress.phase === 'queued' ? colors.dim('queued') : colors.cyan(progress.phase);
  }
}

/** `sales      running  UPLOADING 3/7 tasks, next check in 2 s  (12 s)`: one line per database. */
export function progressLine(
  progress: DatabaseProgress,
  options: { readonly nowMs: number; readonly nameWidth: number; readonly colors: Colors },
): string {
  const elapsed = elapsedSeconds(progress, options.nowMs);
  const time = elapsed === null ? '' : options.colors.dim(`  ${formatDuration(elapsed)}`);
  const detail =
    progress.phase === 'done'
      ? progress.reason && progress.outcome !== 'FINISHED'
        ? `  ${progress.reason}`
        : ''
      : progress.phase === 'queued'
        ? ''
        : `  ${progress.detail}`;
  return `${progress.database.padEnd(options.nameWidth)}  ${stateWord(progress, options.colors)}${detail}${time}`;
}

/** `3 databases to back up, longest expected first (1 excluded)`. */
export function planLine(plan: RunPlanSummary): string {
  const count = plan.total;
  const extras: string[] = [];
  if (plan.excluded > 0) extras.push(`${plan.excluded} excluded`);
  if (plan.databases.length < count) extras.push(`the first ${plan.databases.length} shown`);
  return `${count} database${count === 1 ? '' : 's'} to back up${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}
