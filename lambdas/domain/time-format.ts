/**
 * Human-readable times and durations, the same in alerts, the CLI and the benchmark reports (UTC, so people in
 * different zones read the same thing).
 */

/** A point in time as epoch milliseconds or an ISO-8601 string (the catalog stores either). */
export type TimeInput = number | string;

/** Epoch milliseconds of a {@link TimeInput}, or `undefined` when it is not a valid time. */
export function toEpochMillis(time: TimeInput | undefined): number | undefined {
  if (time === undefined) return undefined;
  const millis = typeof time === 'number' ? time : Date.parse(time);
  return Number.isFinite(millis) ? millis : undefined;
}

/** `2026-11-24T18:00:00Z` (seconds precision, always UTC). */
export function formatUtc(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type DurationUnit = readonly [name: string, seconds: number];

const DURATION_UNITS: readonly DurationUnit[] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/** `45 s`, `12 min 5 s`, `3 h 12 min`, `2 d 3 h`: the two largest units, rounded down. */
export function formatDuration(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const index = DURATION_UNITS.findIndex(([, size]) => total >= size);
  if (index < 0) return '0 s';
  const [largeName, largeSize] = DURATION_UNITS[index] as DurationUnit;
  const large = Math.floor(total / largeSize);
  const next = DURATION_UNITS[index + 1];
  if (next === undefined) return `${large} ${largeName}`;
  const small = Math.floor((total - large * largeSize) / next[1]);
  return small > 0 ? `${large} ${largeName} ${small} ${next[0]}` : `${large} ${largeName}`;
}

/** `3 h 12 min ago` or `in 5 min`, relative to `nowMillis`. */
export function formatRelative(epochMillis: number, nowMillis: number): string {
  const seconds = Math.round((nowMillis - epochMillis) / 1000);
  if (Math.abs(seconds) < 1) return 'just now';
  return seconds > 0 ? `${formatDuration(seconds)} ago` : `in ${formatDuration(-seconds)}`;
}

/** `2026-11-24T18:00:00Z (3 h 12 min ago)`, or only the UTC time without a `now`. */
export function formatUtcWithRelative(epochMillis: number, nowMillis: number | undefined): string {
  const utc = formatUtc(epochMillis);
  return nowMillis === undefined ? utc : `${utc} (${formatRelative(epochMillis, nowMillis)})`;
}
