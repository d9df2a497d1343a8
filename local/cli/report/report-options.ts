/** Parsers of `sr-backup report`'s period options (loaded with the CLI, before the command's own modules). */
import { InvalidArgumentError } from 'commander';

/** `--since`: a number of days back, or a start. */
export type ReportSince = { readonly days: number } | { readonly at: Date };

/** The longest period a report covers (ten years of days). */
export const MAX_REPORT_DAYS = 3660;

/**
 * `30d` (the last 30 days, today included), a date `2026-10-01` (from that day, midnight UTC) or an ISO instant
 * with a zone.
 */
export function parseSince(value: string): ReportSince {
  const trimmed = value.trim();
  const days = /^(\d+)\s*d$/i.exec(trimmed);
  if (days) {
    const count = Number(days[1]);
    if (count < 1 || count > MAX_REPORT_DAYS) {
      throw new InvalidArgumentError(`expected from 1d to ${MAX_REPORT_DAYS}d`);
    }
    return { days: count };
  }
  return { at: parseDay(trimmed, '--since') };
}

/** A date (`2026-11-01`, midnight UTC) or an ISO instant with a zone. */
export function parseDay(value: string, option = '--until'): Date {
  const trimmed = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed)
    ? new Date(`${trimmed}T00:00:00Z`)
    : /T/.test(trimmed) && /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)
      ? new Date(trimmed)
      : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      `${option} expects ${option === '--since' ? 'a number of days (30d), ' : ''}a date (2026-10-01) or an ISO 8601 time with a zone`,
    );
  }
  return date;
}
