/**
 * SHOW DATA (current database; qe/ShowExecutor.java, the SHOW DATA handler): `TableName, Size, ReplicaCount`, one row per table, then summary
 * rows `Total`, `Quota`, `Left`. Sizes are human-readable text (`1.400 KB`) counting every replica.
 */
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { type ResultTable, readRows } from './result-table.ts';

/** One table's line of SHOW DATA. */
export interface TableDataSize {
  readonly tableName: string;
  readonly sizeText: string;
  readonly sizeBytes: number;
  readonly replicaCount: number | null;
}

/** A database's SHOW DATA answer. */
export interface DatabaseDataSize {
  readonly tables: readonly TableDataSize[];
  readonly tableCount: number;
  /** The `Total` row's size text verbatim, e.g. `1.400 KB`. */
  readonly totalSizeText: string;
  /** The same in bytes (approximate: StarRocks rounds to three decimals of its unit). */
  readonly totalBytes: number;
  readonly quotaText: string | null;
  readonly leftText: string | null;
}

const UNIT_EXPONENTS: Readonly<Record<string, number>> = { B: 0, KB: 1, MB: 2, GB: 3, TB: 4, PB: 5, EB: 6 };
const SUMMARY_ROWS = ['Total', 'Quota', 'Left'];

/**
 * `900.000 B` → 900, `1.400 KB` → 1434, `1024.000 GB` → 1099511627776 (binary units, rounded to a byte).
 * StarRocks writes zero as `0.000 B`; a bare number (`0.000 `, as older Doris-lineage DebugUtil wrote 0) is bytes.
 */
export function parseDataSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGTPE]?B)?\s*$/i.exec(text);
  const unit = match?.[2]?.toUpperCase() ?? 'B';
  const exponent = UNIT_EXPONENTS[unit];
  if (!match || exponent === undefined) {
    throw new StarRocksResultShapeError(
      `SHOW DATA reported a size StarRocks does not write: ${JSON.stringify(text)}`,
    );
  }
  return Math.round(Number(match[1]) * 1024 ** exponent);
}

function parseCount(text: string | null): number | null {
  if (text === null || text.trim() === '') {
    return null;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * Parses a SHOW DATA answer. The summary block is found from the end (a table may itself be called `Total`).
 */
export function parseShowData(table: ResultTable): DatabaseDataSize {
  const rows = readRows(table, 'SHOW DATA', ['TableName', 'Size', 'ReplicaCount']);
  const summary = new Map<string, string>();
  let end = rows.length;
  // Summary rows come last, in the order Total, Quota, Left; walk back over them.
  for (let expected = SUMMARY_ROWS.length - 1; expected >= 0 && end > 0; expected -= 1) {
    const name = SUMMARY_ROWS[expected] as string;
    const row = rows[end - 1];
    if (row?.nullable('TableName') === name) {
      summary.set(name, row.nullable('Size') ?? '');
      end -= 1;
    } else if (name === 'Total') {
      break;
    }
  }
  const totalSizeText = summary.get('Total');
  if (totalSizeText === undefined) {
    throw new StarRocksResultShapeError('SHOW DATA answered without its Total row');
  }
  const tables = rows.slice(0, end).map((row) => {
    const sizeText = row.text('Size');
    return {
      tableName: row.text('TableName'),
      sizeText,
      sizeBytes: parseDataSize(sizeText),
      replicaCount: parseCount(row.nullable('ReplicaCount')),
    };
  });
  return {
    tables,
    tableCount: tables.length,
    totalSizeText,
    totalBytes: parseDataSize(totalSizeText),
    quotaText: summary.get('Quota') ?? null,
    leftText: summary.get('Left') ?? null,
  };
}
