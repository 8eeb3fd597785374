import type { Result } from '../../results/schema.js';
import { distinct, isInDistribution } from '../conditions.js';
import { colorAt, MAX_SERIES } from './palette.js';
import type { ChartSpec } from './render.js';

/**
 * Chart 4: ID accuracy (%) per prompt set, best first (by mean over models), one bar per
 * model, 95 % CI whiskers. Null with fewer than two prompt sets.
 */
export function promptComparisonChart(results: readonly Result[]): ChartSpec | null {
  const id = results.filter(isInDistribution);
  const sets = distinct(id.map((r) => r.prompts.name));
  if (sets.length < 2) return null;
  const meanOf = (p: string): number => {
    const rs = id.filter((r) => r.prompts.name === p);
    return rs.reduce((s, r) => s + r.metrics.acc1, 0) / rs.length;
  };
  const order = [...sets].sort((a, b) => meanOf(b) - meanOf(a) || a.localeCompare(b));
  const models = distinct(id.map((r) => r.model.name)).sort().slice(0, MAX_SERIES);
  const datasets = models.map((m, i) => {
    const at = order.map((p) => id.find((r) => r.model.name === m && r.prompts.name === p));
    return {
      label: m,
      data: at.map((r) => (r ? r.metrics.acc1 * 100 : null)),
      errorBars: at.map((r) => (r ? ([r.metrics.acc1Ci[0] * 100, r.metrics.acc1Ci[1] * 100] as [number, number]) : null)),
      backgroundColor: colorAt(i),
    };
  });
  const labels = order.map((p) => `${p} (${id.find((r) => r.prompts.name === p)!.prompts.templates.length} templates)`);
  return {
    name: 'prompt-comparison',
    title: 'Prompt sets compared',
    caption: 'In-distribution top-1 accuracy (%) per prompt set, best first; whiskers are 95 % CIs.',
    width: 700,
    height: Math.max(260, 90 + order.length * models.length * 26),
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        plugins: { title: { display: true, text: 'In-distribution accuracy by prompt set (best first, 95 % CI)' }, legend: { position: 'bottom' } },
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: 'Top-1 accuracy (%)' } },
          y: { title: { display: true, text: 'Prompt set' } },
        },
      },
    },
  };
}
