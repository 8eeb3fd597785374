import type { CorruptionSummary } from './corruptionErrors.js';
import { escapeHtml as e, escapeMd as m } from './format.js';
import { pct } from '../util/numberFormat.js';

/**
 * Corruption × severity accuracy heatmaps (HTML tables with coloured cells, so they stay sharp,
 * searchable and a few kilobytes; report.md gets the same numbers as a table). Colours follow
 * viridis (perceptually uniform, colour-blind safe, readable in greyscale).
 */

const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];

/** Viridis colour of a fraction in [0, 1] and the text colour readable on it. */
export function heatColour(fraction: number): { background: string; text: string } {
  const x = Math.min(1, Math.max(0, fraction)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [r, g, b] = VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c))) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { background: `rgb(${r},${g},${b})`, text: luminance > 140 ? '#000' : '#fff' };
}

const SEVERITIES = [1, 2, 3, 4, 5];

/** One model's heatmap: a row per corruption, clean accuracy first, CE last. */
export function heatmapHtml(s: CorruptionSummary): string {
  const cell = (acc: number | null, id: string | null): string => {
    if (acc === null) return '<td class="heat na">–</td>';
    const c = heatColour(acc);
    return `<td class="heat num" style="background:${c.background};color:${c.text}"${id ? ` data-result-id="${e(id)}" data-metric="acc1" data-value="${acc}"` : ''}>${pct(acc)}</td>`;
  };
  const rows = s.scores.map((c) => {
    const ce = c.ce === null ? '<td class="num">–</td>' : `<td class="num">${pct(c.ce)}</td>`;
    return `<tr><th scope="row">${e(c.corruption)}${c.heldOut ? '<sup title="held out of mCE">†</sup>' : ''}</th>${c.accuracy.map((a, i) => cell(a, c.resultIds[i] ?? null)).join('')}${ce}</tr>`;
  });
  const clean = s.clean ? cell(s.clean.metrics.acc1, s.clean.id) : `<td class="heat na" title="${e(s.cleanNote ?? '')}">n/a</td>`;
  const head = `<tr><th scope="col">Corruption</th>${SEVERITIES.map((v) => `<th scope="col">${v}</th>`).join('')}<th scope="col" title="corruption error, % of the normaliser's">CE %</th></tr>`;
  return `<figure class="heatmap"><table><caption>${e(s.model)} · ${e(s.prompts)} · ${e(s.dataset)} <span class="note">(${e(cleanText(s))})</span></caption><thead>${head}</thead><tbody>\n${rows.join('\n')}\n<tr class="clean"><th scope="row">clean</th>${clean}<td colspan="5"></td></tr></tbody></table></figure>`;
}

/** Markdown mirror of the heatmap: the same accuracies (%) and CEs. */
export function heatmapMarkdown(s: CorruptionSummary): string {
  const header = `| Corruption | ${SEVERITIES.join(' | ')} | CE % |`;
  const sep = `|---|${SEVERITIES.map(() => '---:').join('|')}|---:|`;
  const rows = s.scores.map((c) => `| ${m(c.corruption)}${c.heldOut ? ' †' : ''} | ${c.accuracy.map((a) => (a === null ? '–' : pct(a))).join(' | ')} | ${c.ce === null ? '–' : pct(c.ce)} |`);
  return [`**${m(s.model)} · ${m(s.prompts)} · ${m(s.dataset)}** (top-1 %, ${m(cleanText(s))})`, '', header, sep, ...rows].join('\n');
}

/** `clean 91.2 % (shapes-dark, n 100)`, or `clean n/a: <why>`: the heatmaps' "clean" names its set. */
export function cleanText(s: CorruptionSummary): string {
  return s.clean ? `clean ${pct(s.clean.metrics.acc1)} % (${s.clean.dataset.name}, n ${s.clean.metrics.n})` : `clean n/a: ${s.cleanNote ?? 'no clean result'}`;
}
