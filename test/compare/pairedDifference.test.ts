import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newcombePairedDifference, wilsonInterval } from '../../src/compare/pairedDifference.js';
import { mcnemarFromCounts } from '../../src/metrics/mcnemar.js';

interface Case { table: [number, number, number, number]; estimate: number; ci: [number, number]; wilsonA: [number, number]; wilsonB: [number, number]; mcnemarExactP: number }
/** Produced once by scripts/reference/paired_difference_scipy.py (SciPy's Wilson interval and binomial test). */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/compare/paired-difference.json', import.meta.url), 'utf8')) as { z975: number; cases: Case[] };

const tableOf = (t: Case['table']) => ({ bothRight: t[0], onlyA: t[1], onlyB: t[2], bothWrong: t[3] });

describe('newcombePairedDifference', () => {
  it.each(fixture.cases.map((c) => [c.table.join(','), c] as const))('matches the SciPy reference on (%s)', (_, c) => {
    const r = newcombePairedDifference(tableOf(c.table));
    expect(r.estimate).toBeCloseTo(c.estimate, 14);
    expect(r.ci[0]).toBeCloseTo(c.ci[0], 12);
    expect(r.ci[1]).toBeCloseTo(c.ci[1], 12);
    const n = c.table.reduce((s, x) => s + x, 0);
    const [wa, wb] = [wilsonInterval(c.table[0] + c.table[1], n, fixture.z975), wilsonInterval(c.table[0] + c.table[2], n, fixture.z975)];
    for (const [ours, ref] of [[wa, c.wilsonA], [wb, c.wilsonB]] as const) {
      expect(ours[0]).toBeCloseTo(ref[0], 12);
      expect(ours[1]).toBeCloseTo(ref[1], 12);
    }
    expect(mcnemarFromCounts(c.table[1], c.table[2], 'exact').pValue).toBeCloseTo(c.mcnemarExactP, 12);
  });

  it('reproduces the published Cavo et al. example (Fagerland, Lydersen & Laake 2017: −0.0621 [−0.1186, −0.0046] as A − B)', () => {
    const r = newcombePairedDifference({ bothRight: 59, onlyA: 6, onlyB: 16, bothWrong: 80 });
    expect(r.estimate.toFixed(4)).toBe('0.0621');
    expect(r.ci.map((x) => x.toFixed(4))).toEqual(['0.0046', '0.1186']);
  });

  it('is antisymmetric: swapping A and B mirrors the interval', () => {
    const r = newcombePairedDifference({ bothRight: 30, onlyA: 4, onlyB: 11, bothWrong: 9 });
    const s = newcombePairedDifference({ bothRight: 30, onlyA: 11, onlyB: 4, bothWrong: 9 });
    expect(s.estimate).toBeCloseTo(-r.estimate, 15);
    expect(s.ci[0]).toBeCloseTo(-r.ci[1], 15);
    expect(s.ci[1]).toBeCloseTo(-r.ci[0], 15);
  });

  it('refuses an empty or fractional table', () => {
    expect(() => newcombePairedDifference({ bothRight: 0, onlyA: 0, onlyB: 0, bothWrong: 0 })).toThrow(/empty/);
    expect(() => newcombePairedDifference({ bothRight: 1.5, onlyA: 0, onlyB: 0, bothWrong: 0 })).toThrow(/integer/);
  });
});
