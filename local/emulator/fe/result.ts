/** Column types the emulator puts in result-set metadata. */
export type ColumnType = 'varchar' | 'tinyint' | 'bigint';

/** One column of a result set. */
export interface ResultColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** A cell as sent in a text row; `null` is SQL NULL (StarRocks' `\N`). */
export type Cell = string | null;

/** The FE's answer to one statement. */
export type Reply =
  | { readonly type: 'ok' }
  | {
      readonly type: 'rows';
      readonly columns: readonly ResultColumn[];
      readonly rows: readonly (readonly Cell[])[];
    };

/** The OK packet reply. */
export const OK: Reply = { type: 'ok' };

/** A result set whose columns are all VARCHAR, as every SHOW statement of StarRocks returns. */
export function varcharResult(names: readonly string[], rows: readonly (readonly Cell[])[]): Reply {
  return { type: 'rows', columns: names.map((name) => ({ name, type: 'varchar' })), rows };
}

/**
 * DebugUtil.getByteUint + DECIMAL_FORMAT_SCALE_3 (`0.000`, HALF_EVEN), as SHOW DATA prints sizes:
 * `900.000 B`, `1.400 KB`, `1024.000 GB`.
 */
export function readableSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 4, 'TB'],
    [1024 ** 3, 'GB'],
    [1024 ** 2, 'MB'],
    [1024, 'KB'],
  ];
  const [divisor, unit] = units.find(([limit]) => bytes >= limit) ?? [1, 'B'];
  return `${formatScale3(bytes / divisor)} ${unit}`;
}

function formatScale3(value: number): string {
  const scaled = value * 1000;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) {
    // An exact tie: java.text.DecimalFormat rounds HALF_EVEN, JavaScript's toFixed rounds up.
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / 1000).toFixed(3);
  }
  return value.toFixed(3);
}
