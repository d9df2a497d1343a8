/** A small aligned-column table for terminal output (colour codes do not count towards widths). */
import { stripAnsi } from './color.ts';

/** One column: its header and how its cells align. */
export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** Cells longer than this are cut with `…` (headers never are). */
  readonly maxWidth?: number;
}

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Spaces between columns (default 2). */
  readonly gap?: number;
  /** Prefix of every line (default none). */
  readonly indent?: string;
  /** Styles the header line (e.g. bold); applied after alignment. */
  readonly styleHeader?: (text: string) => string;
}

function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

function truncate(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || visibleLength(text) <= maxWidth) return text;
  const plain = [...stripAnsi(text)];
  return `${plain.slice(0, Math.max(0, maxWidth - 1)).join('')}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? `${fill}${text}` : `${text}${fill}`;
}

/**
 * Lays rows out in aligned columns under a header line. Line breaks inside a cell become spaces; trailing
 * spaces are trimmed. Rows shorter than the column list get empty cells.
 */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const gap = ' '.repeat(options.gap ?? 2);
  const indent = options.indent ?? '';
  const cells = rows.map((row) =>
    columns.map((column, index) => truncate((row[index] ?? '').replace(/\s*\n\s*/g, ' '), column.maxWidth)),
  );
  const widths = columns.map((column, index) =>
    Math.max(visibleLength(column.header), ...cells.map((row) => visibleLength(row[index] ?? ''))),
  );
  const line = (values: readonly string[]): string =>
    `${indent}${values
      .map((value, index) => pad(value, widths[index] ?? 0, columns[index]?.align ?? 'left'))
      .join(gap)}`.trimEnd();
  const header = line(columns.map((column) => column.header));
  const styled = options.styleHeader ? options.styleHeader(header) : header;
  return [styled, ...cells.map(line)].join('\n');
}
