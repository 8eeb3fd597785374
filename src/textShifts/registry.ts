import { createRng, hashString32 } from '../util/rng.js';
import { Registry } from '../util/registry.js';
import { parseNamedSeverity } from '../shifts/severity.js';
import type { Lexicon, TextShift, TextShiftRequest } from './types.js';
import { typo } from './keyboard.js';
import { ocr } from './ocr.js';
import { charDelete, charInsert, charReplace, charSwap } from './randomChar.js';
import { synonym, wordDelete, wordInsert, wordSwap } from './wordLevel.js';

const TEXT_SHIFTS = new Registry<TextShift>('text shift');
for (const s of [typo, ocr, charInsert, charReplace, charSwap, charDelete, wordInsert, wordSwap, wordDelete, synonym]) TEXT_SHIFTS.register(s.id, s);

/** The text shift `id`; an unknown id throws, listing the known ones. */
export function getTextShift(id: string): TextShift {
  return TEXT_SHIFTS.get(id);
}

/** All text shifts: character level, then word level. */
export function listTextShifts(): TextShift[] {
  return TEXT_SHIFTS.entries().map(([, s]) => s);
}

/** Parses `typo:3` (severity required, 1–5); an unknown name lists the known ones. */
export function parseTextShift(text: string): TextShiftRequest {
  return parseNamedSeverity(text, { what: 'text shift', placeholder: 'name', example: 'typo:3', listed: 'text shifts', registry: TEXT_SHIFTS });
}

/** `typo:3`, or `none`. */
export function textShiftLabel(request: TextShiftRequest | null | undefined): string {
  return request ? `${request.name}:${request.severity}` : 'none';
}

/**
 * Seed of one text's perturbation: the shift, its severity, the item the text belongs to (a
 * sample id, a class index) and the text itself, so shards and reruns perturb alike.
 */
export function textShiftSeed(request: TextShiftRequest, item: string, text: string): number {
  return hashString32(`${request.name}:${request.severity}:${item}:${text}`);
}

/** One text under a shift, seeded from (item, text, shift); `lexicon` is read by synonym and word_insert. */
export function applyTextShift(text: string, request: TextShiftRequest, item: string, lexicon: Lexicon | null): string {
  const shift = getTextShift(request.name);
  return shift.apply(text, request.severity, createRng(textShiftSeed(request, item, text)), shift.needsLexicon ? lexicon : null);
}

/** Perturbs one text of an item (identity when the run has no text shift). */
export type TextShifter = (text: string, item: string) => string;

/** The shifter of a request (null: texts stay as they are). */
export function textShifter(request: TextShiftRequest | null | undefined, lexicon: () => Lexicon): TextShifter {
  if (!request) return (text) => text;
  const words = getTextShift(request.name).needsLexicon ? lexicon() : null;
  return (text, item) => applyTextShift(text, request, item, words);
}
