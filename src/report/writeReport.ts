import { join } from 'node:path';
import type { Prediction, Result } from '../results/schema.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { allCharts } from './charts/allCharts.js';
import { oodRocCharts } from './oodSection.js';
import { renderChart } from './charts/render.js';
import { compareResults } from './conditions.js';
import { buildGallery, type ThumbnailResolver } from './gallery.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { measuredSentence, partialTasksSentence, type ReportChart, type ReportContent } from './reportContent.js';
import { DEFAULT_ANALYSIS, robustnessGroups, type BaselineChoice } from './robustnessTable.js';
import { renderSummaryCsv } from './summaryCsv.js';
import { corruptionSummaries } from './corruptionErrors.js';
import type { AxisTransform } from './effectiveRobustness.js';
import { gallerySelection } from './gallerySelection.js';
import { modelSummaryRows, summaryRunKeys } from './modelSummary.js';
import { MAX_SERIES } from './charts/palette.js';
import { heatmapFiles } from './heatmapFiles.js';
import { textShiftSummaries } from './textShiftHeatmap.js';
import type { TaskResult } from '../results/envelope.js';
import { suiteAverageCsvRows, suiteAveragesFrom, taskTables } from './taskSection.js';
import type { SuiteAveragesFile } from '../results/suiteAverages.js';
import Papa from 'papaparse';
import { toCsv } from '../util/csv.js';

export interface WriteReportOptions {
  outDir: string;
  /** `own` (default), `testbed`, `clip-benchmark`, or a CSV path with model, id, ood columns. */
  baseline?: BaselineChoice;
  title?: string;
  /** Item images for the failure gallery; without it the gallery shows labels and predictions only. */
  thumbnails?: ThumbnailResolver;
  /** Per-item predictions keyed by result id (from `loadResults`); the gallery needs them. */
  predictions?: ReadonlyMap<string, Prediction[]>;
  /** Model (or `model · prompts`) for relative robustness. */
  reference?: string;
  /** Models left out of the own-models baseline fit (they are still plotted and measured). */
  excludeFromFit?: string[];
  /** Axes the baseline line is straight on (default logit). */
  transform?: AxisTransform;
  /** Bootstrap replicates for ER intervals and the fit band (default 1000; 0: none). */
  replicates?: number;
  /** Bootstrap seed (default 0). */
  seed?: number;
  /** Model whose corruption errors normalise CE/mCE outside ImageNet (ImageNet uses AlexNet's published errors). */
  ceBaseline?: string;
  /** Fixed timestamp for reproducible output; defaults to now. */
  generatedAt?: string;
  /** Retrieval, probe and multi-label results read beside the classification results. */
  taskResults?: TaskResult[];
  /** Suite averages (DataComp's groups, from eval --suite datacomp-38) to show and append to summary.csv. */
  suiteAverages?: SuiteAveragesFile;
}

/** Paths of everything written. */
export interface WrittenReport {
  html: string;
  md: string;
  csv: string;
  /** PNG and SVG files under `outDir/charts`. */
  charts: string[];
  /** The corruption heatmaps as PNG and SVG files under `outDir/charts` (`heatmap-*`). */
  heatmaps: string[];
}

/**
 * Writes report.html (self-contained), report.md, summary.csv, charts/*.png|svg and the
 * corruption heatmaps as charts/heatmap-*.png|svg into
 * `outDir`, each atomically.
 */
export async function writeReport(results: Result[], options: WriteReportOptions): Promise<WrittenReport> {
  // Text-shifted results get their own heatmaps: every other section measures image shifts against clean texts.
  const all = [...results].sort(compareResults);
  const sorted = all.filter((r) => !r.textShift);
  const analysis = { transform: options.transform ?? DEFAULT_ANALYSIS.transform, replicates: options.replicates ?? DEFAULT_ANALYSIS.replicates, seed: options.seed ?? DEFAULT_ANALYSIS.seed };
  const groups = robustnessGroups(sorted, options.baseline ?? 'own', options.reference, options.excludeFromFit, analysis);
  const corruption = corruptionSummaries(sorted, { ceBaseline: options.ceBaseline });
  const summary = modelSummaryRows(sorted, groups, corruption);
  // One colour per run (`model · prompts`) in every chart, in summary order.
  const colourIndex = new Map(summaryRunKeys(summary).slice(0, MAX_SERIES).map((k, i) => [k, i] as const));
  const chartFiles: string[] = [];
  const charts: ReportChart[] = [];
  for (const spec of [...allCharts(sorted, groups, colourIndex), ...oodRocCharts(options.taskResults ?? [])]) {
    const rendered = renderChart(spec);
    const pngFile = `charts/${spec.name}.png`;
    const svgFile = `charts/${spec.name}.svg`;
    await writeFileAtomic(join(options.outDir, pngFile), rendered.png);
    await writeFileAtomic(join(options.outDir, svgFile), rendered.svg);
    chartFiles.push(join(options.outDir, pngFile), join(options.outDir, svgFile));
    charts.push({ spec: rendered.spec, pngFile, svgFile, pngDataUri: `data:image/png;base64,${rendered.png.toString('base64')}` });
  }
  const heatmapPaths: string[] = [];
  const heatmapImages: NonNullable<ReportContent['heatmapImages']> = [];
  for (const h of heatmapFiles(corruption)) {
    const png = `charts/${h.stem}.png`;
    const svg = `charts/${h.stem}.svg`;
    await writeFileAtomic(join(options.outDir, png), h.png);
    await writeFileAtomic(join(options.outDir, svg), h.svg);
    heatmapPaths.push(join(options.outDir, png), join(options.outDir, svg));
    heatmapImages.push({ png, svg, caption: h.caption });
  }
  const content: ReportContent = {
    title: options.title ?? 'zeroshift report',
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    results: sorted,
    groups,
    charts,
    gallery: await buildGallery(gallerySelection(sorted), options.predictions ?? new Map(), options.thumbnails),
    thumbnailsEnabled: options.thumbnails !== undefined,
    reference: options.reference,
    summary,
    corruption,
    heatmapImages,
    textShifts: textShiftSummaries(all),
    analysis,
    measured: measuredSentence(sorted, options.taskResults ?? []),
    taskCount: (options.taskResults ?? []).length,
    partialTasks: partialTasksSentence(options.taskResults ?? []),
    tasks: taskTables(sorted, options.taskResults ?? [], groups, options.suiteAverages ? suiteAveragesFrom(options.suiteAverages) : undefined, options.ceBaseline ?? null),
  };
  const out = { html: join(options.outDir, 'report.html'), md: join(options.outDir, 'report.md'), csv: join(options.outDir, 'summary.csv') };
  await writeFileAtomic(out.html, renderHtml(content));
  await writeFileAtomic(out.md, renderMarkdown(content));
  const csv = renderSummaryCsv(sorted, groups, corruption, summary);
  await writeFileAtomic(out.csv, options.suiteAverages ? withAverageRows(csv, suiteAverageCsvRows(options.suiteAverages)) : csv);
  return { ...out, charts: chartFiles, heatmaps: heatmapPaths };
}

/** summary.csv with the suite-average rows after the result rows (new columns appended, blank in the result rows). */
function withAverageRows(csv: string, extra: Record<string, string | number>[]): string {
  const rows = Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;
  const all: Record<string, string | number>[] = [...rows, ...extra];
  const columns = [...new Set(all.flatMap((r) => Object.keys(r)))];
  return toCsv(all, { columns });
}
