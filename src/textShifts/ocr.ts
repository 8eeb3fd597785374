import type { TextShift } from './types.js';
import { applyCharEdit } from './charLevel.js';
import { pick } from './sampling.js';

// Characters an OCR engine confuses: the pairs of nlpaug's OCR table (`res/char/ocr/en.json`),
// which nlpaug also reads backwards (its model adds each reverse pair).
const PAIRS: readonly (readonly [string, string])[] = [
  ['0', '8'], ['0', '9'], ['0', 'o'], ['0', 'O'], ['0', 'D'],
  ['1', '4'], ['1', '7'], ['1', 'l'], ['1', 'I'],
  ['2', 'z'], ['2', 'Z'], ['5', '8'], ['6', 'b'],
  ['8', 's'], ['8', 'S'], ['8', '@'], ['8', '&'],
  ['9', 'g'], ['9', 'q'], ['o', 'u'], ['r', 'k'], ['C', 'G'], ['O', 'D'], ['O', 'U'], ['E', 'B'],
];

/** Each character to the characters it may be read as, in the order of the pairs above (forward pairs first). */
export function ocrConfusions(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (from: string, to: string): void => {
    const list = map.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    map.set(from, list);
  };
  for (const [a, b] of PAIRS) add(a, b);
  for (const [a, b] of PAIRS) add(b, a);
  return map;
}

const CONFUSIONS = ocrConfusions();

/** `ocr`: nlpaug's OcrAug (a chosen character becomes one an OCR engine confuses it with; any word length, at least 2 characters per chosen word where the word has them). */
export const ocr: TextShift = {
  id: 'ocr',
  level: 'character',
  summary: 'OCR error: a character becomes one OCR confuses it with (o→u, l→1, r→k, …)',
  follows: 'nlpaug OcrAug',
  needsLexicon: false,
  apply: (text, severity, rng) => applyCharEdit(text, severity, rng, {
    minWordLength: 1,
    minChars: 2,
    candidates: (chars) => chars.flatMap((c, i) => (CONFUSIONS.has(c) ? [i] : [])),
    edit: (chars, chosen, r) => {
      for (const i of chosen) {
        const options = CONFUSIONS.get(chars[i])!;
        chars[i] = options[pick(r, options.length)];
      }
      return chars;
    },
  }),
};
