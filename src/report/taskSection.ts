import type { Result } from '../results/schema.js';
import { modelLabel, modelVariantKey } from '../results/modelLabel.js';
import type { TaskResult } from '../results/envelope.js';
import type { GroupSummaryRecord } from '../results/groupSchema.js';
import type { SuiteAveragesFile } from '../results/suiteAverages.js';
import { meanCoverage } from '../results/meanCoverage.js';
import { retrievalCorruptionTable } from './retrievalRobustness.js';
import { ciText, pct, signedPoints } from '../util/numberFormat.js';
import { escapeHtml as e, escapeMd as m, shiftText, shiftsText } from './format.js';
import { effectiveRobustness } from './effectiveRobustness.js';
import type { RobustnessGroup } from './robustnessTable.js';
import type { ReportChart } from './reportContent.js';
import { oodTables } from './oodSection.js';
import { MISSING_GROUP } from '../metrics/groups.js';

/**
 * The report's section for results beyond zero-shot top-1: worst-group accuracy (zero-shot
 * and probe results with `--group-by`), zero-shot retrieval, the linear probe against the
 * zero-shot line (with each line's effective robustness), multi-label mAP and, when given,
 * suite averages. Built once as plain tables; report.html and report.md render the same rows.
 */
export interface TaskTable {
  id: string;
  title: string;
  note: string;
  headers: string[];
  rows: string[][];
  /** Name of a chart (placement 'tasks') report.html shows under the table. */
  chart?: string;
}

/** Averages of a suite (DataComp's groups), one row per model. */
export interface SuiteAverages {
  suite: string;
  note: string;
  groups: string[];
  /** Per model: each group's mean, what it covers ("mean of 6 of 7", when the file lists members), and the tasks missing. */
  rows: { model: string; values: (number | undefined)[]; coverage: (string | null)[]; missing: number }[];
}

const dash = (v: number | undefined | null, f: (x: number) => string = pct): string => (v === undefined || v === null ? '–' : f(v));

function worstGroupTable(results: readonly Result[], tasks: readonly TaskResult[]): TaskTable | null {
  const rows: string[][] = [];
  const add = (model: string, task: string, dataset: string, overall: number, groups: Record<string, Record<string, { n: number }>> | undefined, summaries: Record<string, GroupSummaryRecord> | undefined): void => {
    for (const [field, s] of Object.entries(summaries ?? {})) {
      const metric = s.by === 'acc5' ? 'top-5' : 'top-1';
      rows.push([model, task, dataset, field, String(Object.keys(groups?.[field] ?? {}).length), pct(overall), `${s.worst.value} (${pct(s.worst.metric ?? s.worst.acc1)} ${metric})`, `${s.best.value} (${pct(s.best.metric ?? s.best.acc1)})`, pct(s.gap)]);
    }
  };
  for (const r of results) add(modelLabel(r.model), `zero-shot · ${r.prompts.name}${r.shift ? ` · ${shiftText(r.shift)}` : ''}`, r.dataset.name, r.metrics.acc1, r.groups, r.groupSummary);
  for (const t of tasks) if (t.metrics) add(modelLabel(t.model), 'linear probe', t.dataset.name, t.metrics.acc1, t.groups, t.groupSummary);
  for (const t of tasks) {
    for (const [field, groups] of Object.entries(t.retrieval?.groups ?? {})) {
      // Ranked by mean R@1; the (missing) group is listed in the result but never worst or best.
      const ranked = Object.entries(groups).filter(([v]) => v !== MISSING_GROUP).sort((a, b) => a[1].meanRecallAt1 - b[1].meanRecallAt1 || a[0].localeCompare(b[0]));
      if (ranked.length === 0) continue;
      const [worst, best] = [ranked[0], ranked[ranked.length - 1]];
      rows.push([modelLabel(t.model), `retrieval${t.shift ? ` · ${shiftText(t.shift)}` : ''}`, t.dataset.name, field, String(Object.keys(groups).length), `${pct(t.retrieval!.meanRecallAt1)} mean R@1`, `${worst[0]} (${pct(worst[1].meanRecallAt1)} mean R@1)`, `${best[0]} (${pct(best[1].meanRecallAt1)})`, pct(best[1].meanRecallAt1 - worst[1].meanRecallAt1)]);
    }
  }
  if (rows.length === 0) return null;
  return {
    id: 'worst-group', title: 'Worst-group accuracy',
    note: 'Per-item metadata groups (--group-by); worst and best named group (the (missing) group is reported in the result but never ranked); gap = best − worst in points. DataComp\'s Dollar Street rule ranks by top-5; retrieval groups rank by mean R@1 (the group\'s images and captions as queries against the whole gallery).',
    headers: ['Model', 'Task', 'Dataset', 'Field', 'Groups', 'Overall (%)', 'Worst group', 'Best group', 'Gap (pts)'], rows,
  };
}

