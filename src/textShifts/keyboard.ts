import type { TextShift } from './types.js';
import { applyCharEdit } from './charLevel.js';
import { matchCase, pick } from './sampling.js';

// The US QWERTY rows; each row sits half a key right of the one above, so a key touches its
// row neighbours, keys i and i+1 of the row above and keys i-1 and i of the row below.
const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/**
 * Keys next to each key (lower case), built from the rows above. nlpaug's table (its
 * `res/char/keyboard/en.json`) also offers shifted symbols; this one keeps letters and digits.
 */
export function qwertyNeighbours(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  ROWS.forEach((row, r) => {
    [...row].forEach((key, i) => {
      const near = [row[i - 1], row[i + 1], ROWS[r - 1]?.[i], ROWS[r - 1]?.[i + 1], ROWS[r + 1]?.[i - 1], ROWS[r + 1]?.[i]];
      map.set(key, near.filter((k): k is string => k !== undefined));
    });
  });
  return map;
}

const NEIGHBOURS = qwertyNeighbours();

/**
 * `typo`: nlpaug's KeyboardAug (a chosen character becomes a key next to it; words of at
 * least 4 characters). An upper-case letter becomes an upper-case neighbour.
 */
export const typo: TextShift = {
  id: 'typo',
  level: 'character',
  summary: 'keyboard typo: a character becomes a neighbouring QWERTY key',
  follows: 'nlpaug KeyboardAug',
  needsLexicon: false,
  apply: (text, severity, rng) => applyCharEdit(text, severity, rng, {
    minWordLength: 4,
    minChars: 1,
    candidates: (chars) => chars.flatMap((c, i) => (NEIGHBOURS.has(c.toLowerCase()) ? [i] : [])),
    edit: (chars, chosen, r) => {
      for (const i of chosen) {
        const near = NEIGHBOURS.get(chars[i].toLowerCase())!;
        chars[i] = matchCase(near[pick(r, near.length)], chars[i]);
      }
      return chars;
    },
  }),
};
