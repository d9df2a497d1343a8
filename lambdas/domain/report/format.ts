/** Text for the report's static parts: HTML escaping, durations, sizes, times (the page formats alike). */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `42 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
  const hours = Math.round(s / 3600);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `512 B`, `80.0 MiB`, `1.2 TiB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `1,234`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A formatter of instants in the report's zone: `30 Sept 2026, 01:04`. */
export function timeFormatter(timeZone: string): (epochMs: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (epochMs) => format.format(epochMs);
}

/** A formatter of report days: `30 Sep 2026`. */
export function dayFormatter(timeZone: string): (epochMs: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  return (epochMs) => format.format(epochMs);
}

/** The execution name at the end of an execution ARN (the whole id when it is not one). */
export function executionName(runId: string): string {
  const name = runId.slice(runId.lastIndexOf(':') + 1);
  return name === '' ? runId : name;
}