/**
 * A shifted result's drop against the unshifted result of the same task, model, dataset and
 * settings (same `--limit`, k, train split): `value(shifted) − value(clean)` in points, '–'
 * for the clean row or when no clean result is among the inputs.
 */
function dropFromClean(t: TaskResult, tasks: readonly TaskResult[], value: (r: TaskResult) => number | undefined): string {
  if (!t.shift && !t.textShift) return '–';
  // The clean partner has neither an image nor a text shift.
  const clean = tasks.find((o) => !o.shift && !o.textShift && o.task === t.task && modelVariantKey(o.model) === modelVariantKey(t.model) && o.dataset.fingerprint === t.dataset.fingerprint && o.trainDataset?.fingerprint === t.trainDataset?.fingerprint && o.probe?.fewshotK === t.probe?.fewshotK);
  const a = value(t);
  const b = clean ? value(clean) : undefined;
  return a === undefined || b === undefined ? '–' : signedPoints(a - b);
}

function retrievalTable(tasks: readonly TaskResult[]): TaskTable | null {
  const list = tasks.filter((t) => t.retrieval);
  if (list.length === 0) return null;
  const rec = (t: TaskResult, k: string): string => dash(t.retrieval!.recall[k]?.value);
  return {
    id: 'retrieval', title: 'Zero-shot retrieval',
    note: 'CLIP_benchmark\'s recall@k: image retrieval = text → image, text retrieval = image → text (any of its captions); mean R@1 is DataComp\'s retrieval score. Under a shift the images are corrupted and the captions are not (Qiu et al. 2022); Δ is the shifted mean R@1 minus the clean one, in points.',
    headers: ['Model', 'Dataset', 'Shift', 'Images', 'Captions', 'Image R@1 (%)', 'Image R@5', 'Image R@10', 'Text R@1 (%)', 'Text R@5', 'Text R@10', 'Mean R@1 (%)', 'Δ mean R@1 (pts)', 'Partial'],
    rows: list.map((t) => [modelLabel(t.model), t.dataset.name, shiftsText(t), String(t.retrieval!.nImages), String(t.retrieval!.nTexts),
      rec(t, 'image_retrieval_recall@1'), rec(t, 'image_retrieval_recall@5'), rec(t, 'image_retrieval_recall@10'),
      rec(t, 'text_retrieval_recall@1'), rec(t, 'text_retrieval_recall@5'), rec(t, 'text_retrieval_recall@10'), pct(t.retrieval!.meanRecallAt1),
      dropFromClean(t, list, (r) => r.retrieval?.meanRecallAt1), t.partial ? 'yes' : '']),
  };
}

/**
 * Probe rows beside the zero-shot line: each line's effective robustness against the same
 * baseline fit the report uses for the zero-shot results on that shift (the CLIP paper's
 * Figure 14 comparison). The probe's ID point is its score on the test set it was paired with.
 */
