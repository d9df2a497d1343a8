/**
 * When an EventBridge Scheduler cron schedule fires, as instants.
 *
 * Daylight saving time follows EventBridge Scheduler's documented behaviour
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html, "Daylight saving time"):
 * a local time that does not exist on a spring-forward day is skipped, and a local time that happens twice on a
 * fall-back day runs once. AWS does not say which of the two instants it uses; we take the first (the earlier
 * offset, before the clocks go back), which is also what java.time picks for an ambiguous local time.
 */
import { ConfigError } from '#domain/errors.ts';
import { CRON_YEAR_RANGE, type CronExpression, matchingDays, parseCron } from './cron.ts';
import { instantsAtLocalTime, localDateTime, timeZoneProblem } from './time-zone.ts';

/** The two fields of a schedule that decide when it fires. */
export interface ScheduleTiming {
  /** EventBridge Scheduler cron fields, e.g. `0 2 * * ? *`. */
  readonly cron: string;
  /** IANA time zone name the cron is evaluated in, e.g. `Asia/Shanghai`. */
  readonly timezone: string;
}

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function shiftDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Matching calendar dates from `start` on, forwards or backwards, without visiting months that cannot match. */
function* matchingDates(
  expression: CronExpression,
  start: CalendarDate,
  direction: 'forward' | 'backward',
): Generator<CalendarDate> {
  const forward = direction === 'forward';
  const ordered = <T>(values: readonly T[]): readonly T[] => (forward ? values : [...values].reverse());
  for (const year of ordered(expression.years)) {
    if (forward ? year < start.year : year > start.year) continue;
    for (const month of ordered(expression.months)) {
      if (year === start.year && (forward ? month < start.month : month > start.month)) continue;
      for (const day of ordered(matchingDays(expression, year, month))) {
        const date = { year, month, day };
        const order = compareDates(date, start);
        if (forward ? order >= 0 : order <= 0) yield date;
      }
    }
  }
}

/**
 * The instant a schedule fires at for one local date and time: `undefined` when that local time does not exist
 * (spring forward), the first of the two instants when it happens twice (fall back).
 */
function slotInstant(timeZone: string, date: CalendarDate, hour: number, minute: number): number | undefined {
  return instantsAtLocalTime(timeZone, { ...date, hour, minute })[0];
}

function prepare(schedule: ScheduleTiming): CronExpression {
  const problem = timeZoneProblem(schedule.timezone);
  if (problem !== undefined) throw new ConfigError(`timezone: ${problem}`, [`timezone: ${problem}`]);
  return parseCron(schedule.cron);
}

function localDate(timeZone: string, epochMs: number): CalendarDate {
  const { year, month, day } = localDateTime(timeZone, epochMs);
  return { year, month, day };
}

/**
 * The next `count` instants strictly after `after` at which the schedule fires (fewer when the year field runs out).
 * Throws `ConfigError` for an invalid cron expression or time zone.
 */
export function nextSlots(schedule: ScheduleTiming, after: Date, count: number): Date[] {
  const expression = prepare(schedule);
  const afterMs = after.getTime();
  const slots: Date[] = [];
  if (!(count >= 1) || Number.isNaN(afterMs)) return slots;
  // One day of slack: a few zones step back across midnight, so a slot dated yesterday can still lie ahead.
  const start = shiftDays(localDate(schedule.timezone, afterMs), -1);
  if (start.year > CRON_YEAR_RANGE.max) return slots;
  const lastHour = expression.hours[expression.hours.length - 1] ?? 0;
  const lastMinute = expression.minutes[expression.minutes.length - 1] ?? 0;
  for (const date of matchingDates(expression, start, 'forward')) {
    // Slots grow with local time, so a day (or hour) whose last slot is not ahead has none ahead.
    const lastOfDay = slotInstant(schedule.timezone, date, lastHour, lastMinute);
    if (lastOfDay !== undefined && lastOfDay <= afterMs) continue;
    for (const hour of expression.hours) {
      const lastOfHour = slotInstant(schedule.timezone, date, hour, lastMinute);
      if (lastOfHour !== undefined && lastOfHour <= afterMs) continue;
      for (const minute of expression.minutes) {
        const instant = slotInstant(schedule.timezone, date, hour, minute);
        if (instant === undefined || instant <= afterMs) continue;
        slots.push(new Date(instant));
        if (slots.length >= count) return slots;
      }
    }
  }
  return slots;
}

/**
 * The most recent instant at or before `at` at which the schedule fires, or `null` if it never fired before then.
 * Throws `ConfigError` for an invalid cron expression or time zone.
 */
export function previousSlot(schedule: ScheduleTiming, at: Date): Date | null {
  const expression = prepare(schedule);
  const atMs = at.getTime();
  if (Number.isNaN(atMs)) return null;
  const start = shiftDays(localDate(schedule.timezone, atMs), 1);
  if (start.year < CRON_YEAR_RANGE.min) return null;
  const hoursDescending = [...expression.hours].reverse();
  const minutesDescending = [...expression.minutes].reverse();
  const firstHour = expression.hours[0] ?? 0;
  const firstMinute = expression.minutes[0] ?? 0;
  for (const date of matchingDates(expression, start, 'backward')) {
    // Slots grow with local time, so a day (or hour) whose first slot is after `at` has none before it.
    const firstOfDay = slotInstant(schedule.timezone, date, firstHour, firstMinute);
    if (firstOfDay !== undefined && firstOfDay > atMs) continue;
    for (const hour of hoursDescending) {
      const firstOfHour = slotInstant(schedule.timezone, date, hour, firstMinute);
      if (firstOfHour !== undefined && firstOfHour > atMs) continue;
      for (const minute of minutesDescending) {
        const instant = slotInstant(schedule.timezone, date, hour, minute);
        if (instant !== undefined && instant <= atMs) return new Date(instant);
      }
    }
  }
  return null;
}
