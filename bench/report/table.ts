/** Markdown tables and number formats shared by the console output and docs/benchmarks.md. */

/**
 * A Markdown table with padded columns, so it reads the same on a terminal and in a rendered page; the rule line is
 * spaced as Biome formats Markdown, so the generated docs stay Biome clean.
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (text: string, column: number): string =>
    align[column] === 'right' ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: readonly string[]): string =>
    `| ${headers.map((_, column) => pad(cells[column] ?? '', column)).join(' | ')} |`;
  const rule = `|${widths
    .map((width, column) =>
      align[column] === 'right' ? ` ${'-'.repeat(width - 1)}: ` : ` ${'-'.repeat(width)} `,
    )
    .join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** A whole number with thousands separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Bytes as KB or MB (base 1024), one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** US dollars with two decimals (cents). */
export function formatUsd(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** A ratio such as `11.7×`. */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

/** Milliseconds with one decimal. */
export function formatMs(value: number): string {
  return `${value.toFixed(1)} ms`;
}
