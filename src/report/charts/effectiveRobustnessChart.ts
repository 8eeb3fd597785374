import type { Chart, Plugin } from 'chart.js';
import { logit } from '../effectiveRobustness.js';
import type { RobustnessGroup } from '../robustnessTable.js';
import { logitAxisOptions, logitRange } from './logitAxis.js';
import { BASELINE_GREY, colorAt, pointStyleAt } from './palette.js';
import type { ChartSpec } from './render.js';

interface Annotation { x: number; y: number; lineY: number; text: string; color: string }

/** Draws each evaluated model's vertical gap to the baseline line and its ER in points. */
function gapAnnotations(items: Annotation[]): Plugin {
  return {
    id: 'zeroshiftErGaps',
    afterDatasetsDraw(chart: Chart) {
      const { ctx, scales } = chart;
      ctx.save();
      ctx.font = "bold 12px 'Liberation Sans', 'DejaVu Sans', sans-serif";
      for (const a of items) {
        const px = scales.x!.getPixelForValue(a.x);
        const py = scales.y!.getPixelForValue(a.y);
        const ly = scales.y!.getPixelForValue(a.lineY);
        ctx.strokeStyle = a.color;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, py);
        ctx.lineTo(px, ly);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = a.color;
        // Flip the label to the left of the gap near the right edge so it is never clipped.
        const width = ctx.measureText(a.text).width;
        const left = px + 6 + width > chart.chartArea.right;
        ctx.fillText(a.text, left ? px - 6 - width : px + 6, (py + ly) / 2 + 4);
      }
      ctx.restore();
    },
  };
}

/** "+12.3 pts" */
export function formatPoints(fraction: number): string {
  const v = fraction * 100;
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} pts`;
}

/**
 * Chart 3: ID vs OOD accuracy on logit axes (ticks in percent) for one shifted condition:
 * baseline models, evaluated models, y = x, the fitted baseline line, and each evaluated
 * model's effective robustness written beside its gap to the line. Null without a line.
 */
export function effectiveRobustnessChart(group: RobustnessGroup, index: number): ChartSpec | null {
  const line = group.line;
  if (!line) return null;
  const own = group.baselineSource.startsWith('own');
  const evalPts = group.rows.map((r) => ({ x: logit(r.point.id, r.point.nId), y: logit(r.point.ood, r.point.nOod) }));
  const basePts = own ? [] : group.baselinePoints.map((p) => ({ x: logit(p.id, p.nId), y: logit(p.ood, p.nOod) }));
  const range = logitRange([...evalPts, ...basePts].flatMap((p) => [p.x, p.y]));
  const fit = (x: number): number => line.slope * x + line.intercept;
  const datasets: Record<string, unknown>[] = [];
  if (!own) datasets.push({ label: `Baseline (${basePts.length} models)`, data: basePts, backgroundColor: BASELINE_GREY, pointRadius: 2.5 });
  group.rows.forEach((r, i) =>
    datasets.push({ label: r.point.model, data: [evalPts[i]], backgroundColor: colorAt(i), borderColor: '#000000', pointStyle: pointStyleAt(i), pointRadius: 7 }),
  );
  datasets.push({ label: 'y = x', data: [{ x: range.min, y: range.min }, { x: range.max, y: range.max }], showLine: true, borderColor: '#000000', borderDash: [6, 4], borderWidth: 1, pointRadius: 0 });
  datasets.push({ label: `Baseline fit (logit slope ${line.slope.toFixed(2)})`, data: [{ x: range.min, y: fit(range.min) }, { x: range.max, y: fit(range.max) }], showLine: true, borderColor: '#555555', borderWidth: 2, pointRadius: 0 });
  const annotations = group.rows.map((r, i) => ({
    x: evalPts[i]!.x, y: evalPts[i]!.y, lineY: fit(evalPts[i]!.x), text: formatPoints(r.effectiveRobustness ?? 0), color: colorAt(i) === '#F0E442' ? '#8a7f00' : colorAt(i),
  }));
  const idName = group.rows[0]!.idResult.dataset.variant ?? group.rows[0]!.idResult.dataset.name;
  return {
    name: `effective-robustness-${index + 1}`,
    title: `Effective robustness: ${group.label}`,
    caption: `ID (${idName}) vs OOD (${group.label}) top-1 accuracy on logit axes labelled in percent; baseline: ${group.baselineSource}. Labels give each model's effective robustness (vertical distance to the fitted line). Accuracies of 0 or 100 % are clipped to 0.5/n and 1 − 0.5/n before the logit.`,
    width: 700,
    height: 560,
    config: {
      type: 'scatter',
      data: { datasets: datasets as never },
      options: {
        plugins: {
          title: { display: true, text: `Effective robustness: ${idName} → ${group.label}` },
          subtitle: { display: true, text: `logit axes; 0 / 100 % clipped to 0.5/n, 1 − 0.5/n; baseline: ${group.baselineSource}` },
          legend: { position: 'bottom', labels: { usePointStyle: true } },
        },
        scales: {
          x: logitAxisOptions(`ID accuracy, ${idName} (%, logit scale)`, range),
          y: logitAxisOptions(`OOD accuracy, ${group.label} (%, logit scale)`, range),
        } as never,
      },
      plugins: [gapAnnotations(annotations)],
    },
  };
}
