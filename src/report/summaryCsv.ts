import { toCsv } from '../util/csv.js';
import type { Result } from '../results/schema.js';
import { executionProviderOf } from '../results/modelLabel.js';
import { isPartialResult } from '../results/partial.js';
import { corruptionOf } from './conditions.js';
import type { CorruptionSummary } from './corruptionErrors.js';
import type { RobustnessGroup } from './robustnessTable.js';
import type { ModelSummaryRow } from './modelSummary.js';
import { BENCHMARK_CORRUPTIONS } from './alexnetErrors.js';

/**
 * One row per result: metrics as fractions, plus the ID accuracy and robustness where defined.
 * Corruption scores: a corrupted result carries its corruption's CE and relative CE; the clean
 * (ID) result of a run carries the run's mean OOD accuracy and mean ER with the shifts they
 * average and their count, and its mCE (with the corruptions it averages), relative mCE and mean
 * corruption accuracy (with the number of results it averages).
 */
export function summaryRows(results: readonly Result[], groups: readonly RobustnessGroup[], corruption: readonly CorruptionSummary[] = [], summary: readonly ModelSummaryRow[] = []): Record<string, string | number>[] {
  const summaryOf = new Map(summary.map((s) => [s.id.id, s] as const));
  const byId = new Map(groups.flatMap((g) => g.rows.map((r) => [r.result.id, { row: r, group: g }] as const)));
  const cleanOf = new Map(corruption.filter((s) => s.clean).map((s) => [s.clean!.id, s] as const));
  const scoreOf = new Map(corruption.flatMap((s) => s.scores.flatMap((c) => c.resultIds.filter((id): id is string => id !== null).map((id) => [id, c] as const))));
  const transform = groups.find((g) => g.line)?.line?.transform ?? 'logit';
  return results.map((r) => {
    const er = byId.get(r.id);
    const run = cleanOf.get(r.id);
    const ce = corruptionOf(r) ? scoreOf.get(r.id) : undefined;
    return {
      result_id: r.id,
      model: r.model.name,
      dtype: r.model.dtype,
      execution_provider: executionProviderOf(r.model),
      prompts: r.prompts.name,
      dataset: r.dataset.name,
      family: r.dataset.family ?? '',
      variant: r.dataset.variant ?? '',
      corruption: r.shift?.corruption ?? '',
      severity: r.shift?.severity ?? '',
      n: r.metrics.n,
      partial: isPartialResult(r) ? 'true' : 'false',
      acc1: r.metrics.acc1,
      acc1_ci_low: r.metrics.acc1Ci[0],
      acc1_ci_high: r.metrics.acc1Ci[1],
      acc5: r.metrics.acc5 ?? '',
      mean_per_class_recall: r.metrics.meanPerClassRecall,
      ece: r.metrics.ece,
      id_acc1: er ? er.row.idResult.metrics.acc1 : '',
      effective_robustness: er?.row.effectiveRobustness ?? '',
      effective_robustness_ci_low: er?.row.erCi?.[0] ?? '',
      effective_robustness_ci_high: er?.row.erCi?.[1] ?? '',
      er_transform: er?.group.line ? (er.group.line.transform ?? transform) : '',
      relative_robustness: er?.row.relativeRobustness ?? '',
      baseline: er ? er.group.baselineSource : '',
      corruption_error: ce?.ce ?? '',
      relative_corruption_error: ce?.relativeCe ?? '',
      ...aggregateColumns(summaryOf.get(r.id)),
      mce: run?.mce ?? '',
      relative_mce: run?.relativeMce ?? '',
      mce_corruptions: run?.mce == null ? '' : run.mceCorruptions.join(';'),
      mce_count: run?.mce == null ? '' : `${run.mceCorruptions.length} of ${BENCHMARK_CORRUPTIONS.length}`,
      mean_corruption_acc1: run?.meanCorruptionAccuracy ?? '',
      mean_corruption_count: run?.meanCorruptionCount ?? '',
      ce_normaliser: run?.normaliser ?? (ce ? (corruption.find((s) => s.scores.includes(ce))?.normaliser ?? '') : ''),
    };
  });
}

/**
 * The summary row's means on its clean (ID) result's line, each with the shifts it averages
 * (`;`-separated) and how many of the family's natural shifts that is (`1 of 3`).
 */
function aggregateColumns(s: ModelSummaryRow | undefined): Record<string, string | number> {
  const of = (items: readonly string[]): string => (s ? `${items.length} of ${s.familyShifts.length}` : '');
  return {
    mean_ood_acc1: s?.meanOod ?? '',
    mean_ood_shifts: s && s.meanOod !== null ? s.oodShifts.join(';') : '',
    mean_ood_count: s && s.meanOod !== null ? of(s.oodShifts) : '',
    mean_effective_robustness: s?.meanEr ?? '',
    mean_er_shifts: s && s.meanEr !== null ? s.erShifts.join(';') : '',
    mean_er_count: s && s.meanEr !== null ? of(s.erShifts) : '',
  };
}

/** summary.csv text (RFC 4180 via papaparse, header row first). */
export function renderSummaryCsv(results: readonly Result[], groups: readonly RobustnessGroup[], corruption: readonly CorruptionSummary[] = [], summary: readonly ModelSummaryRow[] = []): string {
  return toCsv(summaryRows(results, groups, corruption, summary));
}
