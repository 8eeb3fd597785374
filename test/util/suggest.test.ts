import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/util/suggest.js';
import { choice } from '../../src/cli/options.js';
import { languageIds } from '../../src/prompts/languages.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions as Levenshtein does', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('counts a swapped adjacent pair as one edit (optimal string alignment)', () => {
    expect(editDistance('fgo', 'fog')).toBe(1);
    expect(editDistance('modles', 'models')).toBe(1);
    // OSA, not full Damerau: a swapped pair is not edited again ('ca' → 'abc' is 3, not 2).
    expect(editDistance('ca', 'abc')).toBe(3);
  });
});

describe('closest', () => {
  it('suggests one-edit typos of short ids and nothing for an unrelated two-letter id', () => {
    expect(closest('cm', ['cn', 'jp', 'it', 'ar'])).toBe('cn');
    expect(closest('xx', ['cn', 'jp', 'it', 'ar'])).toBeUndefined();
    expect(closest('abc', ['ar', 'cn'])).toBeUndefined();
    expect(closest('fgo', ['fog', 'frost'])).toBe('fog');
  });

  it('allows 40 % of a longer word', () => {
    expect(closest('retrival', ['zeroshot_retrieval', 'retrieval'])).toBe('retrieval');
    expect(closest('imagenet-9', ['imagenet', 'cifar10'])).toBe('imagenet');
    expect(closest('cifar', ['imagenet-r'])).toBeUndefined();
  });

  it('--language xx lists the languages without suggesting one', () => {
    const parse = choice('--language', languageIds());
    expect(() => parse('xx')).toThrow(/^--language must be one of .*ar.*; got 'xx'$/);
    expect(() => parse('jq')).toThrow(/got 'jq'; did you mean 'jp'\?$/);
  });
});
