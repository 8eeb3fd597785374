import { modelLabel } from '../../results/modelLabel.js';
import type { Chart, Plugin } from 'chart.js';
import { toAxis, type AxisTransform } from '../effectiveRobustness.js';
import { bandOf } from '../erBootstrap.js';
import type { RobustnessGroup } from '../robustnessTable.js';
import { logitAxisOptions, logitRange } from './logitAxis.js';
import { BASELINE_GREY, colorAt, MAX_SERIES, pointStyleAt, textColourAt } from './palette.js';
import type { ChartSpec } from './render.js';
import { markerBox, placeLabels, type Box } from './labelPlacement.js';

interface Label { x: number; y: number; lineY: number; text: string; color: string }

/** Marker radius of an evaluated model's point (px), its black border included. */
const MODEL_R = 8;
/** Marker radius of a published baseline point (px). */
const BASELINE_R = 3;
const LABEL_FONT_PX = 12;

/**
 * Labels each evaluated model's point, the vertical gap to the fitted line dashed. `names`:
 * name and ER ± CI beside the point, placed (src/report/charts/labelPlacement.ts) where they
 * cross no marker, no other label and no dashed gap line, with a leader line when moved away;
 * a label that finds no such place sets `crowded`, and the chart is drawn again as `numbers`:
 * the points carry their number and the legend gives each number's name and ER.
 */
function directLabels(items: Label[], baseline: { x: number; y: number }[], mode: 'names' | 'numbers', state: { crowded: boolean }): Plugin {
  return {
    id: 'zeroshiftErLabels',
    afterDatasetsDraw(chart: Chart) {
      const { ctx, scales, chartArea } = chart;
      ctx.save();
      ctx.font = `bold ${LABEL_FONT_PX}px 'Liberation Sans', 'DejaVu Sans', sans-serif`;
      ctx.textBaseline = 'middle';
      const pts = items.map((a, i) => {
        const px = scales.x.getPixelForValue(a.x);
        const py = scales.y.getPixelForValue(a.y);
        const text = mode === 'names' ? a.text : String(i + 1);
        return { a, px, py, ly: scales.y.getPixelForValue(a.lineY), text, w: ctx.measureText(text).width };
      });
      const obstacles: Box[] = [
        ...pts.map((p) => markerBox(p.px, p.py, MODEL_R)),
        ...baseline.map((b) => markerBox(scales.x.getPixelForValue(b.x), scales.y.getPixelForValue(b.y), BASELINE_R)),
        // The dashed gaps to the line: a label over one would hide whose gap it is.
        ...pts.map((p) => ({ x: p.px - 1, y: Math.min(p.py, p.ly), w: 2, h: Math.abs(p.ly - p.py) })),
      ];
      // Top to bottom, as the eye reads the points.
      const order = pts.map((_, i) => i).sort((i, j) => pts[i].py - pts[j].py);
      const area = { x: chartArea.left, y: chartArea.top, w: chartArea.right - chartArea.left, h: chartArea.bottom - chartArea.top };
      const found = placeLabels(order.map((i) => ({ px: pts[i].px, py: pts[i].py, r: MODEL_R, w: pts[i].w, h: LABEL_FONT_PX + 2 })), obstacles, area);
      if (found.some((f) => f === null)) state.crowded = true;
      for (const p of pts) {
        ctx.strokeStyle = p.a.color;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(p.px, p.py);
        ctx.lineTo(p.px, p.ly);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      order.forEach((i, k) => {
        const p = pts[i];
        // No free place even for a number: beside the point, as before.
        const placed = found[k] ?? { box: { x: p.px + MODEL_R + 4, y: p.py - LABEL_FONT_PX / 2 - 1, w: p.w, h: LABEL_FONT_PX + 2 }, leader: false };
        const b = placed.box;
        if (placed.leader) {
          const toRight = b.x > p.px;
          ctx.strokeStyle = p.a.color;
          ctx.lineWidth = 0.8;
          ctx.beginPath();
          ctx.moveTo(p.px + (toRight ? MODEL_R : -MODEL_R), p.py);
          ctx.lineTo(toRight ? b.x - 1 : b.x + b.w + 1, b.y + b.h / 2);
          ctx.stroke();
        }
        ctx.fillStyle = p.a.color;
        ctx.fillText(p.text, b.x, b.y + b.h / 2);
      });
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
  if (!group.line) return null;
  const state = { crowded: false };
  return { ...erChart(group, index, colourIndex, 'names', state), relayout: { failed: () => state.crowded, fallback: () => erChart(group, index, colourIndex, 'numbers', { crowded: false }) } };
}

function erChart(group: RobustnessGroup, index: number, colourIndex: ReadonlyMap<string, number>, mode: 'names' | 'numbers', state: { crowded: boolean }): ChartSpec {
  const line = group.line!;
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
  const labels = rows.map((r, i) => ({
    x: evalPts[i].x, y: evalPts[i].y, lineY: fit(evalPts[i].x),
    text: `${modelLabel(r.result.model)} ${erText(r.effectiveRobustness ?? 0, r.erCi)}`, color: textColourAt(colour(r.point.model, i)),
  }));
  // Numbered: each model's legend entry is its number, name and ER (with its marker); otherwise the legend leaves models out.
  rows.forEach((r, i) =>
    datasets.push({ label: mode === 'numbers' ? `${i + 1} ${labels[i].text}` : `_${r.point.model}`, data: [evalPts[i]], backgroundColor: colorAt(colour(r.point.model, i)), borderColor: '#000000', pointStyle: pointStyleAt(colour(r.point.model, i)), pointRadius: 7 }),
  );
  // pointStyle 'line': the legend (usePointStyle) draws these as lines, not as the default circle.
  datasets.push({ label: 'y = x', data: [{ x: range.min, y: range.min }, { x: range.max, y: range.max }], showLine: true, borderColor: '#000000', borderDash: [6, 4], borderWidth: 1, pointRadius: 0, pointStyle: 'line' });
  datasets.push({ label: `Baseline fit (${t} slope ${line.slope.toFixed(2)})`, data: [{ x: range.min, y: fit(range.min) }, { x: range.max, y: fit(range.max) }], showLine: true, borderColor: '#555555', borderWidth: 2, pointRadius: 0, pointStyle: 'line' });
  const idName = group.rows[0].idResult.dataset.variant ?? group.rows[0].idResult.dataset.name;
  const capped = rows.length < group.rows.length ? ` Only the first ${rows.length} of ${group.rows.length} models are drawn.` : '';
  return {
    name: `effective-robustness-${index + 1}`,
    title: `Effective robustness: ${group.label}`,
    caption: `ID (${idName}) vs OOD (${group.label}) top-1 accuracy on ${t} axes labelled in percent; baseline: ${group.baselineSource}. Each model is labelled with its effective robustness in points and its 95 % bootstrap CI${mode === 'numbers' ? ' (too crowded to label beside the points: the points are numbered and the legend gives each number)' : ''}; the shaded band is the 95 % bootstrap band of the fitted line. Accuracies of 0 or 100 % are clipped to 0.5/n and 1 − 0.5/n.${capped}`,
    width: 760,
    // Room for the numbered legend: about two entries a row.
    height: 580 + (mode === 'numbers' ? 20 * Math.ceil(rows.length / 2) : 0),
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
      plugins: [directLabels(labels, basePts, mode, state)],
    },
  };
}
