import { modelLabel } from '../results/modelLabel.js';
import type { Result } from '../results/schema.js';
import { conditionLabel } from './conditions.js';
import { escapeHtml as e, shiftText } from './format.js';
import { ciText, pct, signedPoints } from '../util/numberFormat.js';
import { mceCoverage } from './corruptionErrors.js';
import { MIN_FIT_POINTS } from './effectiveRobustness.js';
import { heatmapHtml } from './heatmap.js';
import { textShiftHeatmapHtml } from './textShiftHeatmap.js';
import { HTML_SCRIPT, HTML_STYLE } from './htmlAssets.js';
import { corruptionRobustnessRows, headlineRows, overview, partialSentence, resultCountText, type ReportChart, type ReportContent } from './reportContent.js';
import { isPartialResult } from '../results/partial.js';
import type { RobustnessRow } from './robustnessTable.js';
import { summaryHtml } from './summaryHtml.js';
import { taskSectionHtml } from './taskSection.js';
import { NaNotes } from './naNotes.js';

/** A number with stable attributes so tests and scripts can read it back. */
export function metricCell(resultId: string, metric: string, value: number, text = pct(value)): string {
  return `<td class="num" data-result-id="${e(resultId)}" data-metric="${e(metric)}" data-value="${value}">${e(text)}</td>`;
}

