import { signedPoints } from '../util/numberFormat.js';
import type { ModelSummaryRow } from './modelSummary.js';

/**
 * What each summary aggregate averages, and the one headline sentence. A mean over 1 of 3 shifts
 * is not comparable with a mean over 3 of 3, so every mean names its shifts and count, and the
 * headline ranks only models whose ER averages the very same shifts of the same family.
 */

/** `1 of 3 shifts (shapes-dark)`; the list is left out when it is every one of them and `brief`. */
export function coverage(items: readonly string[], of: readonly string[], brief = false): string {
  const noun = of.length === 1 ? 'shift' : 'shifts';
  const list = items.length === 0 || (brief && items.length === of.length) ? '' : ` (${items.join(', ')})`;
  return `${items.length} of ${of.length} ${noun}${list}`;
}

/** The comparable set the headline ranks, and the rows it leaves out (their ER averages other shifts). */
export interface Headline {
  ranked: ModelSummaryRow[];
  family: string;
  shifts: string[];
  of: string[];
  unranked: ModelSummaryRow[];
}

const setKey = (r: ModelSummaryRow): string => `${r.family}\u0000${r.erShifts.join('\u0000')}`;

/**
 * Picks the rows the headline ranks: those with a mean ER, grouped by family and the exact
 * shifts their ER averages; the group covering the most shifts wins (then the larger group,
 * then the family name). Null when no row has a mean ER.
 */
export function pickHeadline(rows: readonly ModelSummaryRow[]): Headline | null {
  const withEr = rows.filter((r) => r.meanEr !== null);
  if (withEr.length === 0) return null;
  const sets = new Map<string, ModelSummaryRow[]>();
  for (const r of withEr) sets.set(setKey(r), [...(sets.get(setKey(r)) ?? []), r]);
  const [, chosen] = [...sets].sort(([ka, a], [kb, b]) => b[0].erShifts.length - a[0].erShifts.length || b.length - a.length || ka.localeCompare(kb))[0];
  const ranked = [...chosen].sort((a, b) => b.meanEr! - a.meanEr!);
  return { ranked, family: ranked[0].family, shifts: ranked[0].erShifts, of: ranked[0].familyShifts, unranked: withEr.filter((r) => !chosen.includes(r)) };
}

/** Said under a summary whose rows average different shifts. */
export const MIXED_NOTE = 'Mean OOD accuracy and effective robustness average different shifts in different rows (each cell says which): rows over different shifts are not comparable, so sorting by them is not a ranking; the headline ranks only models whose ER averages the same shifts.';

/** Rows of one family whose means cover different shifts: they must not be read as a ranking. */
export function mixedCoverage(rows: readonly ModelSummaryRow[]): boolean {
  const byFamily = new Map<string, Set<string>>();
  for (const r of rows) {
    const k = `${r.oodShifts.join('\u0000')}\u0001${r.erShifts.join('\u0000')}`;
    byFamily.set(r.family, (byFamily.get(r.family) ?? new Set()).add(k));
  }
  return [...byFamily.values()].some((s) => s.size > 1);
}

/**
 * The headline as text; `strong` marks model names (HTML `<strong>`, Markdown `**`) and `esc`
 * escapes every other piece for the target format.
 */
export function headlineText(h: Headline, strong: (s: string) => string, esc: (s: string) => string): string {
  const best = h.ranked[0];
  const ci = best.meanErCi ? ` (95 % CI ${signedPoints(best.meanErCi[0])} to ${signedPoints(best.meanErCi[1])})` : '';
  const next = h.ranked[1] ? `; next: ${strong(h.ranked[1].model)} at ${esc(signedPoints(h.ranked[1].meanEr))}` : '';
  const alone = h.ranked.length === 1 ? ' (the only model whose ER averages these shifts)' : '';
  const unranked = h.unranked.length
    ? ` Not ranked against ${h.ranked.length === 1 ? 'it' : 'them'}, because their ER averages other shifts: ${h.unranked.map((r) => `${strong(r.model)} (${esc(r.family)}: ER on ${esc(coverage(r.erShifts, r.familyShifts))})`).join('; ')}.`
    : '';
  return `Most effectively robust: ${strong(best.model)}, ${esc(signedPoints(best.meanEr))} points above the baseline line on average, ER on ${esc(coverage(h.shifts, h.of))} of ${esc(h.family)}${esc(ci)}${alone}${next}.${unranked}`;
}
