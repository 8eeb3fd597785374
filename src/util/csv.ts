/**
 * The one way zeroshift writes CSV (index.csv, summary.csv): RFC 4180 through papaparse, with
 * spreadsheet formulas neutralised. Model, dataset, prompt-set and group names come from users
 * and from files others made; a cell `=HYPERLINK(…)` or `@SUM(…)` would run when the CSV is
 * opened in a spreadsheet. OWASP's rule: a text cell starting with `=`, `+`, `-`, `@`, tab or
 * CR gets a leading `'` (and quotes). Numbers stay numbers: a cell that is one plain number
 * (`-0.05`, `+3e-4`), as a number or as text, is left exactly as it is. JSON stays exact.
 */
import Papa from 'papaparse';

/**
 * A text cell spreadsheets would read as a formula: it starts with one of `= + - @ \t \r`
 * and is not a plain decimal number.
 */
export const FORMULA_CELL = /^(?![-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$)[=+\-@\t\r]/;

/** `'` + `cell` when a spreadsheet would read it as a formula, else `cell` unchanged. */
export function neutraliseCell(cell: string): string {
  return FORMULA_CELL.test(cell) ? `'${cell}` : cell;
}

/** Options of {@link toCsv}. */
export interface CsvOptions {
  /** Column order (default: the keys of the rows, in order of first appearance). */
  columns?: string[];
  /** Line ending between rows (papaparse's default is CRLF). */
  newline?: '\n' | '\r\n';
}

/**
 * CSV text of `rows`, header first, ending with a newline; text cells that would be formulas
 * are neutralised ({@link neutraliseCell}).
 */
export function toCsv(rows: ReadonlyArray<Record<string, string | number | boolean | null | undefined>>, options: CsvOptions = {}): string {
  return `${Papa.unparse(rows as Array<Record<string, unknown>>, { columns: options.columns, newline: options.newline, escapeFormulae: FORMULA_CELL })}\n`;
}
