/**
 * A text as words and what lies between them, so a shift changes only words and the spaces,
 * punctuation and template around them stay exactly as they were.
 */
export interface WordSpans {
  /** The words, in order. */
  words: string[];
  /** `gaps[i]` precedes `words[i]`; the last gap follows the last word (gaps.length = words.length + 1). */
  gaps: string[];
}

// Letters and digits of any script; everything else (spaces, punctuation) separates words.
const WORD = /[\p{L}\p{N}]+/gu;

/** Splits `text` into words (runs of letters and digits) and the gaps between them. */
export function wordSpans(text: string): WordSpans {
  const words: string[] = [];
  const gaps: string[] = [];
  let at = 0;
  for (const m of text.matchAll(WORD)) {
    gaps.push(text.slice(at, m.index));
    words.push(m[0]);
    at = m.index + m[0].length;
  }
  gaps.push(text.slice(at));
  return { words, gaps };
}

/** The text of spans whose words may have changed. */
export function joinSpans(s: WordSpans): string {
  let out = s.gaps[0];
  for (let i = 0; i < s.words.length; i++) out += s.words[i] + s.gaps[i + 1];
  return out;
}
