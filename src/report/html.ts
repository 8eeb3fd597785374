import type { Result } from '../results/schema.js';
import { conditionLabel } from './conditions.js';
import { ciText, escapeHtml as e, pct, signedPoints } from './format.js';
import { allRobustnessRows, headlineRows, overview, type ReportContent } from './reportContent.js';
import type { RobustnessRow } from './robustnessTable.js';
import { HTML_SCRIPT, HTML_STYLE } from './htmlAssets.js';

/** A summary number with stable attributes so tests and scripts can read it back. */
function metricCell(resultId: string, metric: string, value: number, text = pct(value)): string {
  return `<td class="num" data-result-id="${e(resultId)}" data-metric="${e(metric)}" data-value="${value}">${e(text)}</td>`;
}

function table(headers: string[], rows: string[], caption?: string): string {
  const head = headers.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  return `<div class="scroll"><table class="sortable">${caption ? `<caption>${e(caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

function robustnessRow(r: RobustnessRow, withRelative: boolean): string {
  const id = r.result.id;
  const cells = [
    `<td>${e(r.result.model.name)}</td>`,
    `<td>${e(r.result.prompts.name)}</td>`,
    `<td>${e(conditionLabel(r.result))}</td>`,
    metricCell(r.idResult.id, 'acc1', r.idResult.metrics.acc1),
    metricCell(id, 'acc1', r.result.metrics.acc1),
    `<td>${e(ciText(r.result.metrics.acc1Ci))}</td>`,
    r.effectiveRobustness === null ? '<td>n/a</td>' : metricCell(id, 'effectiveRobustness', r.effectiveRobustness, signedPoints(r.effectiveRobustness)),
  ];
  if (withRelative) cells.push(r.relativeRobustness === null ? '<td>n/a</td>' : metricCell(id, 'relativeRobustness', r.relativeRobustness, signedPoints(r.relativeRobustness)));
  return `<tr>${cells.join('')}</tr>`;
}

function robustnessTable(rows: RobustnessRow[], content: ReportContent, caption: string): string {
  const withRelative = content.reference !== undefined;
  const headers = ['Model', 'Prompts', 'Shift', 'ID acc (%)', 'OOD acc (%)', 'OOD 95 % CI', 'Eff. robustness (pts)'];
  if (withRelative) headers.push(`Rel. robustness vs ${content.reference} (pts)`);
  return table(headers, rows.map((r) => robustnessRow(r, withRelative)), caption);
}

function summarySection(content: ReportContent): string {
  const o = overview(content.results);
  const list = (label: string, items: string[]): string => `<li><strong>${e(label)}:</strong> ${items.length ? items.map(e).join(', ') : 'none'}</li>`;
  const idRows = o.idResults.map((r) => `<tr><td>${e(r.model.name)}</td><td>${e(r.prompts.name)}</td><td>${e(r.dataset.name)}</td>${metricCell(r.id, 'acc1', r.metrics.acc1)}<td>${e(ciText(r.metrics.acc1Ci))}</td><td class="num">${r.metrics.n}</td></tr>`);
  const baselines = [...new Set(content.groups.map((g) => g.baselineSource))];
  return `<section id="summary"><h2>Summary</h2><ul>${list('Models', o.models)}${list('Datasets', o.datasets)}${list('Prompt sets', o.prompts)}${list('Corruptions', o.corruptions)}${list('Effective-robustness baseline', baselines)}</ul>
<h3>In-distribution accuracy</h3>${table(['Model', 'Prompts', 'Dataset', 'Top-1 (%)', '95 % CI', 'n'], idRows)}
<h3>Natural shifts: accuracy and effective robustness</h3>
<p class="note">Effective robustness is the shifted accuracy minus the accuracy the baseline line predicts from the ID accuracy (logit-linear fit, Taori et al. 2020); accuracies of 0 or 100 % are clipped to 0.5/n and 1 − 0.5/n before the logit.</p>
${robustnessTable(headlineRows(content), content, 'Natural shifts')}</section>`;
}

function chartsSection(content: ReportContent): string {
  const figs = content.charts.map(
    (c) => `<figure><img src="${c.pngDataUri}" alt="${e(c.spec.caption)}" width="${c.spec.width}" height="${c.spec.height}"><figcaption>${e(c.spec.caption)} <a href="${e(c.svgFile)}">SVG</a></figcaption></figure>`,
  );
  return `<section id="charts"><h2>Charts</h2>${figs.join('\n')}</section>`;
}

function resultsSection(results: Result[]): string {
  const rows = results.map((r) => {
    const m = r.metrics;
    return `<tr><td>${e(r.model.name)}</td><td>${e(r.prompts.name)}</td><td>${e(r.dataset.name)}</td><td>${e(r.shift ? `${r.shift.corruption}@${r.shift.severity}` : 'none')}</td><td class="num">${m.n}</td>${metricCell(r.id, 'acc1', m.acc1)}<td>${e(ciText(m.acc1Ci))}</td><td class="num">${m.acc5 === undefined ? '' : pct(m.acc5)}</td><td class="num">${pct(m.meanPerClassRecall)}</td><td class="num">${m.ece.toFixed(3)}</td></tr>`;
  });
  return `<section id="results"><h2>All results</h2>${table(['Model', 'Prompts', 'Dataset', 'Corruption', 'n', 'Top-1 (%)', '95 % CI', 'Top-5 (%)', 'Mean per-class recall (%)', 'ECE'], rows)}</section>`;
}

function gallerySection(content: ReportContent): string {
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
  return `<section id="gallery"><h2>Failure gallery</h2><p>The most confident mistakes per shifted run.</p>${note}${sections.join('\n')}</section>`;
}

function detailsSection(results: Result[]): string {
  const rows = results.map((r) => `<tr><td>${e(r.model.name)}</td><td><code>${e(r.model.hashes.visionModel.slice(0, 12))}</code> / <code>${e(r.model.hashes.textModel.slice(0, 12))}</code></td><td>${e(r.dataset.name)}</td><td class="num">${r.metrics.n}</td><td><code>${e(r.dataset.fingerprint.slice(0, 12))}</code></td><td>${e(r.prompts.name)}</td><td>${e(r.prompts.ensembling)}</td><td class="num">${r.prompts.templates.length}</td><td>${e(r.createdAt)}</td><td><code>${e(r.command.join(' '))}</code></td></tr>`);
  const skipped = results.flatMap((r) => r.skipped.map((s) => `<tr><td>${e(r.dataset.name)}</td><td>${e(r.model.name)}</td><td><code>${e(s.id)}</code></td><td>${e(s.reason)}</td></tr>`));
  return `<section id="details"><h2>Run details</h2>${table(['Model', 'Vision / text hash', 'Dataset', 'n', 'Fingerprint', 'Prompts', 'Ensembling', 'Templates', 'Date', 'Command'], rows)}
<h3>Skipped items (${skipped.length})</h3>${skipped.length ? table(['Dataset', 'Model', 'Item', 'Reason'], skipped) : '<p>None.</p>'}</section>`;
}

/** The self-contained report page: charts as data: URIs, inline CSS and sorting script, no network. */
export function renderHtml(content: ReportContent): string {
  const corruptionRows = allRobustnessRows(content).filter((r) => r.result.shift !== null);
  const corruptions = corruptionRows.length ? `<section id="corruptions"><h2>Corruptions: effective robustness</h2>${robustnessTable(corruptionRows, content, 'Synthetic corruptions')}</section>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(content.title)}</title><style>${HTML_STYLE}</style></head>
<body><main><h1>${e(content.title)}</h1><p class="note">Generated ${e(content.generatedAt)} from ${content.results.length} results. Click a column header to sort.</p>
${summarySection(content)}
${chartsSection(content)}
${corruptions}
${resultsSection(content.results)}
${gallerySection(content)}
${detailsSection(content.results)}
</main><script>${HTML_SCRIPT}</script></body></html>
`;
}
