import type { TextShift } from './types.js';
import { allIndices, applyCharEdit, type CharEdit } from './charLevel.js';
import { matchCase, pick } from './sampling.js';

/** Characters nlpaug's RandomCharAug inserts or substitutes: A–Z, a–z, 0–9 and its special characters. */
export const RANDOM_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()_+'];

// RandomCharAug's defaults: words of at least 4 characters, at least one character each.
const BASE = { minWordLength: 4, minChars: 1, candidates: allIndices };

function randomChar(id: string, summary: string, action: string, edit: CharEdit['edit']): TextShift {
  return {
    id, level: 'character', summary, follows: `nlpaug RandomCharAug(action='${action}')`, needsLexicon: false,
    apply: (text, severity, rng) => applyCharEdit(text, severity, rng, { ...BASE, edit }),
  };
}

/** `char_insert`: a random character goes in before each chosen one (right to left, so positions hold). */
export const charInsert = randomChar('char_insert', 'a random character is inserted', 'insert', (chars, chosen, rng) => {
  for (const i of [...chosen].reverse()) chars.splice(i, 0, RANDOM_CHARS[pick(rng, RANDOM_CHARS.length)]);
  return chars;
});

/** `char_replace`: each chosen character becomes a random one. */
export const charReplace = randomChar('char_replace', 'a character is replaced by a random one', 'substitute', (chars, chosen, rng) => {
  for (const i of chosen) chars[i] = RANDOM_CHARS[pick(rng, RANDOM_CHARS.length)];
  return chars;
});

/**
 * `char_swap`: each chosen character trades places with a neighbour (the next one for the
 * first character, the previous one for the last, else either, one draw); each position keeps
 * its case, as nlpaug's adjacent swap does.
 */
export const charSwap = randomChar('char_swap', 'a character swaps with its neighbour', 'swap', (chars, chosen, rng) => {
  const last = chars.length - 1;
  for (const i of chosen) {
    const j = i === 0 ? 1 : i === last ? last - 1 : i + (pick(rng, 2) === 0 ? -1 : 1);
    const [a, b] = [chars[i], chars[j]];
    chars[i] = matchCase(b, a);
    chars[j] = matchCase(a, b);
  }
  return chars;
});

/** `char_delete`: each chosen character is removed. */
export const charDelete = randomChar('char_delete', 'a character is deleted', 'delete', (chars, chosen) => {
  for (const i of [...chosen].reverse()) chars.splice(i, 1);
  return chars;
});
