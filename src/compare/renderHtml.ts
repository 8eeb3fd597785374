import { escapeHtml as e } from '../report/format.js';
import { pct, signedPoints } from '../util/numberFormat.js';
import { table } from '../report/html.js';
import { HTML_SCRIPT, HTML_STYLE } from '../report/htmlAssets.js';
import { unitLabel } from './pairUp.js';
import { differenceText, pText, sideName } from './renderText.js';
import type { CompareReport, CompareUnitRecord } from './schema.js';

/** Thumbnails of flipped items as `data:` URIs, keyed by unit index and item id (`3:img-00012`). */
export type FlipThumbnails = ReadonlyMap<string, string>;

const num = (text: string, value?: number, metric?: string): string =>
  `<td class="num"${value === undefined ? '' : ` data-metric="${metric}" data-value="${value}"`}>${e(text)}</td>`;

function summaryRow(u: CompareUnitRecord, i: number): string {
  return `<tr><td><a href="#unit-${i}">${e(u.key.dataset)}</a></td><td>${e(u.key.shift ? `${u.key.shift.corruption}:${u.key.shift.severity}` : '–')}</td><td>${e(u.key.prompts)}</td>${num(String(u.n))}${num(pct(u.accA), u.accA, 'acc-a')}${num(pct(u.accB), u.accB, 'acc-b')}${num(differenceText(u), u.difference.estimate, 'difference')}${num(pText(u.mcnemarP), u.mcnemarP, 'mcnemar-p')}${num(String(u.table.onlyA))}${num(String(u.table.onlyB))}</tr>`;
}

function flipCards(u: CompareUnitRecord, i: number, list: CompareUnitRecord['lost'], thumbs: FlipThumbnails): string {
  return `<div class="gallery">${list.map((f) => {
    const src = thumbs.get(`${i}:${f.id}`);
    const img = src ? `<img src="${src}" alt="${e(f.id)}">` : '<div class="noimg">no image</div>';
    return `<div class="card">${img}<div><code>${e(f.id)}</code></div><div>true: <strong>${e(f.label)}</strong></div><div>A: ${e(f.a.predicted)} <span class="num">${pct(f.a.score)} %</span></div><div>B: ${e(f.b.predicted)} <span class="num">${pct(f.b.score)} %</span></div></div>`;
  }).join('')}</div>`;
}

function unitSection(u: CompareUnitRecord, i: number, thumbs: FlipThumbnails): string {
  const classes = u.classes.length === 0 ? '<p>No class changed accuracy.</p>'
    : table(['Class', 'n', 'A top-1 (%)', 'B top-1 (%)', 'B − A (points)'], u.classes.map((c) => `<tr><td>${e(c.name)}</td>${num(String(c.n))}${num(pct(c.accA))}${num(pct(c.accB))}${num(signedPoints(c.change))}</tr>`), 'Classes that moved most');
  const flips = ([['A right → B wrong', u.lost, u.table.onlyA], ['A wrong → B right', u.gained, u.table.onlyB]] as const)
    .map(([title, list, count]) => `<h4>${e(title)}: ${count} item(s)${list.length < count ? `, the ${list.length} most confident shown` : ''}</h4>${list.length ? flipCards(u, i, list, thumbs) : '<p>None.</p>'}`).join('\n');
  return `<details id="unit-${i}"><summary>${e(unitLabel(u.key))}: ${e(differenceText(u))} points, p = ${e(pText(u.mcnemarP))}</summary>
<p class="note">A: <code>${e(u.files.a)}</code><br>B: <code>${e(u.files.b)}</code></p>${classes}
${flips}</details>`;
}

/** compare.html: one self-contained page (thumbnails as data: URIs, inline CSS, no network). */
export function compareHtml(r: CompareReport, thumbs: FlipThumbnails, thumbnailsEnabled: boolean): string {
  const title = `${sideName(r, 'a')} (A) vs ${sideName(r, 'b')} (B)`;
  const wins = r.units.filter((u) => u.difference.ci[0] > 0).length;
  const losses = r.units.filter((u) => u.difference.ci[1] < 0).length;
  const takeaway = `B is better than A on ${wins} of ${r.units.length} unit(s) and worse on ${losses} (the ${Math.round(r.confidence * 100)} % interval of B − A above or below zero).`;
  const unpaired = r.unpaired.length === 0 ? '' : `<h2>Not compared</h2><p>${r.unpaired.length} unit(s) exist on one side only:</p><ul>${r.unpaired.map((u) => `<li>only in ${u.side.toUpperCase()}: ${e(unitLabel(u.key))} <code>${e(u.file)}</code></li>`).join('')}</ul>`;
  const note = thumbnailsEnabled ? '' : '<p class="note">Images are not embedded (thumbnails off); labels and predictions only.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${HTML_STYLE}</style></head>
<body><main><h1>Paired comparison: ${e(title)}</h1>
<p class="takeaway">${e(takeaway)}</p>
<p class="note">Generated ${e(r.createdAt)}. B − A in top-1 points with Newcombe's paired score interval; McNemar's exact p over the items the two models got differently (A✓B✗, A✗B✓). Click a column header to sort.</p>
<div class="fit">${table(['Dataset', 'Shift', 'Prompts', 'n', 'A top-1 (%)', 'B top-1 (%)', `B − A (points) [${Math.round(r.confidence * 100)} % CI]`, 'McNemar p', 'A✓B✗', 'A✗B✓'], r.units.map(summaryRow))}</div>
${unpaired}
<h2>Per unit: classes that moved, flipped items</h2>${note}
${r.units.map((u, i) => unitSection(u, i, thumbs)).join('\n')}
</main><script>${HTML_SCRIPT}</script></body></html>
`;
}