function probeTable(tasks: readonly TaskResult[], groups: readonly RobustnessGroup[]): TaskTable | null {
  const probes = tasks.filter((t) => t.task === 'linear_probe' && t.metrics);
  if (probes.length === 0) return null;
  const rows = probes.map((t) => {
    const id = t.dataset.isStandard ? t : probes.find((o) => o.dataset.isStandard && !o.shift && modelVariantKey(o.model) === modelVariantKey(t.model) && o.trainDataset?.fingerprint === t.trainDataset?.fingerprint && o.probe?.fewshotK === t.probe?.fewshotK);
    const group = groups.find((g) => g.key === t.dataset.name);
    const zs = group?.rows.find((r) => modelVariantKey(r.result.model) === modelVariantKey(t.model));
    const probeEr = !t.dataset.isStandard && id && group?.line ? effectiveRobustness(group.line, { model: modelLabel(t.model), id: id.metrics!.acc1, ood: t.metrics!.acc1, nId: id.metrics!.n, nOod: t.metrics!.n }) : null;
    return [modelLabel(t.model), `${t.dataset.variant ?? t.dataset.name}${t.shift ? ` · ${shiftText(t.shift)}` : ''}`, t.trainDataset?.name ?? '', t.probe!.fewshotK === null ? 'all' : String(t.probe!.fewshotK), t.probe!.c.toPrecision(3),
      `${pct(t.metrics!.acc1)} ${ciText(t.metrics!.acc1Ci)}`, pct(t.metrics!.macroF1), t.dataset.isStandard ? 'ID' : dash(probeEr, signedPoints),
      zs ? pct(zs.result.metrics.acc1) : '–', t.dataset.isStandard ? 'ID' : dash(zs?.effectiveRobustness, signedPoints)];
  });
  return {
    id: 'linear-probe', title: 'Linear probe vs zero-shot',
    note: 'Logistic-regression probe on image embeddings (CLIP paper protocol), scored on the test set (ID) and its shifted variants; effective robustness of both lines against the report\'s baseline fit for that shift (– when the zero-shot results give no fit).',
    headers: ['Model', 'Dataset', 'Train', 'k', 'C', 'Probe top-1 (%) [95 % CI]', 'Probe macro-F1', 'Probe ER (pts)', 'Zero-shot top-1 (%)', 'Zero-shot ER (pts)'], rows,
  };
}

function multilabelTable(tasks: readonly TaskResult[]): TaskTable | null {
  const list = tasks.filter((t) => t.multilabel);
  if (list.length === 0) return null;
  return {
    id: 'multilabel', title: 'Multi-label classification',
    note: 'CLIP_benchmark\'s voc2007_multilabel: mean over classes of the non-interpolated average precision; Δ is the shifted mAP minus the clean one, in points.',
    headers: ['Model', 'Dataset', 'Shift', 'Images', 'mAP (%)', 'Δ mAP (pts)', 'Lowest-AP classes', 'Partial'],
    rows: list.map((t) => [modelLabel(t.model), t.dataset.name, shiftsText(t), String(t.multilabel!.n), pct(t.multilabel!.meanAveragePrecision), dropFromClean(t, list, (r) => r.multilabel?.meanAveragePrecision),
      [...t.multilabel!.perClass].sort((a, b) => a.ap - b.ap).slice(0, 3).map((c) => `${c.name} ${pct(c.ap)}`).join(', '), t.partial ? 'yes' : '']),
  };
}

function selectionTable(tasks: readonly TaskResult[]): TaskTable | null {
  const list = tasks.filter((t) => t.selection);
  if (list.length === 0) return null;
  return {
    id: 'caption-selection', title: 'Image–caption selection',
    note: 'CLIP_benchmark\'s image_caption_selection (SugarCrepe, Winoground): per instance, text acc = every image\'s best caption is its own, image acc = every caption\'s best image is its own, acc = both; 95 % Clopper–Pearson intervals; Δ is the shifted acc minus the clean one, in points.',
    headers: ['Model', 'Dataset', 'Shift', 'Instances', 'Text acc (%)', 'Image acc (%)', 'Acc (%) [95 % CI]', 'Δ acc (pts)', 'Partial'],
    rows: list.map((t) => {
      const s = t.selection!;
      return [modelLabel(t.model), t.dataset.name, shiftsText(t), String(s.n), pct(s.textAcc.value), pct(s.imageAcc.value), `${pct(s.acc.value)} ${ciText(s.acc.ci)}`, dropFromClean(t, list, (r) => r.selection?.acc.value), t.partial ? 'yes' : ''];
    }),
  };
}

