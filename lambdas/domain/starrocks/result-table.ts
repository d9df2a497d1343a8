/**
 * Result sets as we keep them: column labels plus rows of text cells, read by column name.
 * Parsers are tolerant of extra columns (newer versions add some) and strict about missing ones.
 */
import { StarRocksResultShapeError } from '#domain/errors.ts';
import type { StatementKind } from './statements.ts';

/** One result set: the column labels in order and each row's cells as text (SQL NULL is `null`). */
export interface ResultTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/** An empty result, as a statement answered with an OK packet (BACKUP, CANCEL BACKUP, USE) gives. */
export const EMPTY_RESULT: ResultTable = { columns: [], rows: [] };

/** Reads the cells of one row by column name. */
export interface RowReader {
  /** The cell, `null` for SQL NULL. */
  nullable(column: string): string | null;
  /** The cell; SQL NULL is refused with {@link StarRocksResultShapeError}. */
  text(column: string): string;
  /** The cell, `null` for SQL NULL and for an empty cell (an unset time, for example). */
  optional(column: string): string | null;
  /**
   * The cell as a number, `null` for SQL NULL or a blank cell; anything else that is not a number is refused
   * with {@link StarRocksResultShapeError}.
   */
  optionalNumber(column: string): number | null;
}

/**
 * Maps `required` column names to their positions (exact match first, then case-insensitive) and returns a
 * reader per row. Throws {@link StarRocksResultShapeError} when a required column is missing, even for an empty
 * result, since the column labels arrive without rows.
 */
export function readRows(table: ResultTable, kind: StatementKind, required: readonly string[]): RowReader[] {
  const positions = new Map<string, number>();
  for (const column of required) {
    let index = table.columns.indexOf(column);
    if (index < 0) {
      const lower = column.toLowerCase();
      index = table.columns.findIndex((candidate) => candidate.toLowerCase() === lower);
    }
    if (index < 0) {
      throw new StarRocksResultShapeError(
        `${kind} answered without column ${column} (columns: ${table.columns.join(', ') || 'none'})`,
      );
    }
    positions.set(column, index);
  }
  return table.rows.map((row, rowIndex) => {
    const nullable = (column: string): string | null => {
      const index = positions.get(column);
      if (index === undefined) {
        throw new RangeError(`column ${column} was not declared as required`);
      }
      return row[index] ?? null;
    };
    return {
      nullable,
      text: (column) => {
        const value = nullable(column);
        if (value === null) {
          throw new StarRocksResultShapeError(`${kind} row ${rowIndex + 1} has NULL in column ${column}`);
        }
        return value;
      },
      optional: (column) => {
        const value = nullable(column);
        return value === '' ? null : value;
      },
      optionalNumber: (column) => {
        const text = nullable(column)?.trim() ?? '';
        if (text === '') return null;
        const value = Number(text);
        if (!Number.isFinite(value)) {
          throw new StarRocksResultShapeError(
            `${kind} reported a non-numeric ${column} ${JSON.stringify(text)}`,
          );
        }
        return value;
      },
    };
  });
}

/** The single cell of a one-row, one-or-more-column answer such as `SELECT current_version()`. */
export function readSingleCell(table: ResultTable, kind: StatementKind): string {
  const cell = table.rows[0]?.[0];
  if (table.columns.length === 0 || cell === undefined || cell === null) {
    throw new StarRocksResultShapeError(`${kind} answered without a value`);
  }
  return cell;
}
