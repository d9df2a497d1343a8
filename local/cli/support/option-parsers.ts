/** Parsers for option values; they throw commander's InvalidArgumentError, which the CLI reports with exit 2. */
import { InvalidArgumentError } from 'commander';
import { assertValidIdentifier } from '#domain/starrocks/index.ts';
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

/** A point in time given as an ISO 8601 instant or as a duration back from now (`7d`, `36h`). */
export type SinceOption = { readonly at: Date } | { readonly agoSeconds: number };

/** `--since 2026-11-01T00:00:00Z` or `--since 7d`. */
export function parseSince(value: string): SinceOption {
  if (/^\d{4}-/.test(value.trim())) return { at: parseInstant(value) };
  try {
    return { agoSeconds: parseDurationSeconds(value) };
  } catch {
    throw new InvalidArgumentError(
      'expected an ISO 8601 time with a zone (2026-11-01T00:00:00Z) or a duration back from now (7d, 36h)',
    );
  }
}

/** The instant a {@link SinceOption} names, as of `now` (epoch ms). */
export function sinceInstant(since: SinceOption, now: number): Date {
  return 'at' in since ? since.at : new Date(now - since.agoSeconds * 1000);
}

/** What `snapshots --state` accepts: the attempt's state, or a mark retention or a later attempt left on it. */
export const SNAPSHOT_STATE_FILTERS = [
  'FINISHED',
  'FAILED',
  'TIMED_OUT',
  'SKIPPED',
  'PINNED',
  'PRUNED',
  'LOST',
] as const;

/** One of {@link SNAPSHOT_STATE_FILTERS}, any case; repeatable. */
export function collectSnapshotStates(
  value: string,
  previous: Array<(typeof SNAPSHOT_STATE_FILTERS)[number]> | undefined,
): Array<(typeof SNAPSHOT_STATE_FILTERS)[number]> {
  const states = collectNames(value, undefined).map((name) => {
    const upper = name.toUpperCase();
    const known = SNAPSHOT_STATE_FILTERS.find((state) => state === upper);
    if (known === undefined) {
      throw new InvalidArgumentError(
        `expected one of ${SNAPSHOT_STATE_FILTERS.join(', ')} (any case), got "${name}"`,
      );
    }
    return known;
  });
  return [...(previous ?? []), ...states];
}

/** `--table orders` or `--table orders:orders_restored` (repeatable): a table to restore and its new name. */
export function collectTables(
  value: string,
  previous: Array<{ name: string; alias?: string }> | undefined,
): Array<{ name: string; alias?: string }> {
  const [name = '', alias, extra] = value.split(':').map((part) => part.trim());
  if (name === '' || alias === '' || extra !== undefined) {
    throw new InvalidArgumentError('expected a table name, or name:new_name');
  }
  try {
    assertValidIdentifier('table', name);
    if (alias !== undefined) assertValidIdentifier('table', alias);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
  return [...(previous ?? []), alias === undefined ? { name } : { name, alias }];
}
