/**
 * An aligned plain-text table: header, a dashed rule, then rows; columns separated by two
 * spaces. Columns from index `rightAlignFrom` on are right-aligned (numbers).
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], rightAlignFrom = Infinity): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
