import { ZeroshiftError } from '../errors.js';
import { pct } from '../util/numberFormat.js';

/** Top-1 accuracy (fraction in [0, 1]) of one corruption at severities 1..5. */
export interface CorruptionRow {
  corruption: string;
  family: string;
  accuracies: readonly number[];
}

/** Severities (1-based) where accuracy rose above the previous severity's. */
export function nonMonotoneSeverities(row: CorruptionRow): number[] {
  return row.accuracies.flatMap((a, i) => (i > 0 && a > row.accuracies[i - 1] ? [i + 1] : []));
}

/**
 * A Markdown table of top-1 accuracy (%) per corruption and severity, with the clean
 * accuracy, the mean over severities and the drop from clean to severity 5.
 */
export function corruptionTableMarkdown(clean: number, rows: readonly CorruptionRow[]): string {
  for (const r of rows) {
    if (r.accuracies.length !== 5) {
      throw new ZeroshiftError('INTERNAL', `corruption '${r.corruption}' has ${r.accuracies.length} accuracies; expected 5 (severities 1–5)`);
    }
  }
  const lines = [
    '| corruption | family | 1 | 2 | 3 | 4 | 5 | mean | clean − 5 |',
    '|---|---|---|---|---|---|---|---|---|',
    `| (clean) | — | ${Array(5).fill(pct(clean)).join(' | ')} | ${pct(clean)} | 0.0 |`,
  ];
  for (const r of rows) {
    const mean = r.accuracies.reduce((a, b) => a + b, 0) / 5;
    lines.push(`| ${r.corruption} | ${r.family} | ${r.accuracies.map(pct).join(' | ')} | ${pct(mean)} | ${pct(clean - r.accuracies[4])} |`);
  }
  return lines.join('\n') + '\n';
}
