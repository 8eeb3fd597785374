import { modelLabel } from '../results/modelLabel.js';
import type { Result } from '../results/schema.js';
import { isPartialResult } from '../results/partial.js';
import { ciText, pct } from '../util/numberFormat.js';
import { textTable } from '../util/textTable.js';

/**
 * A plain-text table of results for the end of a run (one row per result). With --group-by,
 * a last column names each field's worst group and its accuracy (`color=red 61.0 %`), as
 * index.csv's worst_group columns do. When a result scores a --limit sample, a `partial` column
 * says so (`yes`), as task tables do. A `text shift` column follows `shift` when some result
 * has a text shift.
 */
export function summaryTable(results: Result[]): string {
  const grouped = results.some((r) => Object.keys(r.groupSummary ?? {}).length > 0);
  const partial = results.some(isPartialResult);
  const texts = results.some((r) => r.textShift);
  const header = ['model', 'dataset', 'shift', ...(texts ? ['text shift'] : []), 'prompts', 'n', 'top-1 % [95% CI]', 'top-5 %', ...(grouped ? ['worst group'] : []), ...(partial ? ['partial'] : [])];
  const rows = results.map((r) => [
    modelLabel(r.model),
    r.dataset.name,
    r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
    ...(texts ? [r.textShift ? `${r.textShift.name}:${r.textShift.severity}` : 'none'] : []),
    r.prompts.name,
    String(r.metrics.n),
    `${pct(r.metrics.acc1)} ${ciText(r.metrics.acc1Ci)}`,
    r.metrics.acc5 === undefined ? '-' : pct(r.metrics.acc5),
    ...(grouped ? [worstGroups(r)] : []),
    ...(partial ? [isPartialResult(r) ? 'yes' : ''] : []),
  ]);
  return textTable(header, rows, 4);
}

/** `color=red 61.0 %; size=small 70.2 %`, ranked by the field's rule (top-5 under Dollar Street's); `-` without groups. */
function worstGroups(r: Result): string {
  const parts = Object.entries(r.groupSummary ?? {}).map(([field, s]) => `${field}=${s.worst.value} ${pct(s.worst.metric ?? s.worst.acc1)} %${s.by === 'acc5' ? ' top-5' : ''}`);
  return parts.length > 0 ? parts.join('; ') : '-';
}
