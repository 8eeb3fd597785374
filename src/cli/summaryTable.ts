import type { Result } from '../results/schema.js';
import { ciText, pct } from '../util/numberFormat.js';
import { textTable } from '../util/textTable.js';

/** A plain-text table of results for the end of a run (one row per result). */
export function summaryTable(results: Result[]): string {
  const header = ['model', 'dataset', 'shift', 'prompts', 'n', 'top-1 % [95% CI]', 'top-5 %'];
  const rows = results.map((r) => [
    r.model.name,
    r.dataset.name,
    r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
    r.prompts.name,
    String(r.metrics.n),
    `${pct(r.metrics.acc1)} ${ciText(r.metrics.acc1Ci)}`,
    r.metrics.acc5 === undefined ? '-' : pct(r.metrics.acc5),
  ]);
  return textTable(header, rows, 4);
}
