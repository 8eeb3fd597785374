import type { Result } from '../results/schema.js';
import type { TaskResult } from '../results/envelope.js';
import { shiftText } from './format.js';
import { isPartialResult, partialText } from '../results/partial.js';
import type { ChartSpec } from './charts/render.js';
import type { GallerySection } from './gallery.js';
import type { RobustnessAnalysis, RobustnessGroup, RobustnessRow } from './robustnessTable.js';
import type { CorruptionSummary } from './corruptionErrors.js';
import type { ModelSummaryRow } from './modelSummary.js';
import { compareResults, distinct, isInDistribution } from './conditions.js';
import type { TaskTable } from './taskSection.js';
import type { TextShiftSummary } from './textShiftHeatmap.js';

/** A rendered chart as the writers need it: relative file path and embedded PNG. */
export interface ReportChart {
  spec: ChartSpec;
  pngFile: string;
  svgFile: string;
  pngDataUri: string;
}

/** Everything the HTML and Markdown writers show, computed once. */
export interface ReportContent {
  title: string;
  generatedAt: string;
  results: Result[];
  groups: RobustnessGroup[];
  charts: ReportChart[];
  gallery: GallerySection[];
  /** Whether thumbnails were requested (to explain missing images). */
  thumbnailsEnabled: boolean;
  reference?: string;
  /** First-screen rows: one per model, prompt set and family. */
  summary: ModelSummaryRow[];
  /** mCE and per-corruption scores per run. */
  corruption: CorruptionSummary[];
  /** The heatmap image files of `corruption[i]` (relative paths), when written. */
  heatmapImages?: { png: string; svg: string; caption: string }[];
  analysis: RobustnessAnalysis;
  /** Text-shift heatmaps (src/report/textShiftHeatmap.ts); the text-shifted results are in no other section. */
  textShifts?: TextShiftSummary[];
  /** Worst-group, probe, retrieval, multi-label and suite-average tables (src/report/taskSection.ts). */
  tasks?: TaskTable[];
  /** The first screen's sentence of what was measured (tasks, models, datasets, shifts): measuredSentence. */
  measured?: string;
  /** Task results the report read (the first screen counts them beside classification results). */
  taskCount?: number;
  /** Task results partial under --limit, for the first screen's partial sentence beside classification's. */
  partialTasks?: string | null;
}

const TASK_NAMES: Record<string, string> = {
  zeroshot_classification: 'zero-shot classification', zeroshot_retrieval: 'zero-shot retrieval', multilabel: 'multi-label classification',
  linear_probe: 'linear probe', image_caption_selection: 'image–caption selection', zeroshot_ood: 'zero-shot OOD detection',
};

const listed = (items: readonly string[]): string => (items.length > 6 ? `${items.slice(0, 6).join(', ')}, and ${items.length - 6} more` : items.join(', '));
const counted = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * What a report measured, for its first screen: `Measured: zero-shot retrieval (2 results) and
 * linear probe (4 results) of 1 model (tiny-clip-shapes) on 3 datasets (…) under 2 conditions
 * (none, contrast@5).` Conditions name the image shift and, when present, the text shift.
 */
export function measuredSentence(results: readonly Result[], tasks: readonly TaskResult[]): string {
  const all: { task: string; model: string; dataset: string; condition: string }[] = [
    ...results.map((r) => ({ task: 'zeroshot_classification', model: r.model.name, dataset: r.dataset.name, condition: conditionOf(r) })),
    ...tasks.map((t) => ({ task: t.task, model: t.model.name, dataset: t.dataset.name, condition: conditionOf(t) })),
  ];
  if (all.length === 0) return 'Measured: nothing.';
  const order = Object.keys(TASK_NAMES);
  const byTask = distinct(all.map((a) => a.task)).sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((task) => `${TASK_NAMES[task] ?? task} (${counted(all.filter((a) => a.task === task).length, 'result', 'results')})`);
  const models = distinct(all.map((a) => a.model)).sort();
  const datasets = distinct(all.map((a) => a.dataset)).sort();
  const conditions = distinct(all.map((a) => a.condition)).sort((a, b) => (a === 'none' ? -1 : b === 'none' ? 1 : a.localeCompare(b)));
  const tasksText = byTask.length > 1 ? `${byTask.slice(0, -1).join(', ')} and ${byTask[byTask.length - 1]}` : byTask[0];
  return `Measured: ${tasksText} of ${counted(models.length, 'model', 'models')} (${listed(models)}) on ${counted(datasets.length, 'dataset', 'datasets')} (${listed(datasets)}) under ${counted(conditions.length, 'condition', 'conditions')} (${listed(conditions)}).`;
}

