import { describe, expect, it } from 'vitest';
import { typo, qwertyNeighbours } from '../../src/textShifts/keyboard.js';
import { ocr, ocrConfusions } from '../../src/textShifts/ocr.js';
import { charDelete, charInsert, charReplace, charSwap, RANDOM_CHARS } from '../../src/textShifts/randomChar.js';
import { changeCount, sample } from '../../src/textShifts/sampling.js';
import { joinSpans, wordSpans } from '../../src/textShifts/words.js';
import { createRng } from '../../src/util/rng.js';
import { scriptedRng } from './scriptedRng.js';

// Every expected output below is worked out by hand from the scripted draws (comments show the steps).

describe('sampling helpers', () => {
  it('sample draws a partial Fisher–Yates shuffle in draw order', () => {
    // t=0: j = 0 + floor(0.5·4) = 2 → [c,b,a,d]; t=1: j = 1 + floor(0·3) = 1 → [c,b]
    expect(sample(scriptedRng([0.5, 0]), ['a', 'b', 'c', 'd'], 2)).toEqual(['c', 'b']);
  });

  it('changeCount rounds the float product up as nlpaug does in Python (0.05·3·20 = 3.0000000000000004 → 4)', () => {
    expect(changeCount(0.05 * 3, 20, 1, 10)).toBe(4);
    expect(changeCount(0.05, 2, 1, 10)).toBe(1);
    expect(changeCount(0.3, 2, 2, 10)).toBe(2);
    expect(changeCount(0.3, 100, 1, 10)).toBe(10);
  });

  it('wordSpans keeps every character outside the words', () => {
    const s = wordSpans('  a photo, of "a" goldfish.');
    expect(s.words).toEqual(['a', 'photo', 'of', 'a', 'goldfish']);
    expect(s.gaps).toEqual(['  ', ' ', ', ', ' "', '" ', '.']);
    expect(joinSpans(s)).toBe('  a photo, of "a" goldfish.');
  });
});

describe('typo (KeyboardAug)', () => {
  it('QWERTY neighbours come from the staggered rows', () => {
    const n = qwertyNeighbours();
    expect(n.get('s')).toEqual(['a', 'd', 'w', 'e', 'z', 'x']);
    expect(n.get('q')).toEqual(['w', '1', '2', 'a']);
    expect(n.get('m')).toEqual(['n', 'j', 'k']);
  });

  it('changes hand-computed characters of the chosen word', () => {
    // words [a, goldfish]; only goldfish has ≥ 4 chars; ceil(0.05·2) = 1 word (draw 0).
    // ceil(0.3·8) = 3 chars: j=floor(0·8)=0; j=1+floor(0.5·7)=4; j=2+floor(0.99·6)=7 → [0,4,7]
    // g → [f,h,t,y,v,b][floor(0·6)] = f; f → [d,g,r,t,c,v][3] = t; h → [g,j,y,u,b,n][5] = n
    const rng = scriptedRng([0, 0, 0.5, 0.99, 0, 0.5, 0.99]);
    expect(typo.apply('a goldfish', 1, rng, null)).toBe('a foldtisn');
    expect(rng.left()).toBe(0);
  });

  it('keeps an upper-case letter upper case', () => {
    // word Goldfish; chars [0] only needs k = 3 → same draws as above
    expect(typo.apply('Goldfish', 1, scriptedRng([0, 0, 0.5, 0.99, 0, 0.5, 0.99]), null)).toBe('Foldtisn');
  });

  it('leaves words shorter than 4 characters alone, with no draw', () => {
    const rng = scriptedRng([]);
    expect(typo.apply('a big cat', 5, rng, null)).toBe('a big cat');
  });

  it('changes ceil(0.05 × severity × words) words (4 of 20 at severity 3, Python float rounding)', () => {
    const words = Array.from({ length: 20 }, (_, i) => `word${'abcdefghijklmnopqrst'[i]}`);
    const out = typo.apply(words.join(' '), 3, createRng(7), null).split(' ');
    expect(out.filter((w, i) => w !== words[i]).length).toBe(4);
  });
});

describe('ocr (OcrAug)', () => {
  it('reads the table both ways', () => {
    const c = ocrConfusions();
    expect(c.get('0')).toEqual(['8', '9', 'o', 'O', 'D']);
    expect(c.get('o')).toEqual(['u', '0']);
    expect(c.get('k')).toEqual(['r']);
    expect(c.has('x')).toBe(false);
  });

  it('changes at least 2 characters of any word length (hand-computed)', () => {
    // words [room, 10]; ceil(0.25·2) = 1 word: j = floor(0.6·2) = 1 → '10'
    // both chars are in the table; k = max(2, ceil(0.6)) = 2: [0,1]
    // 1 → [4,7,l,I][floor(0.5·4)] = l; 0 → [8,9,o,O,D][floor(0.45·5)] = o
    const rng = scriptedRng([0.6, 0, 0, 0.5, 0.45]);
    expect(ocr.apply('room 10', 5, rng, null)).toBe('room lo');
    expect(rng.left()).toBe(0);
  });
});

describe('random character edits (RandomCharAug)', () => {
  it('char_insert inserts right to left before the chosen characters', () => {
    // house: k = ceil(1.5) = 2: j=floor(0.2·5)=1 → [1,0,…]; j=1+floor(0.75·4)=4 → [1,4]
    // at 4: RANDOM_CHARS[floor(0·74)] = A → hous A e; at 1: RANDOM_CHARS[37] = l → h l ousAe
    expect(RANDOM_CHARS.length).toBe(74);
    expect(charInsert.apply('big house', 1, scriptedRng([0, 0.2, 0.75, 0, 0.5]), null)).toBe('big hlousAe');
  });

  it('char_replace replaces the chosen characters', () => {
    // [0,1]; RANDOM_CHARS[floor(0.84·74)=62] = '!'; RANDOM_CHARS[floor(0.71·74)=52] = '0'
    expect(charReplace.apply('house', 1, scriptedRng([0, 0, 0, 0.84, 0.71]), null)).toBe('!0use');
  });

  it('char_swap swaps with the next (first), the previous (last) or a drawn neighbour, each position keeping its case', () => {
    // Paris: [0,4]: 0↔1 → Apris (P's capital stays at position 0); 4↔3 → Aprsi; no direction draws
    expect(charSwap.apply('Paris', 1, scriptedRng([0, 0, 0.99]), null)).toBe('Aprsi');
    // bread: [1,3]; 1: floor(0.1·2)=0 → left: rbead; 3: floor(0.9·2)=1 → right: rbeda
    expect(charSwap.apply('bread', 1, scriptedRng([0, 0.2, 0.5, 0.1, 0.9]), null)).toBe('rbeda');
  });

  it('char_delete removes the chosen characters', () => {
    expect(charDelete.apply('house', 1, scriptedRng([0, 0.2, 0.75]), null)).toBe('hus');
  });
});
