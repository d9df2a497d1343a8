/** Parsers for option values; they throw commander's InvalidArgumentError, which the CLI reports with exit 2. */
import { InvalidArgumentError } from 'commander';
import { HTTP_URL_EXPECTED, isHttpUrl } from '#domain/url.ts';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 instant with a zone (`2026-11-24T18:00:00Z`, `2026-11-25T02:00+08:00`). */
export function parseInstant(value: string): Date {
  const date = new Date(value);
  if (!ISO_WITH_ZONE.test(value.trim()) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      'expected an ISO 8601 time with a zone, e.g. 2026-11-24T18:00:00Z or 2026-11-25T02:00:00+08:00',
    );
  }
  return date;
}

/** An http(s) URL such as `http://127.0.0.1:8000`. */
export function parseHttpUrl(value: string): string {
  if (!isHttpUrl(value)) throw new InvalidArgumentError(HTTP_URL_EXPECTED);
  return value;
}

/** A whole number from 1 to `max`. */
export function positiveInteger(max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    }
    return parsed;
  };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400 };

/** A duration in seconds: `3600`, `90s`, `45m`, `2h`, `1d`. */
export function parseDurationSeconds(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 3600, 90s, 45m, 2h or 1d');
  const unit = (match[2] ?? 's').toLowerCase();
  return Math.round(Number(match[1]) * (UNIT_SECONDS[unit] ?? 1));
}

/** Collects a repeatable option (`--database a --database b`, or `--database a,b`). */
export function collectNames(value: string, previous: string[] | undefined): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected a name');
  return [...(previous ?? []), ...names];
}
