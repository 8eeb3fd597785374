import type { Rng } from '../util/rng.js';
import type { Severity } from '../shifts/types.js';
import { changeCount, sample, severityRate } from './sampling.js';
import { joinSpans, wordSpans } from './words.js';

/**
 * What a character-level shift does inside one chosen word (nlpaug's CharAugmenter): which
 * characters may change and how the chosen ones change.
 */
export interface CharEdit {
  /** Words shorter than this (in characters) are never chosen (nlpaug `min_char`). */
  minWordLength: number;
  /** At least this many characters of a chosen word change (nlpaug `aug_char_min`). */
  minChars: number;
  /** Indices of the characters that may change (all, or those a table maps). */
  candidates(chars: readonly string[]): number[];
  /** Changes the chosen characters, `chosen` ascending; returns the new characters. */
  edit(chars: string[], chosen: number[], rng: Rng): string[];
}

/** nlpaug's defaults as Qiu et al. ran them: 30 % of a chosen word's characters, at most 10 words and 10 characters. */
export const CHAR_SHARE = 0.3;
const MAX_WORDS = 10;
const MAX_CHARS = 10;

/**
 * Applies a character edit the way nlpaug's character augmenters do: of the text's words,
 * ceil(0.05 × severity × words) (at least 1, at most 10) are drawn among those long enough;
 * in each (in text order), ceil(0.3 × length) characters (at least `minChars`, at most 10) are
 * drawn among the candidates and edited. Draw order: the words, then per word its characters,
 * then the edit's own draws. A word with no candidate stays as it is.
 */
export function applyCharEdit(text: string, severity: Severity, rng: Rng, rule: CharEdit): string {
  const spans = wordSpans(text);
  const eligible = spans.words.flatMap((w, i) => ([...w].length >= rule.minWordLength ? [i] : []));
  if (eligible.length === 0) return text;
  const count = changeCount(severityRate(severity), spans.words.length, 1, MAX_WORDS);
  const chosenWords = sample(rng, eligible, count).sort((a, b) => a - b);
  for (const w of chosenWords) {
    const chars = [...spans.words[w]];
    const candidates = rule.candidates(chars);
    if (candidates.length === 0) continue;
    const k = changeCount(CHAR_SHARE, chars.length, rule.minChars, MAX_CHARS);
    const chosen = sample(rng, candidates, k).sort((a, b) => a - b);
    spans.words[w] = rule.edit(chars, chosen, rng).join('');
  }
  return joinSpans(spans);
}

/** Every index of `chars`. */
export function allIndices(chars: readonly string[]): number[] {
  return chars.map((_, i) => i);
}
