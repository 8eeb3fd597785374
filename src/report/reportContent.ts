import type { Result } from '../results/schema.js';
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
