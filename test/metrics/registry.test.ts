import { describe, expect, it } from 'vitest';
import { getMetric, METRICS } from '../../src/metrics/registry.js';

describe('metrics registry', () => {
  it('lists the headline metrics and reads them from a result', () => {
    expect(METRICS.ids()).toEqual(['acc1', 'acc5', 'mean_per_class_recall', 'ece']);
    const m = { n: 2, acc1: 0.5, acc1Ci: [0.1, 0.9] as [number, number], meanPerClassRecall: 0.4, ece: 0.2 };
    expect(getMetric('acc1').read(m)).toBe(0.5);
    expect(getMetric('acc5').read(m)).toBeUndefined();
    expect(getMetric('ece').higherIsBetter).toBe(false);
  });

  it('names the known ids for an unknown one', () => {
    expect(() => getMetric('f1')).toThrow(/unknown metric 'f1'; known: acc1, acc5, ece, mean_per_class_recall/);
  });
});
