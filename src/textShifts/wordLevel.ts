import { ZeroshiftError } from '../errors.js';
import type { Rng } from '../util/rng.js';
import type { Severity } from '../shifts/types.js';
import type { Lexicon, TextShift } from './types.js';
import { pick, sample, severityRate } from './sampling.js';
import { joinSpans, wordSpans, type WordSpans } from './words.js';

/**
 * Words EDA (Wei & Zou 2019) never replaces with a synonym: English function words. Our own
 * list of articles, pronouns, auxiliaries, prepositions and conjunctions.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(`a an the this that these those i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
what which who whom whose am is are was were be been being have has had having do does did doing will would shall should can could may might must
and but or nor so yet if then else than because as until while of at by for with about against between into through during before after above below
to from up down in out on off over under again further once here there when where why how all any both each few more most other some such no not only
own same too very just s t don now`.split(/\s+/));

/** How many words EDA changes: max(1, int(alpha × words)), alpha = 0.05 × severity. */
function edaCount(severity: Severity, words: number): number {
  return Math.max(1, Math.floor(severityRate(severity) * words));
}

/** `to` with a capital first letter when `like` has one (EDA lower-cases the whole sentence; we keep the text's own case). */
function likeCase(to: string, like: string): string {
  return like[0] !== like[0].toLowerCase() ? to[0].toUpperCase() + to.slice(1) : to;
}

function lexiconOf(lexicon: Lexicon | null, id: string): Lexicon {
  if (!lexicon) throw new ZeroshiftError('INTERNAL', `text shift ${id} needs a lexicon (WordNet) and got none`);
  return lexicon;
}

/**
 * `synonym`: EDA's synonym replacement. The distinct non-stop words are shuffled; going down
 * that order, a word with WordNet synonyms has every occurrence replaced by one of them (drawn
 * uniformly), until max(1, int(0.05 × severity × words)) words are replaced or none is left.
 */
export const synonym: TextShift = {
  id: 'synonym', level: 'word', summary: 'a word is replaced by a WordNet synonym', follows: 'EDA synonym replacement (SR)', needsLexicon: true,
  apply(text, severity, rng, lexicon) {
    const words = lexiconOf(lexicon, 'synonym');
    const s = wordSpans(text);
    const n = edaCount(severity, s.words.length);
    const distinct = [...new Set(s.words.map((w) => w.toLowerCase()))].filter((w) => !STOP_WORDS.has(w));
    let replaced = 0;
    for (const word of sample(rng, distinct, distinct.length)) {
      if (replaced >= n) break;
      const options = words.synonyms(word);
      if (options.length === 0) continue;
      const chosen = options[pick(rng, options.length)];
      s.words = s.words.map((w) => (w.toLowerCase() === word ? likeCase(chosen, w) : w));
      replaced++;
    }
    return joinSpans(s);
  },
};

/**
 * `word_insert`: EDA's random insertion, max(1, int(0.05 × severity × words)) times: a random
 * word of the text with synonyms (up to 10 tries) gives one of them, inserted before a random
 * word (positions 0 … words − 1, as EDA draws them) with a single space.
 */
export const wordInsert: TextShift = {
  id: 'word_insert', level: 'word', summary: 'a synonym of one of its words is inserted at a random place', follows: 'EDA random insertion (RI)', needsLexicon: true,
  apply(text, severity, rng, lexicon) {
    const words = lexiconOf(lexicon, 'word_insert');
    const s = wordSpans(text);
    if (s.words.length === 0) return text;
    const n = edaCount(severity, s.words.length);
    for (let t = 0; t < n; t++) {
      let options: string[] = [];
      for (let tries = 0; tries < 10 && options.length === 0; tries++) options = words.synonyms(s.words[pick(rng, s.words.length)].toLowerCase());
      if (options.length === 0) break;
      const chosen = options[pick(rng, options.length)];
      const at = pick(rng, s.words.length);
      s.words.splice(at, 0, chosen);
      s.gaps.splice(at + 1, 0, ' ');
    }
    return joinSpans(s);
  },
};

/**
 * `word_swap`: EDA's random swap, max(1, int(0.05 × severity × words)) times: two random
 * words trade places (the second drawn again while it equals the first, giving up after 4
 * draws, as EDA does); the spaces and punctuation between words stay where they were.
 */
export const wordSwap: TextShift = {
  id: 'word_swap', level: 'word', summary: 'two words swap places', follows: 'EDA random swap (RS)', needsLexicon: false,
  apply(text, severity, rng) {
    const s = wordSpans(text);
    if (s.words.length < 2) return text;
    const n = edaCount(severity, s.words.length);
    for (let t = 0; t < n; t++) {
      const i = pick(rng, s.words.length);
      let j = i;
      let tries = 0;
      while (j === i && tries < 4) {
        j = pick(rng, s.words.length);
        tries++;
      }
      if (j === i) continue;
      [s.words[i], s.words[j]] = [s.words[j], s.words[i]];
    }
    return joinSpans(s);
  },
};

/** Removes word `i` with the gap before it (the gap after it for the first word). */
function removeWord(s: WordSpans, i: number): void {
  s.words.splice(i, 1);
  s.gaps.splice(i > 0 ? i : 1, 1);
}

/**
 * `word_delete`: EDA's random deletion: each word is deleted with probability 0.05 ×
 * severity (one draw per word, in order); a one-word text stays, and when every word would go,
 * one random word is kept.
 */
export const wordDelete: TextShift = {
  id: 'word_delete', level: 'word', summary: 'each word is deleted with probability 0.05 × severity', follows: 'EDA random deletion (RD)', needsLexicon: false,
  apply(text, severity, rng) {
    const s = wordSpans(text);
    if (s.words.length <= 1) return text;
    const p = severityRate(severity);
    const keep = s.words.map(() => rng.next() > p);
    if (!keep.some(Boolean)) keep[pick(rng, keep.length)] = true;
    for (let i = s.words.length - 1; i >= 0; i--) if (!keep[i]) removeWord(s, i);
    return joinSpans(s);
  },
};
