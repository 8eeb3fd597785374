import type { Rng } from '../util/rng.js';
import type { Severity } from '../shifts/types.js';

/** A text shift requested on the command line: `typo:3` (`--text-shift NAME:SEVERITY`). */
export interface TextShiftRequest {
  name: string;
  severity: Severity;
}

/** Where synonyms come from (WordNet through `wordnet.ts`; a small table in tests). */
export interface Lexicon {
  /**
   * Synonyms of one word (lower case, letters and spaces only, the word itself left out), in
   * a fixed order; empty when the word is unknown.
   */
  synonyms(word: string): string[];
}

/**
 * One text perturbation of Qiu et al. 2022. Pure: the same (text, severity, rng state,
 * lexicon) always gives the same output; the caller seeds `rng` from (item, text, shift).
 */
export interface TextShift {
  /** kebab/snake id as on the command line, e.g. `char_swap`. */
  id: string;
  level: 'character' | 'word';
  summary: string;
  /** The published augmenter this follows (nlpaug class or EDA operation). */
  follows: string;
  /** Whether `apply` reads synonyms (then the caller passes a lexicon). */
  needsLexicon: boolean;
  apply(text: string, severity: Severity, rng: Rng, lexicon: Lexicon | null): string;
}
