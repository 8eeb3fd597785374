import { describe, it, expect } from 'vitest';
import { percentLabel } from '../../src/report/charts/logitAxis.js';
import { logit } from '../../src/report/effectiveRobustness.js';

describe('percentLabel', () => {
  it('labels the nice ticks exactly, never as 100 %', () => {
    expect(percentLabel(logit(0.999, 1e9))).toBe('99.9 %');
    expect(percentLabel(logit(0.995, 1e9))).toBe('99.5 %');
    expect(percentLabel(logit(0.5, 1e9))).toBe('50 %');
    expect(percentLabel(logit(0.001, 1e9))).toBe('0.1 %');
  });

  it('keeps enough digits off the ticks to tell values near the ends apart', () => {
    expect(percentLabel(logit(0.9997, 1e9))).toBe('99.97 %');
    expect(percentLabel(logit(0.42, 1e9))).toBe('42 %');
  });
});
