/** The report's period: whole days in one time zone, and the day an instant falls on. */
import { instantsAtLocalTime, localDateTime } from '#domain/config/time-zone.ts';

const DAY_MS = 86_400_000;

/** The days a report covers. */
export interface ReportPeriod {
  /** Start of the first day, epoch ms. */
  readonly fromMs: number;
  /** End of the period (exclusive), epoch ms. */
  readonly toMs: number;
  /** The first day, `YYYY-MM-DD` in `timeZone`. */
  readonly firstDay: string;
  readonly days: number;
  readonly timeZone: string;
  /** The report day `epochMs` falls on (0 = the first day; may be negative or ≥ days outside the period). */
  dayOf(epochMs: number): number;
}

function calendarDay(timeZone: string, epochMs: number): number {
  const local = localDateTime(timeZone, epochMs);
  return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
}

function startOfDay(timeZone: string, utcDay: number): number {
  const date = new Date(utcDay * DAY_MS);
  const local = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  // Midnight does not exist on a few zones' spring-forward days; the day then starts at the first hour that does.
  for (let hour = 0; hour < 3; hour += 1) {
    const instant = instantsAtLocalTime(timeZone, { ...local, hour, minute: 0 })[0];
    if (instant !== undefined) return instant;
  }
  return utcDay * DAY_MS;
}

/**
 * The period ending at `untilMs` (exclusive): the `days` days up to and including the one `untilMs - 1` falls on,
 * or, with `sinceMs`, every day from the one `sinceMs` falls on. Days are cut in `timeZone`.
 */
export function reportPeriod(request: {
  readonly untilMs: number;
  readonly days?: number | undefined;
  readonly sinceMs?: number | undefined;
  readonly timeZone: string;
}): ReportPeriod {
  const { untilMs, timeZone } = request;
  const lastDay = calendarDay(timeZone, untilMs - 1);
  let firstDayNumber: number;
  if (request.sinceMs !== undefined) {
    if (request.sinceMs >= untilMs) throw new RangeError('the period must start before it ends');
    firstDayNumber = calendarDay(timeZone, request.sinceMs);
  } else {
    const days = request.days ?? 30;
    if (!Number.isInteger(days) || days < 1)
      throw new RangeError(`days must be a positive integer, got ${days}`);
    firstDayNumber = lastDay - days + 1;
  }
  const fromMs = startOfDay(timeZone, firstDayNumber);
  return {
    fromMs,
    toMs: untilMs,
    firstDay: new Date(firstDayNumber * DAY_MS).toISOString().slice(0, 10),
    days: lastDay - firstDayNumber + 1,
    timeZone,
    dayOf: (epochMs) => calendarDay(timeZone, epochMs) - firstDayNumber,
  };
}
