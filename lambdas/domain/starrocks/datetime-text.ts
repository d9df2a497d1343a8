/**
 * StarRocks DATETIME text as the FE prints it in result sets: `yyyy-MM-dd HH:mm:ss` (a `T` accepted, fractions
 * ignored), a wall time the caller has already chosen to read as UTC.
 */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?/;

/**
 * The epoch milliseconds of `text` read as a UTC wall time, or null when it does not start with a DATETIME, or
 * (`whole`) holds anything after one.
 */
export function datetimeUtcMillis(text: string, options: { readonly whole: boolean }): number | null {
  const match = DATETIME.exec(text);
  if (!match || (options.whole && match[0].length !== text.length)) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}
