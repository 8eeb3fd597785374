import type { Result } from '../../results/schema.js';
import { compareResults, conditionKey, conditionLabel, distinct, primaryPromptSet, runKey, runLabel } from '../conditions.js';
import { colorAt, MAX_SERIES } from './palette.js';
import type { ChartSpec } from './render.js';

/** Runs to show as series: every (model, prompts) when they fit the palette, else the primary prompt set only (at most MAX_SERIES). */
export function seriesRuns(results: readonly Result[]): Result[][] {
  const sorted = [...results].sort(compareResults);
  let keys = distinct(sorted.map(runKey));
  if (keys.length > MAX_SERIES) {
    const primary = primaryPromptSet(results);
    keys = keys.filter((k) => k.endsWith(`|${primary}`)).slice(0, MAX_SERIES);
  }
  return keys.map((k) => sorted.filter((r) => runKey(r) === k));
}

/**
 * Chart 1: top-1 accuracy (%) per dataset variant without synthetic corruption, one bar per
 * (model, prompts), with 95 % CI whiskers. Null when no such results exist.
 */
export function accuracyBarsChart(results: readonly Result[], colourIndex: ReadonlyMap<string, number> = new Map()): ChartSpec | null {
  const natural = results.filter((r) => r.shift === null);
  if (natural.length === 0) return null;
  const sorted = [...natural].sort(compareResults);
  const conditions = distinct(sorted.map(conditionKey));
  const labels = conditions.map((c) => conditionLabel(sorted.find((r) => conditionKey(r) === c)!));
  const datasets = seriesRuns(natural).map((runs, i) => {
    const at = conditions.map((c) => runs.find((r) => conditionKey(r) === c));
    return {
      label: runLabel(runs[0]),
      data: at.map((r) => (r ? r.metrics.acc1 * 100 : null)),
      errorBars: at.map((r) => (r ? ([r.metrics.acc1Ci[0] * 100, r.metrics.acc1Ci[1] * 100] as [number, number]) : null)),
      backgroundColor: colorAt(colourIndex.get(runLabel(runs[0])) ?? i),
    };
  });
  return {
    name: 'accuracy-by-dataset',
    title: 'Top-1 accuracy per dataset',
    caption: 'Top-1 zero-shot accuracy (%) per dataset variant, one bar per model and prompt set; whiskers are 95 % confidence intervals.',
    width: 760,
    height: 420,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        plugins: { title: { display: true, text: 'Top-1 accuracy per dataset (95 % CI)' }, legend: { position: 'bottom' } },
        scales: {
          x: { title: { display: true, text: 'Dataset variant' } },
          y: { min: 0, max: 100, title: { display: true, text: 'Top-1 accuracy (%)' } },
        },
      },
    },
  };
}
