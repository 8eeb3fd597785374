import type { Result } from '../../results/schema.js';
import { conditionLabel, distinct, findIdResult, isInDistribution, primaryPromptSet } from '../conditions.js';
import { colorAt, MAX_SERIES } from './palette.js';
import type { ChartSpec } from './render.js';

/** Per-class accuracy drop (percentage points) from the ID set to one shifted condition. */
export interface ClassDrop {
  className: string;
  /** Condition label → drop in points (positive = worse under the shift). */
  drops: Map<string, number>;
  worst: number;
}

/**
 * The shifted conditions shown per class: every natural variant, and each corruption at the
 * highest severity evaluated (the most telling), the corruptions that cost most accuracy first,
 * at most `max` in all so every series keeps its own colour.
 */
export function dropConditions(runs: readonly Result[], max = 6): Result[] {
  const shifted = runs.filter((r) => !isInDistribution(r));
  const natural = shifted.filter((r) => r.shift === null);
  const corruptions = distinct(shifted.filter((r) => r.shift).map((r) => r.shift!.corruption)).sort();
  const hardest = corruptions.map(
    (c) => shifted.filter((r) => r.shift?.corruption === c).sort((a, b) => b.shift!.severity - a.shift!.severity)[0],
  );
  hardest.sort((a, b) => a.metrics.acc1 - b.metrics.acc1 || a.shift!.corruption.localeCompare(b.shift!.corruption));
  return [...natural, ...hardest].slice(0, Math.min(max, MAX_SERIES));
}

/** Classes ranked by their largest drop across conditions, worst `limit` first. */
export function classDrops(runs: readonly Result[], all: readonly Result[], limit: number): ClassDrop[] {
  const conditions = dropConditions(runs);
  const byClass = new Map<string, ClassDrop>();
  for (const r of conditions) {
    const id = findIdResult(r, all);
    if (!id) continue;
    for (const c of r.perClass) {
      const ref = id.perClass.find((x) => x.name === c.name);
      if (c.accuracy === null || !ref || ref.accuracy === null) continue;
      const entry = byClass.get(c.name) ?? { className: c.name, drops: new Map(), worst: -Infinity };
      const drop = (ref.accuracy - c.accuracy) * 100;
      entry.drops.set(conditionLabel(r), drop);
      entry.worst = Math.max(entry.worst, drop);
      byClass.set(c.name, entry);
    }
  }
  return [...byClass.values()].sort((a, b) => b.worst - a.worst || a.className.localeCompare(b.className)).slice(0, limit);
}

/** Chart 5, one per model (primary prompt set, at most `maxModels`): worst classes under each shift. */
export function classDropCharts(results: readonly Result[], limit = 10, maxModels = 4): ChartSpec[] {
  const prompts = primaryPromptSet(results);
  const models = distinct(results.filter((r) => r.prompts.name === prompts).map((r) => r.model.name)).sort().slice(0, maxModels);
  return models.flatMap((model, mi) => {
    const runs = results.filter((r) => r.model.name === model && r.prompts.name === prompts);
    const drops = classDrops(runs, results, limit);
    if (drops.length === 0) return [];
    const labels = distinct(dropConditions(runs).map(conditionLabel));
    const datasets = labels.map((l, i) => ({ label: l, data: drops.map((d) => d.drops.get(l) ?? null), backgroundColor: colorAt(i) }));
    return [{
      name: `class-drops-${mi + 1}`,
      title: `Classes that break: ${model}`,
      caption: `Per-class top-1 accuracy drop (percentage points) from the standard set to each shift for ${model} (prompts: ${prompts}); the ${drops.length} worst classes; natural shifts and the corruptions (at their highest severity) that cost most accuracy.`,
      width: 700,
      height: Math.max(280, 110 + drops.length * Math.max(1, labels.length) * 12),
      placement: 'details',
      config: {
        type: 'bar',
        data: { labels: drops.map((d) => d.className), datasets },
        options: {
          indexAxis: 'y',
          plugins: { title: { display: true, text: `${model} (${prompts}): per-class accuracy drop, worst ${drops.length}` }, legend: { position: 'bottom' } },
          scales: {
            x: { title: { display: true, text: 'Accuracy drop vs standard (percentage points)' } },
            y: { title: { display: true, text: 'Class' } },
          },
        },
      },
    } satisfies ChartSpec];
  });
}
