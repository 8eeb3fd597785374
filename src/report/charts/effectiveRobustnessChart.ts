import { modelLabel } from '../../results/modelLabel.js';
import type { Chart, Plugin } from 'chart.js';
import { toAxis, type AxisTransform } from '../effectiveRobustness.js';
import { bandOf } from '../erBootstrap.js';
import type { RobustnessGroup } from '../robustnessTable.js';
import { logitAxisOptions, logitRange } from './logitAxis.js';
import { BASELINE_GREY, colorAt, MAX_SERIES, pointStyleAt, textColourAt } from './palette.js';
import type { ChartSpec } from './render.js';

interface Label { x: number; y: number; lineY: number; text: string; color: string }

const LABEL_GAP = 15;

/**
 * Direct labels: each evaluated model's name and ER ± CI beside its point, with the vertical gap
 * to the line dashed. Labels are stacked apart (≥ 15 px) with a leader line, so no legend has to
 * map colours back to models.
 */
function directLabels(items: Label[]): Plugin {
  return {
    id: 'zeroshiftErLabels',
    afterDatasetsDraw(chart: Chart) {
      const { ctx, scales, chartArea } = chart;
      ctx.save();
      ctx.font = "bold 12px 'Liberation Sans', 'DejaVu Sans', sans-serif";
      const placed = items.map((a) => {
        const px = scales.x.getPixelForValue(a.x);
        const py = scales.y.getPixelForValue(a.y);
        return { a, px, py, ly: scales.y.getPixelForValue(a.lineY), ty: py, width: ctx.measureText(a.text).width };
      }).sort((p, q) => p.py - q.py);
      for (let i = 1; i < placed.length; i++) placed[i].ty = Math.max(placed[i].ty, placed[i - 1].ty + LABEL_GAP);
      const overflow = placed.length ? placed[placed.length - 1].ty - (chartArea.bottom - 4) : 0;
      if (overflow > 0) for (const p of placed) p.ty -= overflow;
      for (const p of placed) {
        ctx.strokeStyle = p.a.color;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(p.px, p.py);
        ctx.lineTo(p.px, p.ly);
        ctx.stroke();
        ctx.setLineDash([]);
        // Flip the label to the left of the point near the right edge so it is never clipped.
        const left = p.px + 12 + p.width > chartArea.right;
        const tx = left ? p.px - 12 - p.width : p.px + 12;
        ctx.lineWidth = 0.8;
        ctx.beginPath();
        ctx.moveTo(p.px + (left ? -7 : 7), p.py);
        ctx.lineTo(left ? tx + p.width + 2 : tx - 2, p.ty - 4);
        ctx.stroke();
        ctx.fillStyle = p.a.color;
        ctx.fillText(p.a.text, tx, p.ty);
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

/** "+12.3 [8.1, 16.0]" */
function erText(er: number, ci: [number, number] | null): string {
  const f = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}`;
  return ci ? `${f(er)} [${f(ci[0])}, ${f(ci[1])}]` : f(er);
}

/**
 * ID vs OOD accuracy on logit or probit axes (ticks in percent) for one shifted condition:
 * published baseline models as grey points (when the baseline is external), the evaluated
 * models labelled directly with their ER and 95 % CI, y = x, the fitted line and its 95 %
 * bootstrap band. `colourIndex` gives each run (`model · prompts`) the colour it has in every
 * chart. Null without a line.
 */
export function effectiveRobustnessChart(group: RobustnessGroup, index: number, colourIndex: ReadonlyMap<string, number> = new Map()): ChartSpec | null {
  const line = group.line;
  if (!line) return null;
  const t: AxisTransform = line.transform ?? 'logit';
  const own = group.baselineSource.startsWith('own');
  const rows = group.rows.filter((r) => (colourIndex.get(r.point.model) ?? 0) < MAX_SERIES).slice(0, MAX_SERIES);
  const colour = (model: string, i: number): number => colourIndex.get(model) ?? i;
  const evalPts = rows.map((r) => ({ x: toAxis(r.point.id, t, r.point.nId), y: toAxis(r.point.ood, t, r.point.nOod) }));
  const basePts = own ? [] : group.baselinePoints.map((p) => ({ x: toAxis(p.id, t, p.nId), y: toAxis(p.ood, t, p.nOod) }));
  const range = logitRange([...evalPts, ...basePts].flatMap((p) => [p.x, p.y]));
  const fit = (x: number): number => line.slope * x + line.intercept;
  const grid = Array.from({ length: 41 }, (_, i) => range.min + ((range.max - range.min) * i) / 40);
  const band = bandOf(group.bootstrapLines, grid);
  const datasets: Record<string, unknown>[] = [];
  if (band) {
    datasets.push({ label: '95 % band of the fit (bootstrap over baseline models)', data: grid.map((x, i) => ({ x, y: band.high[i] })), showLine: true, borderWidth: 0, pointRadius: 0, pointStyle: 'rect', fill: false, backgroundColor: 'rgba(85,85,85,0.18)' });
    datasets.push({ label: '_band-low', data: grid.map((x, i) => ({ x, y: band.low[i] })), showLine: true, borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(85,85,85,0.18)' });
  }
  if (!own) datasets.push({ label: `Published baseline models (${basePts.length})`, data: basePts, backgroundColor: BASELINE_GREY, pointRadius: 2.5 });
  rows.forEach((r, i) =>
    datasets.push({ label: `_${r.point.model}`, data: [evalPts[i]], backgroundColor: colorAt(colour(r.point.model, i)), borderColor: '#000000', pointStyle: pointStyleAt(colour(r.point.model, i)), pointRadius: 7 }),
  );
  // pointStyle 'line': the legend (usePointStyle) draws these as lines, not as the default circle.
  datasets.push({ label: 'y = x', data: [{ x: range.min, y: range.min }, { x: range.max, y: range.max }], showLine: true, borderColor: '#000000', borderDash: [6, 4], borderWidth: 1, pointRadius: 0, pointStyle: 'line' });
  datasets.push({ label: `Baseline fit (${t} slope ${line.slope.toFixed(2)})`, data: [{ x: range.min, y: fit(range.min) }, { x: range.max, y: fit(range.max) }], showLine: true, borderColor: '#555555', borderWidth: 2, pointRadius: 0, pointStyle: 'line' });
  const labels = rows.map((r, i) => ({
    x: evalPts[i].x, y: evalPts[i].y, lineY: fit(evalPts[i].x),
    text: `${modelLabel(r.result.model)} ${erText(r.effectiveRobustness ?? 0, r.erCi)}`, color: textColourAt(colour(r.point.model, i)),
  }));
  const idName = group.rows[0].idResult.dataset.variant ?? group.rows[0].idResult.dataset.name;
  const capped = rows.length < group.rows.length ? ` Only the first ${rows.length} of ${group.rows.length} models are drawn.` : '';
  return {
    name: `effective-robustness-${index + 1}`,
    title: `Effective robustness: ${group.label}`,
    caption: `ID (${idName}) vs OOD (${group.label}) top-1 accuracy on ${t} axes labelled in percent; baseline: ${group.baselineSource}. Each model is labelled with its effective robustness in points and its 95 % bootstrap CI; the shaded band is the 95 % bootstrap band of the fitted line. Accuracies of 0 or 100 % are clipped to 0.5/n and 1 − 0.5/n.${capped}`,
    width: 760,
    height: 580,
    placement: 'main',
    config: {
      type: 'scatter',
      data: { datasets: datasets as never },
      options: {
        plugins: {
          title: { display: true, text: `Effective robustness: ${idName} → ${group.label}` },
          subtitle: { display: true, text: `${t} axes; 0 / 100 % clipped to 0.5/n, 1 − 0.5/n; baseline: ${group.baselineSource}` },
          legend: { position: 'bottom', labels: { usePointStyle: true, filter: (item: { text: string }) => !item.text.startsWith('_') } },
        },
        scales: {
          x: logitAxisOptions(`ID accuracy, ${idName} (%, ${t} scale)`, range, t),
          y: logitAxisOptions(`OOD accuracy, ${group.label} (%, ${t} scale)`, range, t),
        } as never,
      },
      plugins: [directLabels(labels)],
    },
  };
}
