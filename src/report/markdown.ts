import { conditionLabel } from './conditions.js';
import { modelLabel } from '../results/modelLabel.js';
import { escapeMd as m, shiftText } from './format.js';
import { ciText, pct, signedPoints } from '../util/numberFormat.js';
import { BENCHMARK_CORRUPTIONS } from './alexnetErrors.js';
import { mceCoverage } from './corruptionErrors.js';
import { coverage, headlineText, MIXED_NOTE, mixedCoverage, pickHeadline } from './headline.js';
import { heatmapMarkdown } from './heatmap.js';
import { textShiftHeatmapMarkdown } from './textShiftHeatmap.js';
import { corruptionRobustnessRows, headlineRows, overview, partialSentence, resultCountText, type ReportContent } from './reportContent.js';
import { isPartialResult } from '../results/partial.js';
import type { RobustnessRow } from './robustnessTable.js';
import { NaNotes, meanErNaReason } from './naNotes.js';
import { taskSectionMarkdown } from './taskSection.js';

function mdTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const ciPts = (ci: [number, number] | null): string => (ci ? `[${signedPoints(ci[0])}, ${signedPoints(ci[1])}]` : 'n/a');
const orDash = (v: number | null | undefined, f: (v: number) => string = pct): string => (v === null || v === undefined ? '–' : f(v));

function robustnessRows(rows: RobustnessRow[], na: NaNotes): string[][] {
  return rows.map((r) => [
    m(modelLabel(r.result.model)), m(r.result.prompts.name), m(conditionLabel(r.result)),
    pct(r.idResult.metrics.acc1), pct(r.result.metrics.acc1), ciText(r.result.metrics.acc1Ci),
    r.effectiveRobustness === null ? na.cellMd(r.naReasons?.er) : signedPoints(r.effectiveRobustness),
    r.erCi ? ciPts(r.erCi) : na.cellMd(r.naReasons?.erCi),
  ]);
}

/** A robustness table with the reasons of its n/a cells under it. */
function robustnessMd(rows: RobustnessRow[]): string[] {
  const na = new NaNotes();
  const table = mdTable(ROBUSTNESS_HEADERS, robustnessRows(rows, na));
  const notes = na.listMd();
  return notes.length ? [table, '', ...notes] : [table];
}

const ROBUSTNESS_HEADERS = ['Model', 'Prompts', 'Shift', 'ID acc (%)', 'OOD acc (%)', 'OOD 95 % CI', 'Eff. robustness (pts)', 'ER 95 % CI'];

function summaryTable(content: ReportContent): string[] {
  const na = new NaNotes();
  const withRel = content.reference !== undefined;
  const headers = ['Model', 'Prompts', 'Dataset', 'ID acc (%)', 'ID 95 % CI', 'Mean OOD acc (%)', 'Eff. robustness (pts)', 'ER 95 % CI', ...(withRel ? [`vs ${m(content.reference!)} (pts)`] : []), 'mCE (%)', 'Rel. mCE (%)', 'Mean corruption acc (%)'];
  const over = (items: readonly string[], of: readonly string[]): string => ` (on ${m(coverage(items, of))})`;
  const ofMce = (v: number | null | undefined, r: (typeof content.summary)[number]): string => (v == null ? '–' : `${pct(v)} (${r.corruption!.mceCorruptions.length} of ${BENCHMARK_CORRUPTIONS.length} corruptions)`);
  const table = mdTable(headers, content.summary.map((r) => [
    m(r.model), m(r.prompts), m(r.family), pct(r.id.metrics.acc1), ciText(r.id.metrics.acc1Ci), r.meanOod === null ? '–' : `${pct(r.meanOod)}${over(r.oodShifts, r.familyShifts)}`,
    r.meanEr === null ? na.cellMd(meanErNaReason(r.natural)) : `${signedPoints(r.meanEr)}${over(r.erShifts, r.familyShifts)}`, r.meanEr === null ? '–' : ciPts(r.meanErCi),
    ...(withRel ? [orDash(r.meanRelative, signedPoints)] : []),
    ofMce(r.corruption?.mce, r), ofMce(r.corruption?.relativeMce, r),
    r.corruption ? `${pct(r.corruption.meanCorruptionAccuracy)} (${r.corruption.meanCorruptionCount} corruption × severity results)` : '–',
  ]));
  const notes = na.listMd();
  const h = pickHeadline(content.summary);
  const lead = h ? [headlineText(h, (x) => `**${m(x)}**`, m), ''] : [];
  const mixed = mixedCoverage(content.summary) ? ['', m(MIXED_NOTE)] : [];
  return [...lead, table, ...(notes.length ? ['', ...notes] : []), ...mixed];
}

/** The charts, linked as `charts/*.png` (a task-only report has its tasks' charts, such as OOD ROC curves). */
function chartsMd(content: ReportContent): string[] {
  if (content.charts.length === 0 && content.results.length === 0) return [];
  return ['## Charts', '', ...content.charts.flatMap((c) => [`![${m(c.spec.caption)}](${c.pngFile})`, '', `*${m(c.spec.caption)}* ([SVG](${c.svgFile}))`, ''])];
}

