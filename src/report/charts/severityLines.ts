import type { Result } from '../../results/schema.js';
import { distinct, findIdResult, primaryPromptSet } from '../conditions.js';
import { colorAt, pointStyleAt } from './palette.js';
import type { ChartSpec } from './render.js';

/**
 * Chart 2, one per model (primary prompt set): accuracy (%) against corruption severity, one
 * line per corruption; severity 0 is the uncorrupted ID accuracy when it was evaluated.
 */
export function severityCharts(results: readonly Result[]): ChartSpec[] {
  const prompts = primaryPromptSet(results);
  const corrupted = results.filter((r) => r.shift !== null && r.prompts.name === prompts);
  const models = distinct(corrupted.map((r) => r.model.name)).sort();
  return models.map((model, mi) => severityChart(corrupted.filter((r) => r.model.name === model), results, model, prompts, mi));
}

function severityChart(runs: Result[], all: readonly Result[], model: string, prompts: string, index: number): ChartSpec {
  const corruptions = distinct(runs.map((r) => r.shift!.corruption)).sort();
  const clean = findIdResult(runs[0]!, all);
  const severities = [0, 1, 2, 3, 4, 5];
  const datasets = corruptions.map((c, i) => {
    const at = severities.map((s) => (s === 0 ? clean : runs.find((r) => r.shift!.corruption === c && r.shift!.severity === s)));
    return {
      label: c,
      data: at.map((r) => (r ? r.metrics.acc1 * 100 : null)),
      errorBars: at.map((r) => (r ? ([r.metrics.acc1Ci[0] * 100, r.metrics.acc1Ci[1] * 100] as [number, number]) : null)),
      borderColor: colorAt(i),
      backgroundColor: colorAt(i),
      pointStyle: pointStyleAt(i),
      pointRadius: 4,
      spanGaps: true,
    };
  });
  return {
    name: `severity-${index + 1}`,
    title: `Accuracy vs corruption severity: ${model}`,
    caption: `Top-1 accuracy (%) of ${model} (prompts: ${prompts}) against corruption severity; severity 0 is the uncorrupted standard set; whiskers are 95 % CIs.`,
    width: 640,
    height: 400,
    config: {
      type: 'line',
      data: { labels: severities.map((s) => (s === 0 ? '0 (clean)' : String(s))), datasets },
      options: {
        plugins: { title: { display: true, text: `${model} (${prompts}): accuracy vs severity` }, legend: { position: 'bottom' } },
        scales: {
          x: { title: { display: true, text: 'Corruption severity (0 = clean)' } },
          y: { min: 0, max: 100, title: { display: true, text: 'Top-1 accuracy (%)' } },
        },
      },
    },
  };
}
