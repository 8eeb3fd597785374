import { describe, expect, it } from 'vitest';
import { ciText, pct, signedPoints } from '../../src/util/numberFormat.js';

describe('numberFormat', () => {
  it('prints fractions as percentages with one decimal', () => {
    expect(pct(0.4567)).toBe('45.7');
    expect(pct(1)).toBe('100.0');
    expect(ciText([0.412, 0.5034])).toBe('[41.2, 50.3]');
  });

  it('signs points with a true minus and writes n/a for null', () => {
    expect(signedPoints(0.123)).toBe('+12.3');
    expect(signedPoints(-0.05)).toBe('−5.0');
    expect(signedPoints(null)).toBe('n/a');
  });
});
