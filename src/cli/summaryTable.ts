import type { Result } from '../results/schema.js';

const pct = (v: number): string => (100 * v).toFixed(1);

/** A plain-text table of results for the end of a run (one row per result). */
export function summaryTable(results: Result[]): string {
  const header = ['model', 'dataset', 'shift', 'prompts', 'n', 'top-1 % [95% CI]', 'top-5 %'];
  const rows = results.map((r) => [
    r.model.name,
    r.dataset.name,
    r.shift ? `${r.shift.corruption}:${r.shift.severity}` : '-',
    r.prompts.name,
    String(r.metrics.n),
    `${pct(r.metrics.acc1)} [${pct(r.metrics.acc1Ci[0])}, ${pct(r.metrics.acc1Ci[1])}]`,
    r.metrics.acc5 === undefined ? '-' : pct(r.metrics.acc5),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
