import { describe, expect, it } from 'vitest';
import { topK } from '../../src/metrics/topK.js';
import { createRng } from '../../src/util/rng.js';

describe('topK', () => {
  it('returns the k largest per row, best first, ties to the lower index', () => {
    const logits = new Float32Array([0.1, 0.5, 0.5, 0.2, /* row 1 */ 3, 3, 3, 3]);
    const r = topK(logits, 2, 4, 3);
    expect(r.k).toBe(3);
    expect(Array.from(r.indices)).toEqual([1, 2, 3, 0, 1, 2]);
    expect(Array.from(r.values)).toEqual([0.5, 0.5, Math.fround(0.2), 3, 3, 3]);
  });

  it('ranks NaN last and clips k to C', () => {
    const r = topK(new Float32Array([NaN, -1, 2]), 1, 3, 5);
    expect(r.k).toBe(3);
    expect(Array.from(r.indices)).toEqual([2, 1, 0]);
  });

  it('agrees with a stable full sort on random rows with many ties', () => {
    const rng = createRng(7);
    const n = 20;
    const c = 1000;
    const logits = new Float32Array(n * c).map(() => rng.int(0, 50) / 10);
    const r = topK(logits, n, c, 5);
    for (let i = 0; i < n; i++) {
      const order = Array.from({ length: c }, (_, j) => j).sort((a, b) => logits[i * c + b] - logits[i * c + a] || a - b);
      expect(Array.from(r.indices.subarray(i * 5, i * 5 + 5))).toEqual(order.slice(0, 5));
    }
  });

  it('rejects a mis-sized logits array', () => {
    expect(() => topK(new Float32Array(5), 2, 3, 1)).toThrow(/expected n·c/);
  });
});
