import type { TaskResult } from '../results/envelope.js';
import { modelLabel } from '../results/modelLabel.js';
import { slug } from '../results/paths.js';
import { rocCurve } from '../metrics/ood.js';
import { ciText, pct } from '../util/numberFormat.js';
import { BASELINE_GREY, colorAt, MAX_SERIES, pointStyleAt } from './charts/palette.js';
import type { ChartSpec } from './charts/render.js';
import type { TaskTable } from './taskSection.js';
import { shiftText, shiftsText } from './format.js';

/** Points a ROC curve keeps in a chart (the result keeps every score; a figure needs no more). */
const ROC_POINTS = 200;

/** Zero-shot OOD results, grouped by model in first-appearance order. */
function byModel(tasks: readonly TaskResult[]): Map<string, TaskResult[]> {
  const out = new Map<string, TaskResult[]>();
  for (const t of tasks) if (t.ood) out.set(modelLabel(t.model), [...(out.get(modelLabel(t.model)) ?? []), t]);
  return out;
}

/** `cifar10 vs cifar100 · mcm · contrast@3`: one (ID, OOD) pair as a series and row label. */
function pairLabel(t: TaskResult): string {
  return `${t.dataset.name} vs ${t.ood!.dataset.name} · ${t.ood!.score}${t.shift ? ` · ${shiftText(t.shift)}` : ''}`;
}

/** The chart name of a model's ROC curves. */
function rocChartName(model: string): string {
  return `ood-roc-${slug(model)}`;
}

/**
 * One table per model of its zero-shot OOD results: each (ID, OOD, shift, score) pair with AUROC
 * and its DeLong CI, FPR@95 %TPR, AUPR-In/Out and the ID top-1 beside them; the model's ROC
 * chart is named so report.html shows it under the table.
 */
export function oodTables(tasks: readonly TaskResult[]): TaskTable[] {
  return [...byModel(tasks)].map(([model, list]) => ({
    id: rocChartName(model), title: `Zero-shot OOD detection · ${model}`,
    note: 'ID is the positive class. AUROC counts ties as ½, with a DeLong 95 % CI; FPR@95 is the share of OOD images scoring at or above the threshold that keeps 95 % of ID images; AUPR-In / AUPR-Out are average precision with ID / OOD as the positive class (scikit-learn\'s definition). Higher AUROC and AUPR, lower FPR@95 are better. Under a shift, ID and OOD images are corrupted alike.',
    headers: ['ID dataset', 'OOD dataset', 'Shift', 'Score (T)', 'ID / OOD images', 'AUROC (%) [95 % CI]', 'FPR@95 (%)', 'AUPR-In (%)', 'AUPR-Out (%)', 'ID top-1 (%)', 'Partial'],
    rows: list.map((t) => {
      const o = t.ood!;
      return [t.dataset.name, o.dataset.name, shiftsText(t), `${o.score} (${o.temperature})`, `${o.nId} / ${o.nOod}`,
        `${pct(o.auroc)}${o.aurocCi ? ` ${ciText(o.aurocCi)}` : ''}`, pct(o.fpr95), pct(o.auprIn), pct(o.auprOut), `${pct(o.idTop1)} ${ciText(o.idTop1Ci)}`, t.partial ? 'yes' : ''];
    }),
    chart: rocChartName(model),
  }));
}

/** At most `max` points of a curve, evenly spaced along it, the first and last kept. */
function thin(fpr: number[], tpr: number[], max: number): { x: number; y: number }[] {
  const n = fpr.length;
  const step = Math.max(1, (n - 1) / (max - 1));
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k * step < n - 1; k++) {
    const i = Math.round(k * step);
    out.push({ x: 100 * fpr[i], y: 100 * tpr[i] });
  }
  out.push({ x: 100 * fpr[n - 1], y: 100 * tpr[n - 1] });
  return out;
}

/**
 * One ROC chart per model: true-positive rate (ID kept) against false-positive rate (OOD
 * accepted), one line per pair, from the per-image scores each result keeps.
 */
export function oodRocCharts(tasks: readonly TaskResult[]): ChartSpec[] {
  return [...byModel(tasks)].map(([model, all]): ChartSpec => {
    const list = all.slice(0, MAX_SERIES);
    const capped = all.length > list.length ? ` Showing the first ${list.length} of ${all.length} pairs.` : '';
    const datasets = list.map((t, i) => {
      const roc = rocCurve(t.ood!.idScores, t.ood!.oodScores);
      return { label: `${pairLabel(t)} (AUROC ${pct(t.ood!.auroc)})`, data: thin(roc.fpr, roc.tpr, ROC_POINTS), showLine: true, borderColor: colorAt(i), backgroundColor: colorAt(i), pointStyle: pointStyleAt(i), pointRadius: 0, borderWidth: 2 };
    });
    const chance = { label: 'chance', data: [{ x: 0, y: 0 }, { x: 100, y: 100 }], showLine: true, borderColor: BASELINE_GREY, backgroundColor: BASELINE_GREY, borderDash: [6, 4], pointRadius: 0, borderWidth: 1 };
    return {
      name: rocChartName(model),
      title: `ROC curves · ${model}`,
      caption: `Zero-shot OOD detection ROC curves of ${model}: share of ID images kept (TPR, %) against share of OOD images accepted (FPR, %), one line per ID/OOD pair and score.${capped}`,
      width: 640,
      height: 480,
      placement: 'tasks',
      config: {
        type: 'scatter',
        data: { datasets: [...datasets, chance] },
        options: {
          plugins: { title: { display: true, text: `ROC · ${model}` }, legend: { position: 'bottom' } },
          scales: {
            x: { min: 0, max: 100, title: { display: true, text: 'OOD images accepted: FPR (%)' } },
            y: { min: 0, max: 100, title: { display: true, text: 'ID images kept: TPR (%)' } },
          },
        },
      },
    };
  });
}