function averagesTable(a: SuiteAverages): TaskTable {
  return {
    id: 'suite-averages', title: `${a.suite} averages`, note: a.note,
    headers: ['Model', ...a.groups.map((g) => `${g} (%)`), 'Tasks missing'],
    rows: a.rows.map((r) => [r.model, ...r.values.map((v, i) => `${dash(v)}${r.coverage[i] ? ` (${r.coverage[i]})` : ''}`), String(r.missing)]),
  };
}

/** The averages table's rows from a suite-averages file (eval --suite datacomp-38, or a suite's `averages`). */
export function suiteAveragesFrom(file: SuiteAveragesFile): SuiteAverages {
  const metrics = [...new Set(Object.values(file.metrics ?? {}))];
  const rule = file.rule
    ? `Each average is the ${file.rule}${metrics.length ? ` (${metrics.join(', ')})` : ''}.`
    : 'Mean of each group\'s tasks\' main metric (DataComp\'s aggregate_scores.py); a group with tasks missing averages the ones evaluated (DataComp requires all).';
  return {
    suite: file.suite,
    note: `${rule}${file.limit ? ` Partial: --limit ${file.limit.n}.` : ''}`,
    groups: file.groups,
    rows: file.models.map((m) => ({ model: m.model, values: file.groups.map((g) => m.averages[g] ?? undefined), coverage: file.groups.map((g) => meanCoverage(file, m, g)), missing: new Set(Object.values(m.missing).flat()).size })),
  };
}

/**
 * summary.csv rows of the averages, in its columns: `dataset` names the suite and group
 * (`datacomp-38: VTAB`), `acc1` holds the average, `n` the tasks averaged.
 */
export function suiteAverageCsvRows(file: SuiteAveragesFile): Record<string, string | number>[] {
  return file.models.flatMap((m) => file.groups.map((g) => ({
    result_id: '', model: m.model, prompts: '', dataset: `${file.suite}: ${g}`, family: '', variant: '', corruption: '', severity: '',
    n: Object.keys(m.scores).length, acc1: m.averages[g] ?? '', suite_average: g, tasks_missing: m.missing[g]?.length ?? 0,
  })));
}

/** The section's tables, in reading order; empty when there is nothing beyond top-1. */
export function taskTables(results: readonly Result[], tasks: readonly TaskResult[], groups: readonly RobustnessGroup[], averages?: SuiteAverages, ceBaseline: string | null = null): TaskTable[] {
  return [averages ? averagesTable(averages) : null, worstGroupTable(results, tasks), probeTable(tasks, groups), retrievalTable(tasks), retrievalCorruptionTable(tasks, ceBaseline), selectionTable(tasks), multilabelTable(tasks), ...oodTables(tasks)].filter((t): t is TaskTable => t !== null);
}

/** report.md lines of the section. */
export function taskSectionMarkdown(tables: readonly TaskTable[]): string[] {
  const out: string[] = [];
  for (const t of tables) {
    out.push(`## ${m(t.title)}`, '', m(t.note), '', `| ${t.headers.map(m).join(' | ')} |`, `|${t.headers.map(() => '---').join('|')}|`);
    for (const r of t.rows) out.push(`| ${r.map(m).join(' | ')} |`);
    out.push('');
  }
  return out;
}

/** report.html sections (sortable tables, as the rest of the page), each with its chart when it names one. */
export function taskSectionHtml(tables: readonly TaskTable[], charts: readonly ReportChart[] = []): string {
  return tables.map((t) => `<section id="${e(t.id)}"><h2>${e(t.title)}</h2><p class="note">${e(t.note)}</p><div class="scroll"><table class="sortable"><thead><tr>${t.headers.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>
${t.rows.map((r) => `<tr>${r.map((c, i) => `<td${i >= 3 && /^[−+\-–\d]/.test(c) ? ' class="num"' : ''}>${e(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></div>${tableChart(t, charts)}</section>`).join('\n');
}

function tableChart(t: TaskTable, charts: readonly ReportChart[]): string {
  const c = t.chart ? charts.find((x) => x.spec.name === t.chart) : undefined;
  return c ? `<figure><img src="${c.pngDataUri}" alt="${e(c.spec.caption)}" width="${c.spec.width}" height="${c.spec.height}"><figcaption>${e(c.spec.caption)} <a href="${e(c.svgFile)}">SVG</a></figcaption></figure>` : '';
}
