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
  return `<tr><td><a href="#unit-${i}">${e(u.key.dataset)}</a></td><td>${e(`${u.key.shift ? `${u.key.shift.corruption}:${u.key.shift.severity}` : '–'}${u.key.textShift ? ` + text ${u.key.textShift.name}:${u.key.textShift.severity}` : ''}`)}</td><td>${e(u.key.prompts)}</td>${num(String(u.n))}${num(pct(u.accA), u.accA, 'acc-a')}${num(pct(u.accB), u.accB, 'acc-b')}${num(differenceText(u), u.difference.estimate, 'difference')}${num(pText(u.mcnemarP), u.mcnemarP, 'mcnemar-p')}${num(String(u.table.onlyA))}${num(String(u.table.onlyB))}</tr>`;
}

/** Flipped items compare.html shows per direction and unit (the counts are complete; compare-flips.jsonl lists every one). */
export const HTML_FLIPS = 4;

/** The file beside compare.html that lists every flipped item of every unit. */
export const FLIPS_FILE = 'compare-flips.jsonl';

/** One row of four small cards per direction, so an opened unit stays about 250 px tall (94 units had opened to 87,586 px). */
const COMPARE_STYLE = `.unitgrid{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.8rem;align-items:start}
.unitgrid h4{margin:.1rem 0 .3rem;font-size:.85rem}.unitgrid h4 small{font-weight:normal;color:#555}
.unitgrid table{font-size:.8rem}.unitgrid td,.unitgrid th{padding:.1rem .35rem}
.files{font-size:.75rem;color:#555;overflow-wrap:anywhere;margin:.1rem 0 .4rem}
.fgallery{display:flex;flex-wrap:wrap;gap:.25rem}
.fcard{box-sizing:border-box;width:5rem;font-size:.7rem;line-height:1.2;border:1px solid #ddd;padding:.2rem;overflow:hidden}
.fcard img,.fcard .noimg{width:4rem;height:4rem;display:block;image-rendering:pixelated}
.fcard div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}`;

function flipCards(u: CompareUnitRecord, i: number, list: CompareUnitRecord['lost'], thumbs: FlipThumbnails): string {
  return `<div class="fgallery">${list.map((f) => {
    const src = thumbs.get(`${i}:${f.id}`);
    const img = src ? `<img src="${src}" alt="${e(f.id)}">` : '<div class="noimg">no image</div>';
    const title = `${f.id}: true ${f.label}; A ${f.a.predicted} ${pct(f.a.score)} %; B ${f.b.predicted} ${pct(f.b.score)} %`;
    // The id and full names are in the card's tooltip: four cards fit a third of the page.
    return `<div class="fcard" title="${e(title)}">${img}<div>true <strong>${e(f.label)}</strong></div><div>A ${e(f.a.predicted)} ${pct(f.a.score)}%</div><div>B ${e(f.b.predicted)} ${pct(f.b.score)}%</div></div>`;
  }).join('')}</div>`;
}

function unitSection(u: CompareUnitRecord, i: number, thumbs: FlipThumbnails): string {
  const files = `<p class="files">A: <code>${e(u.files.a)}</code> · B: <code>${e(u.files.b)}</code></p>`;
  const summary = `<summary>${e(unitLabel(u.key))}: ${e(differenceText(u))} points, p = ${e(pText(u.mcnemarP))}</summary>`;
  // Nothing flipped (most units of a clean comparison): one line instead of three empty columns.
  if (u.table.onlyA + u.table.onlyB === 0) return `<details id="unit-${i}">${summary}${files}<p>No item flipped: both right on ${u.table.bothRight}, both wrong on ${u.table.bothWrong}.</p></details>`;
  const classes = u.classes.length === 0 ? '<h4>Classes</h4><p>No class changed accuracy.</p>'
    : `<h4>Classes that moved most</h4>${table(['Class', 'n', 'A %', 'B %', 'B − A'], u.classes.map((c) => `<tr><td>${e(c.name)}</td>${num(String(c.n))}${num(pct(c.accA))}${num(pct(c.accB))}${num(signedPoints(c.change))}</tr>`))}`;
  const flips = ([['A✓B✗', 'A right → B wrong', u.lost, u.table.onlyA], ['A✗B✓', 'A wrong → B right', u.gained, u.table.onlyB]] as const).map(([short, long, list, count]) => {
    const shown = list.slice(0, HTML_FLIPS);
    const more = shown.length < count ? ` <small>(${shown.length} shown; all in <a href="${FLIPS_FILE}">${FLIPS_FILE}</a>)</small>` : '';
    return `<div><h4 title="${e(long)}">${e(short)}: ${count} item(s)${more}</h4>${shown.length ? flipCards(u, i, shown, thumbs) : '<p>None.</p>'}</div>`;
  }).join('');
  return `<details id="unit-${i}">${summary}${files}<div class="unitgrid"><div>${classes}</div>${flips}</div></details>`;
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
<title>${e(title)}</title><style>${HTML_STYLE}
${COMPARE_STYLE}</style></head>
<body><main><h1>Paired comparison: ${e(title)}</h1>
<p class="takeaway">${e(takeaway)}</p>
<p class="note">Generated ${e(r.createdAt)}. B − A in top-1 points with Newcombe's paired score interval; McNemar's exact p over the items the two models got differently (A✓B✗, A✗B✓). Click a column header to sort.</p>
<div class="fit">${table(['Dataset', 'Shift', 'Prompts', 'n', 'A top-1 (%)', 'B top-1 (%)', `B − A (points) [${Math.round(r.confidence * 100)} % CI]`, 'McNemar p', 'A✓B✗', 'A✗B✓'], r.units.map(summaryRow))}</div>
${unpaired}
<h2>Per unit: classes that moved, flipped items</h2>${note}
<p class="note">Each unit shows up to ${HTML_FLIPS} flipped items per direction (the most confident mistakes first); <a href="${FLIPS_FILE}">${FLIPS_FILE}</a> lists every one, compare.json and compare.md the first ${r.flipsShown}.</p>
${r.units.map((u, i) => unitSection(u, i, thumbs)).join('\n')}
</main><script>${HTML_SCRIPT}</script></body></html>
`;
}
