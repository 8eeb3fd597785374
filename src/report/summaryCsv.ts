import Papa from 'papaparse';
import type { Result } from '../results/schema.js';
import type { RobustnessGroup } from './robustnessTable.js';

/** One row per result: metrics as fractions, plus the ID accuracy and robustness where defined. */
export function summaryRows(results: readonly Result[], groups: readonly RobustnessGroup[]): Record<string, string | number>[] {
  const byId = new Map(groups.flatMap((g) => g.rows.map((r) => [r.result.id, { row: r, group: g }] as const)));
  return results.map((r) => {
    const er = byId.get(r.id);
    return {
      result_id: r.id,
      model: r.model.name,
      prompts: r.prompts.name,
      dataset: r.dataset.name,
      family: r.dataset.family ?? '',
      variant: r.dataset.variant ?? '',
      corruption: r.shift?.corruption ?? '',
      severity: r.shift?.severity ?? '',
      n: r.metrics.n,
      acc1: r.metrics.acc1,
      acc1_ci_low: r.metrics.acc1Ci[0],
      acc1_ci_high: r.metrics.acc1Ci[1],
      acc5: r.metrics.acc5 ?? '',
      mean_per_class_recall: r.metrics.meanPerClassRecall,
      ece: r.metrics.ece,
      id_acc1: er ? er.row.idResult.metrics.acc1 : '',
      effective_robustness: er?.row.effectiveRobustness ?? '',
      relative_robustness: er?.row.relativeRobustness ?? '',
      baseline: er ? er.group.baselineSource : '',
    };
  });
}

/** summary.csv text (RFC 4180 via papaparse, header row first). */
export function renderSummaryCsv(results: readonly Result[], groups: readonly RobustnessGroup[]): string {
  return `${Papa.unparse(summaryRows(results, groups))}\n`;
}
