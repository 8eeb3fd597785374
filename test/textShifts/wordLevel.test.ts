import { describe, expect, it } from 'vitest';
import { synonym, wordDelete, wordInsert, wordSwap } from '../../src/textShifts/wordLevel.js';
import type { Lexicon } from '../../src/textShifts/types.js';
import { scriptedRng } from './scriptedRng.js';

// Every expected output below is worked out by hand from the scripted draws (comments show the steps).

const table: Lexicon = {
  synonyms: (w) => new Map([['dog', ['domestic dog', 'canis familiaris']], ['photo', ['photograph', 'exposure']]]).get(w) ?? [],
};

describe('word_swap (EDA random swap)', () => {
  it('swaps two drawn words; spaces and punctuation stay in place', () => {
    // 5 words: max(1, int(0.25)) = 1 swap; i = floor(0.3·5) = 1, j = floor(0.9·5) = 4
    expect(wordSwap.apply('a photo of a goldfish.', 1, scriptedRng([0.3, 0.9]), null)).toBe('a goldfish of a photo.');
  });

  it('draws the second word again while it equals the first', () => {
    // i = 1; j = 1 (again), then j = 0
    expect(wordSwap.apply('a photo of a goldfish.', 1, scriptedRng([0.3, 0.3, 0]), null)).toBe('photo a of a goldfish.');
  });

  it('leaves a one-word text alone', () => {
    expect(wordSwap.apply('goldfish', 5, scriptedRng([]), null)).toBe('goldfish');
  });
});

describe('word_delete (EDA random deletion)', () => {
  it('deletes each word whose draw is at most 0.05 × severity', () => {
    // p = 0.25: draws 0.9 keep, 0.1 delete, 0.9 keep, 0.25 delete (not > p), 0.9 keep
    expect(wordDelete.apply('a photo of a goldfish.', 5, scriptedRng([0.9, 0.1, 0.9, 0.25, 0.9]), null)).toBe('a of goldfish.');
  });

  it('keeps one drawn word when every word would go', () => {
    // both deleted; keep floor(0.6·2) = 1 → fox
    expect(wordDelete.apply('red fox', 5, scriptedRng([0.1, 0.2, 0.6]), null)).toBe('fox');
  });

  it('leaves a one-word text alone', () => {
    expect(wordDelete.apply('goldfish', 5, scriptedRng([]), null)).toBe('goldfish');
  });
});

describe('synonym (EDA synonym replacement)', () => {
  it('replaces every occurrence of the first shuffled non-stop word that has synonyms, in its case', () => {
    // distinct non-stop words [photo, dog]; shuffle: j = floor(0.6·2) = 1 → [dog, photo], then j = 1
    // dog has synonyms: [domestic dog, canis familiaris][floor(0.7·2)] = canis familiaris; 1 replacement done
    const rng = scriptedRng([0.6, 0, 0.7]);
    expect(synonym.apply('A photo of a Dog.', 1, rng, table)).toBe('A photo of a Canis familiaris.');
    expect(rng.left()).toBe(0);
  });

  it('goes on to the next word when one has none, and leaves text without synonyms alone', () => {
    // distinct [goldfish, photo]; shuffle j=0 → [goldfish, photo]; goldfish: none; photo → [photograph, exposure][0]
    expect(synonym.apply('goldfish photo', 1, scriptedRng([0, 0, 0]), table)).toBe('goldfish photograph');
    expect(synonym.apply('goldfish', 1, scriptedRng([0]), table)).toBe('goldfish');
  });
});

describe('word_insert (EDA random insertion)', () => {
  it('inserts a synonym of a drawn word before a drawn position', () => {
    // 5 words, 1 insertion: word floor(0.1·5)=0 'a' (none), floor(0.9·5)=4 'dog';
    // synonym [domestic dog, canis familiaris][floor(0.2·2)=0]; position floor(0.45·5) = 2 (before 'of')
    expect(wordInsert.apply('a photo of a dog', 1, scriptedRng([0.1, 0.9, 0.2, 0.45]), table)).toBe('a photo domestic dog of a dog');
  });

  it('gives up after 10 words without synonyms', () => {
    expect(wordInsert.apply('a b', 1, scriptedRng(Array(10).fill(0)), table)).toBe('a b');
  });
});
