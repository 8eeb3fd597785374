import type { Result } from '../results/schema.js';
import { modelVariantKey } from '../results/modelLabel.js';
import { compareResults, corruptionOf, findIdResult, isInDistribution } from './conditions.js';

/**
 * The shifted results the failure gallery shows: the ones that cost most accuracy relative to
 * their ID result (a natural shift, or a corruption at its highest evaluated severity), at most
 * `perModel` per model and `total` in all, so the gallery shows what breaks rather than every run.
 */
export function gallerySelection(results: readonly Result[], total = 6, perModel = 2): Result[] {
  const hardest = new Map<string, Result>();
  for (const r of results) {
    if (isInDistribution(r)) continue;
    const c = corruptionOf(r);
    const key = `${modelVariantKey(r.model)}|${r.prompts.name}|${c ? `${r.dataset.family ?? r.dataset.name}|${c.corruption}` : r.dataset.name}`;
    const prev = hardest.get(key);
    if (!prev || (c && c.severity > corruptionOf(prev)!.severity)) hardest.set(key, r);
  }
  const drop = (r: Result): number => (findIdResult(r, results)?.metrics.acc1 ?? 1) - r.metrics.acc1;
  const ranked = [...hardest.values()].sort((a, b) => drop(b) - drop(a) || compareResults(a, b));
  const perModelCount = new Map<string, number>();
  const out: Result[] = [];
  for (const r of ranked) {
    const n = perModelCount.get(r.model.name) ?? 0;
    if (n >= perModel) continue;
    perModelCount.set(r.model.name, n + 1);
    out.push(r);
    if (out.length >= total) break;
  }
  return out.sort(compareResults);
}
