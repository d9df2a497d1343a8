/** Human-readable times for the CLI (UTC and IANA zones; no locale surprises); durations: domain/time-format.ts. */

/** Seconds between two ISO instants (`to - from`), or null when either is missing. */
export function secondsBetweenIso(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** `2026-11-24 18:00:00Z`: an instant in UTC, to the second. */
export function formatUtc(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return String(instant);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `2026-11-25 02:00 +08:00`: an instant as wall-clock time in an IANA zone, with its offset. */
export function formatInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((candidate) => candidate.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${offset}`;
}

/** `2026-11-24T18:00:07Z`: ISO 8601 UTC to the second, the stamp of plain progress lines. */
export function formatTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
