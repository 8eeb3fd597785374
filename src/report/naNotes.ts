import { escapeHtml as e, escapeMd as m } from './format.js';
import type { RobustnessRow } from './robustnessTable.js';

/**
 * Numbered reasons for the n/a cells of one table: each distinct reason gets one number, so a
 * reason shared by 70 rows is written once under the table and every cell points to it.
 */
export class NaNotes {
  private readonly reasons: string[] = [];

  /** The footnote number of `reason` (1-based), adding it on first use. */
  number(reason: string): number {
    const i = this.reasons.indexOf(reason);
    if (i >= 0) return i + 1;
    this.reasons.push(reason);
    return this.reasons.length;
  }

  /** An HTML n/a cell: visible footnote mark, the reason as its tooltip. */
  cellHtml(reason: string | undefined): string {
    if (reason === undefined) return '<td>n/a</td>';
    return `<td class="na" title="${e(reason)}">n/a<sup>${this.number(reason)}</sup></td>`;
  }

  /** A Markdown n/a cell with its footnote mark. */
  cellMd(reason: string | undefined): string {
    return reason === undefined ? 'n/a' : `n/a [${this.number(reason)}]`;
  }

  /** The reasons under an HTML table ('' when there are none). */
  listHtml(): string {
    if (this.reasons.length === 0) return '';
    return `<ol class="note na-reasons">${this.reasons.map((r) => `<li>n/a: ${e(r)}</li>`).join('')}</ol>`;
  }

  /** The reasons under a Markdown table (no lines when there are none). */
  listMd(): string[] {
    return this.reasons.map((r, i) => `[${i + 1}] n/a: ${m(r)}  `);
  }
}

/** Why a summary row's mean effective robustness is n/a: no natural shift, or why none of its shifts has a line. */
export function meanErNaReason(natural: readonly RobustnessRow[]): string {
  if (natural.length === 0) return 'no natural-shift result of this model, prompt set and dataset';
  return [...new Set(natural.map((r) => r.naReasons?.er).filter((x): x is string => !!x))].join('; ') || 'no baseline line was fitted';
}
