// Aligned plain-text tables for the summary printed on stdout.

/** A table cell: numbers are formatted with the column's digits; `undefined` prints as `-`. */
export type TableCell = string | number | undefined;

/** One column: header, how to read a row's cell, digits after the point for numbers, alignment. */
export interface TableColumn<R> {
  readonly header: string;
  readonly value: (row: R) => TableCell;
  /** Digits after the decimal point for numeric cells (default 3). */
  readonly digits?: number;
  /** Default: right when any cell of the column is a number, left otherwise. */
  readonly align?: 'left' | 'right';
}

function formatCell(cell: TableCell, digits: number): string {
  if (cell === undefined) return '-';
  if (typeof cell === 'string') return cell;
  if (Number.isNaN(cell)) return 'NaN';
  if (!Number.isFinite(cell)) return cell > 0 ? 'Inf' : '-Inf';
  return cell.toFixed(digits);
}

/**
 * Formats rows as an aligned text table: a header line, a line of dashes, one line per row; columns are
 * separated by two spaces, numeric columns right-aligned, trailing spaces trimmed; ends with a newline.
 */
export function formatTable<R>(columns: readonly TableColumn<R>[], rows: readonly R[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const text = cells.map((r) => r.map((cell, j) => formatCell(cell, columns[j]?.digits ?? 3)));
  const right = columns.map((c, j) => c.align === 'right' || (c.align === undefined && cells.some((r) => typeof r[j] === 'number')));
  const widths = columns.map((c, j) => Math.max(c.header.length, ...text.map((r) => (r[j] as string).length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, j) => (right[j] ? v.padStart(widths[j] as number) : v.padEnd(widths[j] as number)))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)];
  return `${out.join('\n')}\n`;
}
