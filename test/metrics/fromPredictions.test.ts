import { describe, expect, it } from 'vitest';
import { createMetricsAccumulator } from '../../src/metrics/accumulator.js';
import { metricsFromPredictions, type StoredPrediction } from '../../src/metrics/fromPredictions.js';

/** Deterministic xorshift PRNG so the test data are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

interface Case {
  rows: Float32Array[];
  labels: number[];
}

function makeCase(n: number, c: number, labelClasses: number, seed: number): Case {
  const r = rng(seed);
  const rows = Array.from({ length: n }, () => Float32Array.from({ length: c }, () => r() * 0.6 - 0.2));
  const labels = Array.from({ length: n }, () => Math.floor(r() * labelClasses));
  // Make roughly half the items correct so every metric has something to count.
  rows.forEach((row, i) => {
    if (i % 2 === 0 && labels[i] < c) row[labels[i]] = 0.9;
  });
  return { rows, labels };
}

function accumulate(k: Case, c: number, labelClasses: number, acceptable?: (l: number) => readonly number[]): { report: unknown; preds: StoredPrediction[] } {
  const acc = createMetricsAccumulator(c, 100, labelClasses);
  const preds = k.rows.map((row, i) => ({ label: k.labels[i], ...acc.add(row, k.labels[i], acceptable?.(k.labels[i])) }));
  // Stored predictions go through JSON: the rebuild must be exact after a round trip.
  return { report: acc.finish(), preds: JSON.parse(JSON.stringify(preds)) as StoredPrediction[] };
}

describe('metricsFromPredictions', () => {
  it('rebuilds exactly the accumulator report (10 classes, confusion kept)', () => {
    const k = makeCase(500, 10, 10, 7);
    const { report, preds } = accumulate(k, 10, 10);
    expect(metricsFromPredictions(preds, { numClasses: 10 })).toEqual(report);
  });

  it('rebuilds exactly with fewer than 5 classes (no top-5) and with class names', () => {
    const k = makeCase(200, 3, 3, 11);
    const acc = createMetricsAccumulator(3, 100);
    const preds = k.rows.map((row, i) => ({ label: k.labels[i], ...acc.add(row, k.labels[i]) }));
    const names = ['a', 'b', 'c'];
    const rebuilt = metricsFromPredictions(preds, { numClasses: 3, classNames: names });
    expect(rebuilt).toEqual(acc.finish(names));
    expect(rebuilt.metrics.acc5).toBeUndefined();
  });

  it('rebuilds exactly with acceptable sets over a different label space', () => {
    const k = makeCase(300, 8, 4, 3);
    const acceptable = (l: number): readonly number[] => [2 * l, 2 * l + 1];
    const { report, preds } = accumulate(k, 8, 4, acceptable);
    expect(metricsFromPredictions(preds, { numClasses: 8, numLabelClasses: 4, acceptable })).toEqual(report);
  });

  it('concatenated range parts give the whole-run report', () => {
    const k = makeCase(97, 6, 6, 5);
    const { report, preds } = accumulate(k, 6, 6);
    const parts = [preds.slice(0, 30), preds.slice(30, 64), preds.slice(64)];
    expect(metricsFromPredictions(parts.flat(), { numClasses: 6 })).toEqual(report);
  });

  it('differs when an item changes (the comparison can fail)', () => {
    const k = makeCase(50, 6, 6, 9);
    const { report, preds } = accumulate(k, 6, 6);
    preds[0] = { ...preds[0], label: (preds[0].label + 1) % 6 };
    expect(metricsFromPredictions(preds, { numClasses: 6 })).not.toEqual(report);
  });

  it('rejects empty input, a top-1 outside C and a label outside the label space', () => {
    expect(() => metricsFromPredictions([], { numClasses: 3 })).toThrow(/n = 0/);
    expect(() => metricsFromPredictions([{ label: 0, top: [7], scores: [1] }], { numClasses: 3 })).toThrow(/top-1 class in 0\.\.2/);
    expect(() => metricsFromPredictions([{ label: 5, top: [0], scores: [1] }], { numClasses: 3 })).toThrow(/label 5 is outside 0\.\.2/);
  });
});