/** The Markdown report: the HTML's summary and heatmaps as tables, charts linked as `charts/*.png`. */
export function renderMarkdown(content: ReportContent): string {
  const o = overview(content.results);
  const partial = partialSentence(content.results);
  const head: string[] = [`# ${m(content.title)}`, '', `Generated ${content.generatedAt} from ${resultCountText(content)}.`, '', ...(content.measured ? [m(content.measured), ''] : []), ...(partial ? [`**${m(partial)}**`, ''] : []), ...(content.partialTasks ? [`**${m(content.partialTasks)}**`, ''] : [])];
  // Task results only: no classification summary to show, the task tables come first.
  if (content.results.length === 0 && (content.taskCount ?? 0) > 0) return `${[...head, ...taskSectionMarkdown(content.tasks ?? []), ...chartsMd(content)].join('\n').trimEnd()}\n`;
  const out: string[] = [...head, '## Summary', ''];
  out.push(...summaryTable(content), '');
  out.push(`Effective robustness: OOD accuracy minus the accuracy a least-squares line through the baseline models predicts on ${content.analysis.transform} axes (Taori et al. 2020), mean over the natural shifts, 95 % bootstrap CI (${content.analysis.replicates} resamples of baseline models and test items, seed ${content.analysis.seed}). mCE: corruption error relative to ${m([...new Set(content.corruption.map((s) => s.normaliser ?? 'no normaliser'))].join('; ') || 'n/a')} (Hendrycks & Dietterich 2019), lower is better.`, '');
  out.push(`- **Models:** ${o.models.map(m).join(', ')}`, `- **Datasets:** ${o.datasets.map(m).join(', ')}`, `- **Prompt sets:** ${o.prompts.map(m).join(', ')}`);
  out.push(`- **Corruptions:** ${o.corruptions.map(m).join(', ') || 'none'}`, `- **Baseline:** ${[...new Set(content.groups.map((g) => m(g.baselineSource)))].join('; ') || 'n/a'}`, '');
  out.push('## Effective robustness on natural shifts', '', ...robustnessMd(headlineRows(content)), '');
  if (content.corruption.length) {
    out.push('## Corruptions', '', 'Top-1 accuracy (%) per corruption and severity; CE = error summed over severities ÷ the normaliser\'s (%); † held out of mCE.', '');
    content.corruption.forEach((s, i) => {
      out.push(heatmapMarkdown(s), '');
      const img = content.heatmapImages?.[i];
      if (img) out.push(`![${m(img.caption)}](${img.png}) ([SVG](${img.svg}))`, '');
    });
    for (const n of new Set(content.corruption.map((s) => s.note).filter((x): x is string => !!x))) out.push(`mCE n/a: ${m(n)}`, '');
    for (const s of content.corruption.filter((c) => c.normaliser !== null && c.mceLeftOut.length > 0)) out.push(m(mceCoverage(s)), '');
  }
  if (content.textShifts?.length) {
    out.push('## Text shifts', '', 'Top-1 accuracy (%) with the texts the model reads perturbed (--text-shift), per shift and severity, with the relative drop against the same run without the text shift (base %).', '');
    for (const s of content.textShifts) out.push(textShiftHeatmapMarkdown(s), '');
  }
  out.push(...taskSectionMarkdown(content.tasks ?? []));
  out.push(...chartsMd(content));
  const corr = corruptionRobustnessRows(content);
  if (corr.length) out.push('## Corruptions: effective robustness', '', ...robustnessMd(corr), '');
  out.push('## All results', '', mdTable(['Model', 'Prompts', 'Dataset', 'Corruption', 'n', 'Top-1 (%)', '95 % CI', 'Top-5 (%)', 'ECE'],
    content.results.map((r) => [m(modelLabel(r.model)), m(r.prompts.name), m(r.dataset.name), m(shiftText(r.shift)), `${r.metrics.n}${isPartialResult(r) ? ' (partial)' : ''}`, pct(r.metrics.acc1), ciText(r.metrics.acc1Ci), r.metrics.acc5 === undefined ? '' : pct(r.metrics.acc5), r.metrics.ece.toFixed(3)])), '');
  if (content.gallery.length) {
    out.push('## Failure gallery', '', 'Most confident mistakes under the shifts that cost most accuracy (images in report.html).', '');
    for (const s of content.gallery) {
      out.push(`### ${m(s.result.model.name)} · ${m(s.result.prompts.name)} · ${m(conditionLabel(s.result))}`, '',
        mdTable(['Item', 'True', 'Top-3 predictions'], s.items.map((it) => [m(it.id), m(it.label), it.top3.map((p) => `${m(p.name)} (${(p.score * 100).toFixed(1)} %)`).join(', ')])), '');
    }
  }
  out.push('## Run details', '', mdTable(['Model', 'Vision hash', 'Dataset', 'n', 'Fingerprint', 'Ensembling', 'Templates', 'Date', 'Command'],
    content.results.map((r) => [m(modelLabel(r.model)), r.model.hashes.visionModel.slice(0, 12), m(r.dataset.name), String(r.metrics.n), r.dataset.fingerprint.slice(0, 12), r.prompts.ensembling, String(r.prompts.templates.length), r.createdAt, m(r.command.join(' '))])), '');
  const skipped = content.results.flatMap((r) => r.skipped.map((s) => [m(r.dataset.name), m(r.model.name), m(s.id), m(s.reason)]));
  out.push(`### Skipped items (${skipped.length})`, '', skipped.length ? mdTable(['Dataset', 'Model', 'Item', 'Reason'], skipped) : 'None.', '');
  return out.join('\n');
}
