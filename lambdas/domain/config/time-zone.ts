/**
 * Wall-clock arithmetic in IANA time zones, built on `Intl.DateTimeFormat` (no time-zone database of our own:
 * Node's ICU data is the one the rest of the process uses).
 */

/** A local date and time in some time zone; `month` is 1–12. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;

// Building a DateTimeFormat costs far more than formatting with one; the cache only ever holds one entry per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Explains why `timeZone` is not usable as an EventBridge Scheduler time zone, or returns `undefined` when it is.
 * Accepts IANA names (`Asia/Shanghai`, `UTC`, `Etc/GMT+5`) spelled with their canonical capitalisation;
 * rejects offsets such as `+08:00`, which `Intl` accepts but Scheduler does not.
 */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (timeZone.trim() === '')
    return 'must not be empty (use an IANA time zone name such as UTC or Asia/Shanghai)';
  if (!/^[A-Za-z]/.test(timeZone)) {
    return 'must be an IANA time zone name such as UTC or Asia/Shanghai, not an offset';
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return `"${timeZone}" is not a known IANA time zone name (for example UTC, Europe/Berlin, Asia/Shanghai)`;
  }
  if (resolved !== timeZone && resolved.toLowerCase() === timeZone.toLowerCase()) {
    return `write the time zone as "${resolved}" (IANA names are case-sensitive outside this tool)`;
  }
  return undefined;
}

/** The local date and time in `timeZone` at the instant `epochMs` (seconds precision). */
export function localDateTime(timeZone: string, epochMs: number): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? Number.NaN,
    month: fields.month ?? Number.NaN,
    day: fields.day ?? Number.NaN,
    hour: fields.hour ?? Number.NaN,
    minute: fields.minute ?? Number.NaN,
    second: fields.second ?? Number.NaN,
  };
}

/** The zone's UTC offset at `epochMs`, in milliseconds (positive east of Greenwich). */
function offsetMs(timeZone: string, epochMs: number): number {
  const local = localDateTime(timeZone, epochMs);
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return (
    Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - wholeSecond
  );
}

/**
 * Every instant (epoch ms, ascending) at which the clocks of `timeZone` show the given local minute:
 * none inside a spring-forward gap, two inside a fall-back overlap, otherwise one.
 */
export function instantsAtLocalTime(
  timeZone: string,
  local: Pick<LocalDateTime, 'year' | 'month' | 'day' | 'hour' | 'minute'>,
): number[] {
  const asIfUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // The instant lies within 14 h of asIfUtc; sampling a day either side sees the offsets before and after
  // any single transition near it.
  const offsets = new Set([
    offsetMs(timeZone, asIfUtc - DAY_MS),
    offsetMs(timeZone, asIfUtc),
    offsetMs(timeZone, asIfUtc + DAY_MS),
  ]);
  const instants = new Set<number>();
  for (const offset of offsets) {
    const candidate = asIfUtc - offset;
    const seen = localDateTime(timeZone, candidate);
    if (
      seen.year === local.year &&
      seen.month === local.month &&
      seen.day === local.day &&
      seen.hour === local.hour &&
      seen.minute === local.minute
    ) {
      instants.add(candidate);
    }
  }
  return [...instants].sort((a, b) => a - b);
}
