// Aligned text tables: what `validate reachability` and `certs status` print by default.
import {escapeControl} from '../core/terminal-text.js';

/** Columns padded to their widest cell; the last column is left ragged. Cells come from input, so they are escaped. */
export function renderColumns(header: readonly string[], given: readonly (readonly string[])[]): string {
  const rows = given.map((row) => row.map(escapeControl));
  // A loop, not Math.max(...cells): spreading thousands of rows into arguments overflows the stack.
  const widths = header.map((title) => title.length);
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
