import type { Result, Prediction } from '../results/schema.js';
import { mcnemar, type McNemarResult } from '../metrics/index.js';
import { ciText, pct } from '../util/numberFormat.js';
import { textTable } from '../util/textTable.js';

/** One ranked prompt set. */
export interface PromptRanking {
  rank: number;
  prompts: string;
  templates: number;
  n: number;
  acc1: number;
  acc1Ci: [number, number];
  /** McNemar test against the best set (null for the best itself; a set tied with it is still tested). */
  vsBest: McNemarResult | null;
}

/** Per-item top-1 correctness, as the result's scoring protocol judged it when the items were scored. */
export function itemCorrectness(preds: Prediction[]): Map<string, boolean> {
  return new Map(preds.map((p) => [p.id, p.correct]));
}

/**
 * Ranks prompt sets evaluated on the same images by top-1, with a paired McNemar test of each
 * against the best on the items both scored. Sets of exactly equal top-1 share a rank
 * (competition ranking: 1, 1, 3); the order among them (fewer templates, then name) only
 * decides which one the others are tested against.
 */
export function rankPromptSets(runs: { result: Result; predictions: Prediction[] }[]): PromptRanking[] {
  const sorted = [...runs].sort((a, b) => b.result.metrics.acc1 - a.result.metrics.acc1 || a.result.prompts.templates.length - b.result.prompts.templates.length || a.result.prompts.name.localeCompare(b.result.prompts.name));
  const best = sorted[0];
  if (!best) return [];
  const bestCorrect = itemCorrectness(best.predictions);
  return sorted.map((run, i) => {
    let vsBest: McNemarResult | null = null;
    if (i > 0) {
      const mine = itemCorrectness(run.predictions);
      const ids = [...mine.keys()].filter((id) => bestCorrect.has(id));
      vsBest = mcnemar(ids.map((id) => bestCorrect.get(id)!), ids.map((id) => mine.get(id)!));
    }
    const m = run.result.metrics;
    const rank = 1 + sorted.filter((o) => o.result.metrics.acc1 > run.result.metrics.acc1).length;
    return { rank, prompts: run.result.prompts.name, templates: run.result.prompts.templates.length, n: m.n, acc1: m.acc1, acc1Ci: m.acc1Ci, vsBest };
  });
}

/** Plain-text ranking table. */
export function rankingTable(rows: PromptRanking[]): string {
  const header = ['rank', 'prompts', 'templates', 'n', 'top-1 % [95% CI]', 'McNemar p vs best'];
  const body = rows.map((r) => [
    String(r.rank), r.prompts, String(r.templates), String(r.n),
    `${pct(r.acc1)} ${ciText(r.acc1Ci)}`,
    r.vsBest ? `${r.vsBest.pValue < 1e-4 ? r.vsBest.pValue.toExponential(1) : r.vsBest.pValue.toFixed(4)} (${r.vsBest.method}, b=${r.vsBest.b}, c=${r.vsBest.c})` : '(best)',
  ]);
  return textTable(header, body);
}
