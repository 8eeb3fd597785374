import type { Result } from '../../results/schema.js';
import type { RobustnessGroup } from '../robustnessTable.js';
import { accuracyBarsChart } from './accuracyBars.js';
import { classDropCharts } from './classDrops.js';
import { effectiveRobustnessChart } from './effectiveRobustnessChart.js';
import { promptComparisonChart } from './promptComparison.js';
import type { ChartSpec } from './render.js';

const MAX_ER_CHARTS = 6;

/**
 * Groups that get an effective-robustness chart: natural shifts first, then each corruption at
 * its middle evaluated severity (the table lists every severity). Accuracy against corruption
 * severity is the HTML heatmap, not a line chart (13+ lines cannot keep distinct colours).
 */
export function chartedGroups(groups: readonly RobustnessGroup[]): RobustnessGroup[] {
  const natural = groups.filter((g) => !g.isCorruption);
  const byCorruption = new Map<string, RobustnessGroup[]>();
  for (const g of groups) {
    const s = g.rows[0].result.shift;
    if (s) byCorruption.set(s.corruption, [...(byCorruption.get(s.corruption) ?? []), g]);
  }
  const middle = [...byCorruption.keys()].sort().map((c) => {
    const gs = byCorruption.get(c)!.sort((a, b) => a.rows[0].result.shift!.severity - b.rows[0].result.shift!.severity);
    return gs[Math.floor((gs.length - 1) / 2)];
  });
  return [...natural, ...middle].filter((g) => g.line !== null).slice(0, MAX_ER_CHARTS);
}

/** Every chart of the report, in reading order. */
export function allCharts(results: readonly Result[], groups: readonly RobustnessGroup[], colourIndex: ReadonlyMap<string, number> = new Map()): ChartSpec[] {
  const er = chartedGroups(groups).map((g, i) => {
    const spec = effectiveRobustnessChart(g, i, colourIndex);
    return spec && g.isCorruption ? { ...spec, placement: 'details' as const } : spec;
  });
  return [
    ...er,
    accuracyBarsChart(results, colourIndex),
    promptComparisonChart(results),
    ...classDropCharts(results),
  ].filter((c): c is ChartSpec => c !== null);
}
