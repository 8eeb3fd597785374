import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { effectiveRobustnessChart } from '../../src/report/charts/effectiveRobustnessChart.js';
import { spacedTicks } from '../../src/report/charts/logitAxis.js';
import { robustnessGroups } from '../../src/report/robustnessTable.js';
import { logit } from '../../src/report/effectiveRobustness.js';
import { syntheticResults } from './syntheticResults.js';
import { makeResult } from './resultFactory.js';

Chart.register(...registerables);

/** Tick labels of a drawn axis: centre pixel and size, as chart.js placed and sized them. */
function tickBoxes(chart: Chart, axis: 'x' | 'y'): { label: string; at: number; width: number }[] {
  const scale = chart.scales[axis];
  const ctx = chart.ctx;
  ctx.font = '13px sans-serif';
  return scale.ticks.map((t, i) => ({ label: String(t.label), at: scale.getPixelForTick(i), width: ctx.measureText(String(t.label)).width }));
}

describe('effective-robustness scatter', () => {
  it('places logit and probit ticks without overlap, and draws the line legends as lines', () => {
    // The synthetic set against the testbed, and models from 0.3 % to 99.7 % on their own line:
    // that logit span crowded 30..70 % into ~20 px per tick.
    const wide = [0.003, 0.05, 0.3, 0.6, 0.9, 0.997].flatMap((acc1, k) => [
      makeResult({ model: `wide-${k}`, acc1, n: 1000 }),
      makeResult({ model: `wide-${k}`, variant: 'dark', acc1: acc1 * 0.9, n: 1000 }),
    ]);
    const results = syntheticResults(3, 16).map((r) => r.result);
    for (const transform of ['logit', 'probit'] as const) {
      const analysis = { transform, replicates: 20, seed: 1 };
      const groups = [...robustnessGroups(wide, 'own', undefined, [], analysis), ...robustnessGroups(results, 'testbed', undefined, [], analysis)];
      let drawn = 0;
      for (const [i, group] of groups.entries()) {
        const spec = effectiveRobustnessChart(group, i);
        if (!spec) continue;
        drawn++;
        const canvas = createCanvas(spec.width, spec.height);
        const config = { ...spec.config, options: { ...spec.config.options, responsive: false, animation: false } } as ChartConfiguration;
        const chart = new Chart(canvas.getContext('2d') as never, config);
        try {
          const x = tickBoxes(chart, 'x');
          expect(x.length, `${transform} ${group.label}`).toBeGreaterThanOrEqual(2);
          // Neighbouring x labels leave at least 4 px between them (they had run together: "30 %40 %50 %").
          for (let k = 1; k < x.length; k++) expect(Math.abs(x[k].at - x[k - 1].at) - (x[k].width + x[k - 1].width) / 2, `${x[k - 1].label} | ${x[k].label}`).toBeGreaterThanOrEqual(4);
          const y = tickBoxes(chart, 'y');
          for (let k = 1; k < y.length; k++) expect(Math.abs(y[k].at - y[k - 1].at), `${y[k - 1].label} | ${y[k].label}`).toBeGreaterThanOrEqual(15);
          const legend = new Map((chart.legend?.legendItems ?? []).map((it) => [it.text, it.pointStyle]));
          expect(legend.get('y = x')).toBe('line');
          expect([...legend].find(([text]) => text.startsWith('Baseline fit'))?.[1]).toBe('line');
        } finally {
          chart.destroy();
        }
      }
      expect(drawn).toBeGreaterThan(0);
    }
  });

  it('thins crowded ticks by priority, keeping 50 % and the decades first', () => {
    const narrow = { min: logit(0.28, 1e9), max: logit(0.72, 1e9) };
    // 5 nice ticks (30..70 %) on 120 px: only those at least 58 px apart stay.
    const kept = spacedTicks(narrow, 'logit', 120, 58);
    expect(kept).toContain(logit(0.5, 1e9));
    for (let k = 1; k < kept.length; k++) expect((kept[k] - kept[k - 1]) * (120 / (narrow.max - narrow.min))).toBeGreaterThanOrEqual(58);
    expect(spacedTicks(narrow, 'logit', 1200, 58)).toHaveLength(5);
  });
});
