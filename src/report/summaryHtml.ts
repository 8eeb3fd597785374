import { escapeHtml as e } from './format.js';
import { ciText, pct, signedPoints } from '../util/numberFormat.js';
import type { ModelSummaryRow } from './modelSummary.js';
import type { ReportContent } from './reportContent.js';
import { NaNotes, meanErNaReason } from './naNotes.js';
import { BENCHMARK_CORRUPTIONS } from './alexnetErrors.js';
import { coverage, headlineText, MIXED_NOTE, mixedCoverage, pickHeadline } from './headline.js';

/**
 * The first screen: one row per model (and prompt set, and family) with ID accuracy, mean OOD
 * accuracy over natural shifts, mean effective robustness ± 95 % CI, and mCE; then one sentence
 * naming the most effectively robust model. Every number carries `data-result-id` (the ID
 * result's id), `data-metric` and `data-value` (the exact fraction) so tests read them back.
 */
export function summaryHtml(content: ReportContent): string {
  const rows = content.summary;
  if (rows.length === 0) return '<section id="summary"><h2>Summary</h2><p>No in-distribution results: evaluate each model on its family\'s standard set to get a summary.</p></section>';
  const withRel = content.reference !== undefined;
  const showPrompts = new Set(rows.map((r) => r.prompts)).size > 1;
  const showFamily = new Set(rows.map((r) => r.family)).size > 1;
  const headers = ['Model', ...(showPrompts ? ['Prompts'] : []), ...(showFamily ? ['Dataset'] : []), 'ID acc % [95 % CI]', 'Mean OOD acc %', 'Eff. robustness, pts [95 % CI]', ...(withRel ? [`vs ${content.reference}, pts`] : []), 'mCE %', 'Rel. mCE %', 'Mean corruption acc %'];
  const num = (r: ModelSummaryRow, metric: string, v: number | null, text: (v: number) => string = pct, ci = ''): string =>
    v === null ? '<td class="num">–</td>' : `<td class="num" data-result-id="${e(r.id.id)}" data-metric="${metric}" data-value="${v}">${e(text(v))}${ci ? ` <span class="ci">${e(ci)}</span>` : ''}</td>`;
  const na = new NaNotes();
  const over = (items: readonly string[], of: readonly string[]): string => ` <span class="ci over">on ${e(coverage(items, of))}</span>`;
  const meanEr = (r: ModelSummaryRow): string => r.meanEr === null
    ? na.cellHtml(meanErNaReason(r.natural)).replace('<td class="na"', '<td class="num na"')
    : num(r, 'meanEffectiveRobustness', r.meanEr, signedPoints, r.meanErCi ? `[${signedPoints(r.meanErCi[0])}, ${signedPoints(r.meanErCi[1])}]` : '').replace(/<\/td>$/, `${over(r.erShifts, r.familyShifts)}</td>`);
  const meanOod = (r: ModelSummaryRow): string => num(r, 'meanOodAcc1', r.meanOod).replace(/<\/td>$/, r.meanOod === null ? '</td>' : `${over(r.oodShifts, r.familyShifts)}</td>`);
  const mce = (r: ModelSummaryRow, metric: 'mce' | 'relativeMce'): string => num(r, metric, r.corruption?.[metric] ?? null)
    .replace(/<\/td>$/, r.corruption?.[metric] != null ? ` <span class="ci over">${r.corruption.mceCorruptions.length} of ${BENCHMARK_CORRUPTIONS.length} corruptions</span></td>` : '</td>');
  const meanCorruption = (r: ModelSummaryRow): string => num(r, 'meanCorruptionAcc1', r.corruption?.meanCorruptionAccuracy ?? null)
    .replace(/<\/td>$/, r.corruption ? ` <span class="ci over">${r.corruption.meanCorruptionCount} corruption × severity results</span></td>` : '</td>');
  const body = rows.map((r) => {
    return `<tr><th scope="row">${e(r.model)}</th>${showPrompts ? `<td>${e(r.prompts)}</td>` : ''}${showFamily ? `<td>${e(r.family)}</td>` : ''}`
      + num(r, 'acc1', r.id.metrics.acc1, pct, ciText(r.id.metrics.acc1Ci))
      + meanOod(r)
      + meanEr(r)
      + (withRel ? num(r, 'meanRelativeRobustness', r.meanRelative, signedPoints) : '')
      + mce(r, 'mce') + mce(r, 'relativeMce') + meanCorruption(r)
      + '</tr>';
  });
  const shifts = [...new Set(rows.flatMap((r) => r.natural.map((n) => n.result.dataset.variant ?? n.result.dataset.name)))];
  const normalisers = [...new Set(rows.map((r) => r.corruption?.normaliser).filter((n): n is string => !!n))];
  const t = content.analysis.transform;
  return `<section id="summary"><h2>Summary</h2>${takeaway(rows)}
<div class="scroll"><table class="sortable summary"><thead><tr>${headers.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>
${body.join('\n')}
</tbody></table></div>${na.listHtml()}${mixedCoverage(rows) ? `<p class="note mixed">${e(MIXED_NOTE)}</p>` : ''}
<p class="note">OOD = the natural shifts ${e(shifts.join(', ') || '(none evaluated)')}; effective robustness (Taori et al. 2020) is OOD accuracy minus what the baseline line predicts from ID accuracy on ${t} axes, averaged over those shifts, with a 95 % bootstrap CI (${content.analysis.replicates} resamples of baseline models and test items, seed ${content.analysis.seed}). mCE: corruption error relative to ${e(normalisers.join('; ') || 'no normaliser (pass --ce-baseline MODEL)')}, lower is better (Hendrycks &amp; Dietterich 2019).</p></section>`;
}

/** One sentence: the model furthest above the baseline line among comparable rows, and by how much. */
function takeaway(rows: readonly ModelSummaryRow[]): string {
  const h = pickHeadline(rows);
  return h ? `<p class="takeaway">${headlineText(h, (s) => `<strong>${e(s)}</strong>`, e)}</p>` : '';
}
