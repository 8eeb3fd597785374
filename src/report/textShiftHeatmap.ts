import type { Result } from '../results/schema.js';
import { modelLabel } from '../results/modelLabel.js';
import { pct } from '../util/numberFormat.js';
import { escapeHtml as e, escapeMd as m, shiftText } from './format.js';
import { heatColour } from './heatmap.js';

/**
 * Text-shift × severity heatmaps (`--text-shift`, docs/text-shifts.md), one per model, prompt
 * set and dataset, drawn like the corruption heatmaps (heatmap.ts colours, same table layout).
 * Each cell is the top-1 accuracy under the text shift and its relative drop against the same
 * run without a text shift (same model, prompts, dataset and image shift): (base − acc) / base.
 */

const SEVERITIES = [1, 2, 3, 4, 5];

/** One heatmap row: a text shift (under one image shift) at severities 1–5. */
export interface TextShiftRow {
  /** `typo`, or `typo · fog:3` when the texts were shifted under an image shift. */
  label: string;
  accuracy: (number | null)[];
  /** Relative drop against the row's base (null without a base result). */
  drop: (number | null)[];
  resultIds: (string | null)[];
  /** The result the drops are measured against, or null when absent from the inputs. */
  base: Result | null;
}

/** One model × prompt set × dataset's text-shift heatmap. */
export interface TextShiftSummary {
  model: string;
  prompts: string;
  dataset: string;
  /** The run without any shift (the clean row), or null when absent. */
  clean: Result | null;
  rows: TextShiftRow[];
}

/** Model (with dtype and provider), prompt set and the dataset's identity: results of one run share it. */
function runOf(r: Result): string {
  return JSON.stringify([modelLabel(r.model), r.prompts.name, r.dataset.spec, r.dataset.fingerprint, r.metrics.n]);
}

const sameShift = (a: Result['shift'], b: Result['shift']): boolean => (a?.corruption ?? null) === (b?.corruption ?? null) && (a?.severity ?? null) === (b?.severity ?? null);

/** The heatmaps of every run that has text-shifted results among `results`, in input order. */
export function textShiftSummaries(results: readonly Result[]): TextShiftSummary[] {
  const shifted = results.filter((r) => r.textShift);
  const runs = [...new Set(shifted.map(runOf))];
  return runs.map((run) => {
    const mine = results.filter((r) => runOf(r) === run);
    const first = mine.find((r) => r.textShift)!;
    const rows = new Map<string, TextShiftRow>();
    for (const r of mine.filter((x) => x.textShift)) {
      const label = r.shift ? `${r.textShift!.name} · ${shiftText(r.shift)}` : r.textShift!.name;
      let row = rows.get(label);
      if (!row) {
        const base = mine.find((o) => !o.textShift && sameShift(o.shift, r.shift)) ?? null;
        row = { label, accuracy: SEVERITIES.map(() => null), drop: SEVERITIES.map(() => null), resultIds: SEVERITIES.map(() => null), base };
        rows.set(label, row);
      }
      const i = r.textShift!.severity - 1;
      row.accuracy[i] = r.metrics.acc1;
      row.resultIds[i] = r.id;
      row.drop[i] = row.base && row.base.metrics.acc1 > 0 ? (row.base.metrics.acc1 - r.metrics.acc1) / row.base.metrics.acc1 : null;
    }
    return { model: modelLabel(first.model), prompts: first.prompts.name, dataset: first.dataset.name, clean: mine.find((o) => !o.textShift && !o.shift) ?? null, rows: [...rows.values()] };
  });
}

/** `−12 %` (a drop), `+3 %` (a gain). */
function dropText(d: number): string {
  return `${d > 0 ? '−' : d < 0 ? '+' : '±'}${pct(Math.abs(d))} %`;
}

/** One run's heatmap: a row per text shift, top-1 (%) with the relative drop under it. */
export function textShiftHeatmapHtml(s: TextShiftSummary): string {
  const cell = (row: TextShiftRow, i: number): string => {
    const acc = row.accuracy[i];
    if (acc === null) return '<td class="heat na">–</td>';
    const c = heatColour(acc);
    const drop = row.drop[i];
    return `<td class="heat num" style="background:${c.background};color:${c.text}" data-result-id="${e(row.resultIds[i]!)}" data-metric="acc1" data-value="${acc}">${pct(acc)}${drop === null ? '' : `<br><small>${dropText(drop)}</small>`}</td>`;
  };
  const body = s.rows.map((row) => `<tr><th scope="row">${e(row.label)}</th>${SEVERITIES.map((_, i) => cell(row, i)).join('')}<td class="num">${row.base ? pct(row.base.metrics.acc1) : 'n/a'}</td></tr>`);
  const head = `<tr><th scope="col">Text shift</th>${SEVERITIES.map((v) => `<th scope="col">${v}</th>`).join('')}<th scope="col" title="top-1 without the text shift, the base of the drops">base %</th></tr>`;
  return `<figure class="heatmap"><table><caption>${e(s.model)} · ${e(s.prompts)} · ${e(s.dataset)} <span class="note">(${e(cleanNote(s))})</span></caption><thead>${head}</thead><tbody>\n${body.join('\n')}\n</tbody></table></figure>`;
}

/** Markdown mirror: the same accuracies and drops. */
export function textShiftHeatmapMarkdown(s: TextShiftSummary): string {
  const header = `| Text shift | ${SEVERITIES.join(' | ')} | base % |`;
  const sep = `|---|${SEVERITIES.map(() => '---:').join('|')}|---:|`;
  const rows = s.rows.map((row) => `| ${m(row.label)} | ${row.accuracy.map((a, i) => (a === null ? '–' : `${pct(a)}${row.drop[i] === null ? '' : ` (${dropText(row.drop[i])})`}`)).join(' | ')} | ${row.base ? pct(row.base.metrics.acc1) : 'n/a'} |`);
  return [`**${m(s.model)} · ${m(s.prompts)} · ${m(s.dataset)}** (top-1 %, relative drop; ${m(cleanNote(s))})`, '', header, sep, ...rows].join('\n');
}

function cleanNote(s: TextShiftSummary): string {
  return s.clean ? `clean ${pct(s.clean.metrics.acc1)} %, n ${s.clean.metrics.n}` : 'clean n/a: no result without shifts';
}
