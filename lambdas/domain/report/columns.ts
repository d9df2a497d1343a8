/**
 * Number columns of the report data: comma-separated base-36 integers, each the difference to the previous
 * non-empty value (the first to 0), an empty field for "none". A nightly series (slot indexes 1,1,1…, durations
 * and sizes that change a little each night) costs two to four characters a value instead of a JSON number's
 * six to fourteen. The page decodes the same format (client/report.js, decodeColumn).
 */

/** Encodes integers (null = none) as a delta column. Non-integers are rounded. */
export function encodeColumn(values: readonly (number | null)[]): string {
  let previous = 0;
  const fields: string[] = [];
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) {
      fields.push('');
      continue;
    }
    const rounded = Math.round(value);
    fields.push((rounded - previous).toString(36));
    previous = rounded;
  }
  return fields.join(',');
}

/** Decodes a delta column; `count` is the number of values (an empty string holds one empty field). */
export function decodeColumn(column: string, count: number): (number | null)[] {
  if (count === 0) return [];
  const fields = column.split(',');
  if (fields.length !== count) {
    throw new RangeError(`column holds ${fields.length} values, expected ${count}`);
  }
  let previous = 0;
  return fields.map((field) => {
    if (field === '') return null;
    previous += Number.parseInt(field, 36);
    return previous;
  });
}

/** The bytes per size unit that keep the largest size below 2^17 units (about five significant digits). */
export function sizeUnitFor(largestBytes: number): number {
  let unit = 1;
  while (largestBytes / unit >= 2 ** 17) unit *= 2;
  return unit;
}
