import { describe, it, expect } from 'vitest';
import { cosineScores } from '../../src/tasks/scoring.js';

describe('cosineScores', () => {
  const emb = new Float32Array([1, 0, 0.6, 0.8]); // two (2) embeddings, D = 2
  const cls = new Float32Array([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]); // three classes

  it('computes the (N, C) dot products', () => {
    const s = cosineScores(emb, 2, cls, 3, 2);
    expect(Array.from(s)).toEqual([1, 0, Math.fround(Math.SQRT1_2), Math.fround(0.6), Math.fround(0.8), expect.closeTo(0.98995, 4)]);
  });

  it('restricts to a column subset in the given order', () => {
    const s = cosineScores(emb, 2, cls, 3, 2, [2, 0]);
    expect(s.length).toBe(4);
    expect(s[1]).toBe(1);
    expect(s[3]).toBeCloseTo(0.6, 6);
  });
});