function conditionOf(r: { shift: { corruption: string; severity: number } | null; textShift?: { name: string; severity: number } }): string {
  return r.textShift ? `${shiftText(r.shift)} · text ${r.textShift.name}:${r.textShift.severity}` : shiftText(r.shift);
}

/** `1 of 4 task results are partial (--limit): …`, or null when none is. */
export function partialTasksSentence(tasks: readonly TaskResult[]): string | null {
  const partial = tasks.filter((t) => t.partial);
  if (partial.length === 0) return null;
  const sets = distinct(partial.map((t) => (t.limit ? `${t.dataset.name} ${t.limit.n} of ${t.limit.of} items (--limit ${t.limit.n}, seed ${t.limit.seed})` : `${t.dataset.name} (another set it read was cut by --limit)`))).sort();
  return `${partial.length} of ${tasks.length} task results are partial (--limit): ${listed(sets)}. Their numbers describe that seeded sample, not the whole dataset.`;
}

/** `from 3 results` / `from 0 classification results and 6 task results`: the first screen's count. */
export function resultCountText(content: Pick<ReportContent, 'results' | 'taskCount'>): string {
  const tasks = content.taskCount ?? 0;
  return tasks === 0 ? `${content.results.length} results` : `${content.results.length} classification results and ${tasks} task results`;
}

/** Headline rows: natural (non-corruption) shifts, ordered by model then condition. */
export function headlineRows(content: ReportContent): RobustnessRow[] {
  return content.groups
    .filter((g) => !g.isCorruption)
    .flatMap((g) => g.rows)
    .sort((a, b) => compareResults(a.result, b.result));
}

/** Every robustness row (natural shifts and corruptions). */
export function allRobustnessRows(content: ReportContent): RobustnessRow[] {
  return content.groups.flatMap((g) => g.rows).sort((a, b) => compareResults(a.result, b.result));
}

/** Short facts for the summary: models, datasets, prompt sets, ID results. */
export function overview(results: readonly Result[]): { models: string[]; datasets: string[]; prompts: string[]; corruptions: string[]; idResults: Result[] } {
  return {
    models: distinct(results.map((r) => r.model.name)).sort(),
    datasets: distinct(results.map((r) => r.dataset.name)).sort(),
    prompts: distinct(results.map((r) => r.prompts.name)).sort(),
    corruptions: distinct(results.filter((r) => r.shift).map((r) => r.shift!.corruption)).sort(),
    idResults: results.filter(isInDistribution).sort(compareResults),
  };
}

/**
 * The sentence that flags `--limit` results, or null when every result covers its whole dataset:
 * `2 of 5 results are partial (--limit): shapes-standard 20 of 200 items (--limit 20, seed 0); …
 * their numbers describe that seeded sample, not the whole dataset.`
 */
export function partialSentence(results: readonly Result[]): string | null {
  const partial = results.filter(isPartialResult);
  if (partial.length === 0) return null;
  const sets = distinct(partial.map((r) => `${r.dataset.name} ${partialText(r)}`)).sort();
  const listed = sets.length > 3 ? `${sets.slice(0, 3).join('; ')}; and ${sets.length - 3} more` : sets.join('; ');
  return `${partial.length} of ${results.length} results are partial (--limit): ${listed}. Their numbers describe that seeded sample, not the whole dataset.`;
}

/** Robustness rows of corrupted conditions (synthetic shifts and published -C variants). */
export function corruptionRobustnessRows(content: ReportContent): RobustnessRow[] {
  return content.groups.filter((g) => g.isCorruption).flatMap((g) => g.rows).sort((a, b) => compareResults(a.result, b.result));
}