export function table(headers: string[], rows: string[], caption?: string): string {
  const head = headers.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  return `<div class="scroll"><table class="sortable">${caption ? `<caption>${e(caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

function details(id: string, summary: string, body: string): string {
  return `<details id="${e(id)}"><summary>${e(summary)}</summary>${body}</details>`;
}

function robustnessRow(r: RobustnessRow, withRelative: boolean, na: NaNotes): string {
  const id = r.result.id;
  const cells = [
    `<td>${e(modelLabel(r.result.model))}</td>`,
    `<td>${e(r.result.prompts.name)}</td>`,
    `<td>${e(conditionLabel(r.result))}</td>`,
    metricCell(r.idResult.id, 'acc1', r.idResult.metrics.acc1),
    metricCell(id, 'acc1', r.result.metrics.acc1),
    `<td>${e(ciText(r.result.metrics.acc1Ci))}</td>`,
    r.effectiveRobustness === null ? na.cellHtml(r.naReasons?.er) : metricCell(id, 'effectiveRobustness', r.effectiveRobustness, signedPoints(r.effectiveRobustness)),
    r.erCi ? `<td>${e(`[${signedPoints(r.erCi[0])}, ${signedPoints(r.erCi[1])}]`)}</td>` : na.cellHtml(r.naReasons?.erCi),
  ];
  if (withRelative) cells.push(r.relativeRobustness === null ? na.cellHtml(r.naReasons?.relative) : metricCell(id, 'relativeRobustness', r.relativeRobustness, signedPoints(r.relativeRobustness)));
  return `<tr>${cells.join('')}</tr>`;
}

function robustnessTable(rows: RobustnessRow[], content: ReportContent, caption: string): string {
  const withRelative = content.reference !== undefined;
  const headers = ['Model', 'Prompts', 'Shift', 'ID acc (%)', 'OOD acc (%)', 'OOD 95 % CI', 'Eff. robustness (pts)', 'ER 95 % CI'];
  if (withRelative) headers.push(`Rel. robustness vs ${content.reference} (pts)`);
  const na = new NaNotes();
  const body = rows.map((r) => robustnessRow(r, withRelative, na));
  return table(headers, body, caption) + na.listHtml();
}

function figure(c: ReportChart): string {
  return `<figure><img src="${c.pngDataUri}" alt="${e(c.spec.caption)}" width="${c.spec.width}" height="${c.spec.height}"><figcaption>${e(c.spec.caption)} <a href="${e(c.svgFile)}">SVG</a></figcaption></figure>`;
}

function robustnessSection(content: ReportContent): string {
  const er = content.charts.filter((c) => c.spec.name.startsWith('effective-robustness') && (c.spec.placement ?? 'main') === 'main');
  const rows = headlineRows(content);
  if (er.length === 0 && rows.length === 0) return '';
  const grid = er.length ? `<div class="figgrid">${er.map(figure).join('\n')}</div>` : `<p class="note">No baseline line could be fitted (a line needs at least ${MIN_FIT_POINTS} baseline models with distinct ID accuracy).</p>`;
  return `<section id="robustness"><h2>Effective robustness on natural shifts</h2>${grid}
${details('robustness-table', `Per-shift numbers (${rows.length} rows)`, robustnessTable(rows, content, 'Natural shifts'))}</section>`;
}

function corruptionSection(content: ReportContent): string {
  if (content.corruption.length === 0) return '';
  const models = content.corruption;
  const corruptions = [...new Set(models.flatMap((s) => s.scores.map((c) => c.corruption)))];
  const ceRows = corruptions.map((c) => {
    const cells = models.map((s) => {
      const score = s.scores.find((x) => x.corruption === c);
      return score?.ce != null ? `<td class="num">${pct(score.ce)}</td>` : '<td class="num">–</td>';
    });
    const heldOut = models.some((s) => s.scores.find((x) => x.corruption === c)?.heldOut);
    return `<tr><td>${e(c)}${heldOut ? ' †' : ''}</td>${cells.join('')}</tr>`;
  });
  const normalisers = [...new Set(models.map((s) => s.normaliser ?? 'none'))].join('; ');
  const notes = [...new Set(models.map((s) => s.note).filter((n): n is string => !!n))].map((n) => `<p class="note">${e(n)}</p>`).join('');
  // Each summary says what its own mCE averages: models and sets differ in what they cover.
  const missing = models.filter((s) => s.normaliser !== null && s.mceLeftOut.length > 0).map((s) => `<p class="note">${e(mceCoverage(s))}</p>`).join('');
  const ceTable = table(['Corruption', ...models.map((s) => `${s.model} · ${s.prompts} · ${s.dataset} CE %`)], ceRows, `Corruption error per corruption (normaliser: ${normalisers}); † held out of mCE`);
  return `<section id="corruptions"><h2>Corruptions</h2>
<p class="note">Top-1 accuracy (%) per corruption and severity (1 mild – 5 severe); darker is worse. CE = the model's error summed over severities ÷ the normaliser's (${e(normalisers)}); mCE is its mean over the benchmark corruptions.</p>${notes}${missing}
<div class="heatgrid">${models.map(heatmapHtml).join('\n')}</div>
${details('ce-table', 'Corruption errors per corruption', ceTable)}</section>`;
}

function textShiftSection(content: ReportContent): string {
  const maps = content.textShifts ?? [];
  if (maps.length === 0) return '';
  return `<section id="text-shifts"><h2>Text shifts</h2>
<p class="note">Top-1 accuracy (%) with the texts the model reads perturbed (--text-shift: class names inside the prompts; docs/text-shifts.md), per shift and severity (1 mild – 5 severe); darker is worse. Under each value: the relative drop against the same run without the text shift (the base column; under an image shift, that shift without the text shift).</p>
<div class="heatgrid">${maps.map(textShiftHeatmapHtml).join('\n')}</div></section>`;
}

function chartsSection(content: ReportContent): string {
  const main = content.charts.filter((c) => !c.spec.name.startsWith('effective-robustness') && (c.spec.placement ?? 'main') === 'main');
  return main.length ? `<section id="charts"><h2>Accuracy</h2><div class="figgrid">${main.map(figure).join('\n')}</div></section>` : '';
}

function detailCharts(content: ReportContent): string {
  const charts = content.charts.filter((c) => c.spec.placement === 'details');
  return charts.length ? details('more-charts', `More charts: class drops and corruption effective robustness (${charts.length})`, `<div class="figgrid">${charts.map(figure).join('\n')}</div>`) : '';
}

/** The `--limit` warning under the title, or nothing. */
function partialNote(results: Result[]): string {
  const s = partialSentence(results);
  return s ? `<p class="note partial">${e(s)}</p>` : '';
}

function resultsTable(results: Result[]): string {
  const rows = results.map((r) => {
    const m = r.metrics;
    return `<tr><td>${e(modelLabel(r.model))}</td><td>${e(r.prompts.name)}</td><td>${e(r.dataset.name)}</td><td>${e(shiftText(r.shift))}</td><td class="num">${m.n}${isPartialResult(r) ? ' (partial)' : ''}</td>${metricCell(r.id, 'acc1', m.acc1)}<td>${e(ciText(m.acc1Ci))}</td><td class="num">${m.acc5 === undefined ? '' : pct(m.acc5)}</td><td class="num">${pct(m.meanPerClassRecall)}</td><td class="num">${m.ece.toFixed(3)}</td></tr>`;
  });
  return table(['Model', 'Prompts', 'Dataset', 'Corruption', 'n', 'Top-1 (%)', '95 % CI', 'Top-5 (%)', 'Mean per-class recall (%)', 'ECE'], rows);
}

function gallery(content: ReportContent): string {
  if (content.gallery.length === 0) return '';
  const sections = content.gallery.map((s) => {
    const items = s.items.map((it) => {
      const img = it.thumbnail ? `<img src="${it.thumbnail}" alt="${e(it.id)}">` : '<div class="noimg">no image</div>';
      const preds = it.top3.map((p) => `<li>${e(p.name)} <span class="num">${(p.score * 100).toFixed(1)} %</span></li>`).join('');
      return `<div class="card">${img}<div><code>${e(it.id)}</code></div><div>true: <strong>${e(it.label)}</strong></div><ol>${preds}</ol></div>`;
    });
    return `<h3>${e(s.result.model.name)} · ${e(s.result.prompts.name)} · ${e(conditionLabel(s.result))}</h3><div class="gallery">${items.join('')}</div>`;
  });
  const note = content.thumbnailsEnabled ? '' : '<p class="note">Images are not embedded (no thumbnail resolver); labels and predictions only.</p>';
  return details('gallery', `Failure gallery: the ${content.gallery.length} shifts that cost most accuracy`, `<p>The most confident mistakes per shift; probabilities under each model's own scoring rule.</p>${note}${sections.join('\n')}`);
}

function runDetails(results: Result[]): string {
  const rows = results.map((r) => `<tr><td>${e(modelLabel(r.model))}</td><td><code>${e(r.model.hashes.visionModel.slice(0, 12))}</code> / <code>${e(r.model.hashes.textModel.slice(0, 12))}</code></td><td>${e(r.dataset.name)}</td><td class="num">${r.metrics.n}</td><td><code>${e(r.dataset.fingerprint.slice(0, 12))}</code></td><td>${e(r.prompts.name)}</td><td>${e(r.prompts.ensembling)}</td><td class="num">${r.prompts.templates.length}</td><td>${e(r.createdAt)}</td><td><code>${e(r.command.join(' '))}</code></td></tr>`);
  const skipped = results.flatMap((r) => r.skipped.map((s) => `<tr><td>${e(r.dataset.name)}</td><td>${e(r.model.name)}</td><td><code>${e(s.id)}</code></td><td>${e(s.reason)}</td></tr>`));
  return `${table(['Model', 'Vision / text hash', 'Dataset', 'n', 'Fingerprint', 'Prompts', 'Ensembling', 'Templates', 'Date', 'Command'], rows)}
<h3>Skipped items (${skipped.length})</h3>${skipped.length ? table(['Dataset', 'Model', 'Item', 'Reason'], skipped) : '<p>None.</p>'}`;
}

function detailsSection(content: ReportContent): string {
  const corruptionRows = corruptionRobustnessRows(content);
  const o = overview(content.results);
  const list = (label: string, items: string[]): string => `<li><strong>${e(label)}:</strong> ${items.length ? items.map(e).join(', ') : 'none'}</li>`;
  const baselines = [...new Set(content.groups.map((g) => g.baselineSource))];
  return `<section id="details-all"><h2>Details</h2>
${detailCharts(content)}
${corruptionRows.length ? details('corruption-er', `Effective robustness per corruption and severity (${corruptionRows.length} rows)`, robustnessTable(corruptionRows, content, 'Synthetic and published corruptions')) : ''}
${details('results', `All results (${content.results.length}), sortable`, resultsTable(content.results))}
${gallery(content)}
${details('run-details', 'Run details: inputs, hashes, skipped items', `<ul>${list('Models', o.models)}${list('Datasets', o.datasets)}${list('Prompt sets', o.prompts)}${list('Corruptions', o.corruptions)}${list('Effective-robustness baseline', baselines)}</ul>${runDetails(content.results)}`)}
</section>`;
}

/** The zero-shot classification sections; a report of task results only has none (its tables follow). */
function classificationSections(content: ReportContent): string {
  // Task results only: no summary, ER or corruption section; charts the tasks drew stay.
  if (content.results.length === 0 && (content.taskCount ?? 0) > 0) return chartsSection(content);
  return [summaryHtml(content), robustnessSection(content), corruptionSection(content), textShiftSection(content), chartsSection(content)].join('\n');
}

/** The self-contained report page: charts as data: URIs, inline CSS and sorting script, no network. */
export function renderHtml(content: ReportContent): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(content.title)}</title><style>${HTML_STYLE}</style></head>
<body><main><h1>${e(content.title)}</h1><p class="note">Generated ${e(content.generatedAt)} from ${resultCountText(content)}. Click a column header to sort; grey “▸” lines open details.</p>${content.measured ? `<p class="measured">${e(content.measured)}</p>` : ''}${partialNote(content.results)}${content.partialTasks ? `<p class="note partial">${e(content.partialTasks)}</p>` : ''}
${classificationSections(content)}
${taskSectionHtml(content.tasks ?? [], content.charts)}
${content.results.length > 0 ? detailsSection(content) : ''}
</main><script>${HTML_SCRIPT}</script></body></html>
`;
}
