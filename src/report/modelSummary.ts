import { modelLabel } from '../results/modelLabel.js';
import type { Result } from '../results/schema.js';
import { compareResults, isInDistribution, runLabel } from './conditions.js';
import type { CorruptionSummary } from './corruptionErrors.js';
import { percentileCi } from './erBootstrap.js';
import type { RobustnessGroup, RobustnessRow } from './robustnessTable.js';

/**
 * The report's first screen: one row per model, prompt set and dataset family, answering
 * "which model is more robust, and by how much". Natural shifts are the family's non-standard
 * variants that are not published -C corruptions; corruptions are summarised by mCE.
 */
export interface ModelSummaryRow {
  model: string;
  prompts: string;
  family: string;
  id: Result;
  /** Natural-shift rows (ER measured against the group's line). */
  natural: RobustnessRow[];
  /** Every natural shift of this family in the report (the denominator each mean is counted against). */
  familyShifts: string[];
  /** The natural shifts `meanOod` averages, and those `meanEr` averages (a shift without a line has no ER). */
  oodShifts: string[];
  erShifts: string[];
  meanOod: number | null;
  /** Mean ER over the natural shifts that have a line, with its bootstrap interval. */
  meanEr: number | null;
  meanErCi: [number, number] | null;
  meanRelative: number | null;
  corruption: CorruptionSummary | null;
}

/**
 * Summary rows in result order. The ER interval of the mean is the percentile interval of the
 * replicate-wise mean (replicate b of every shift averaged), the shifts' bootstraps being independent.
 */
export function modelSummaryRows(results: readonly Result[], groups: readonly RobustnessGroup[], corruption: readonly CorruptionSummary[]): ModelSummaryRow[] {
  const naturalRows = groups.filter((g) => !g.isCorruption).flatMap((g) => g.rows);
  const familyOf = (r: Result): string => r.dataset.family ?? r.dataset.name;
  const shiftsOf = new Map<string, Set<string>>();
  for (const r of naturalRows) shiftsOf.set(familyOf(r.idResult), (shiftsOf.get(familyOf(r.idResult)) ?? new Set()).add(shiftName(r)));
  return results.filter(isInDistribution).sort(compareResults).map((id) => {
    const family = familyOf(id);
    const natural = naturalRows.filter((r) => r.idResult.id === id.id).sort((a, b) => compareResults(a.result, b.result));
    const withEr = natural.filter((r) => r.effectiveRobustness !== null);
    const withRel = natural.filter((r) => r.relativeRobustness !== null);
    return {
      model: modelLabel(id.model),
      prompts: id.prompts.name,
      family,
      id,
      natural,
      familyShifts: [...(shiftsOf.get(family) ?? [])].sort(),
      oodShifts: natural.map(shiftName),
      erShifts: withEr.map(shiftName),
      meanOod: natural.length ? mean(natural.map((r) => r.result.metrics.acc1)) : null,
      meanEr: withEr.length ? mean(withEr.map((r) => r.effectiveRobustness!)) : null,
      meanErCi: meanCi(withEr),
      meanRelative: withRel.length ? mean(withRel.map((r) => r.relativeRobustness!)) : null,
      corruption: corruption.find((s) => s.clean?.id === id.id) ?? null,
    };
  });
}

function meanCi(rows: readonly RobustnessRow[]): [number, number] | null {
  if (rows.length === 0 || rows.some((r) => r.erReplicates.length === 0)) return null;
  const b = Math.min(...rows.map((r) => r.erReplicates.length));
  const means = Array.from({ length: b }, (_, i) => mean(rows.map((r) => r.erReplicates[i])));
  return percentileCi(means);
}

/** A natural shift as the summary names it: the dataset (`shapes-dark`). */
export function shiftName(r: RobustnessRow): string {
  return r.result.dataset.name;
}

/** `model · prompts` keys of the summary, for colours shared by every chart. */
export function summaryRunKeys(rows: readonly ModelSummaryRow[]): string[] {
  return [...new Set(rows.map((r) => runLabel(r.id)))];
}

function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}
