import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { averagePrecision, fprAtTpr95, midranks, oodMetrics, rocCurve, type OodMetrics } from '../../src/metrics/ood.js';
import { ZeroshiftError } from '../../src/errors.js';

/** One reference case: its score sets and what scikit-learn computed for them. */
interface RefCase extends Omit<OodMetrics, 'nId' | 'nOod'> {
  name: string;
  id: number[];
  ood: number[];
}

// scikit-learn 1.2.1 roc_auc_score / roc_curve / average_precision_score and DeLong from its
// pairwise definition (scripts/reference/ood_sklearn.py).
const ref = JSON.parse(readFileSync(new URL('../fixtures/ood/sklearn.json', import.meta.url), 'utf8')) as { cases: RefCase[] };

describe('OOD metrics against scikit-learn', () => {
  for (const c of ref.cases) {
    it(c.name, () => {
      const m = oodMetrics(c.id, c.ood);
      expect(m.nId).toBe(c.id.length);
      expect(m.nOod).toBe(c.ood.length);
      expect(m.auroc).toBeCloseTo(c.auroc, 12);
      expect(m.fpr95).toBe(c.fpr95);
      expect(m.fpr95Threshold).toBe(c.fpr95Threshold);
      expect(m.auprIn).toBeCloseTo(c.auprIn, 12);
      expect(m.auprOut).toBeCloseTo(c.auprOut, 12);
      if (c.aurocCi === null) expect(m.aurocCi).toBeNull();
      else {
        expect(m.aurocCi![0]).toBeCloseTo(c.aurocCi[0], 12);
        expect(m.aurocCi![1]).toBeCloseTo(c.aurocCi[1], 12);
      }
    });
  }

  it('the reference covers ties, perfect separation and a single OOD item', () => {
    const names = ref.cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['rounded (ties)', 'perfect separation', 'all tied', 'one OOD item']));
    const tied = ref.cases.find((c) => c.name === 'rounded (ties)')!;
    expect(new Set([...tied.id, ...tied.ood]).size).toBeLessThan(tied.id.length + tied.ood.length - 20);
  });
});

describe('OOD metrics by hand', () => {
  it('a tie between an ID and an OOD score counts one half', () => {
    // pairs (ID, OOD): (0.9,0.5)=1 (0.9,0.1)=1 (0.5,0.5)=½ (0.5,0.1)=1, twice → (1+1+2·1.5)/6.
    expect(oodMetrics([0.9, 0.5, 0.5], [0.5, 0.1]).auroc).toBeCloseTo(5 / 6, 15);
    expect(oodMetrics([1], [1]).auroc).toBe(0.5);
  });

  it('perfect separation: AUROC 1, FPR@95 0, both AUPRs 1, a zero-width DeLong interval', () => {
    const m = oodMetrics([5, 6, 7, 8], [1, 2, 3]);
    expect(m).toMatchObject({ auroc: 1, fpr95: 0, auprIn: 1, auprOut: 1, aurocCi: [1, 1] });
  });

  it('FPR@95: t is the ⌈0.95·n⌉-th largest ID score and OOD scores equal to t count', () => {
    const id = Array.from({ length: 20 }, (_, i) => i); // 19 of 20 at or above 1 → t = 1
    expect(fprAtTpr95(id, [1, 0.5, 2, 0]).threshold).toBe(1);
    expect(fprAtTpr95(id, [1, 0.5, 2, 0]).fpr).toBe(0.5);
    const id21 = Array.from({ length: 21 }, (_, i) => i); // ⌈19.95⌉ = 20 kept → t = 1
    expect(fprAtTpr95(id21, [0.99, 1]).fpr).toBe(0.5);
  });

  it('average precision groups tied scores into one step', () => {
    // Descending: 0.8 {pos, neg} then 0.2 {pos}: recall ½ at precision ½, then recall 1 at ⅔.
    expect(averagePrecision([0.8, 0.2], [0.8])).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 15);
  });

  it('midranks share tied ranks', () => {
    expect(Array.from(midranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
  });

  it('ROC curve runs from (0,0) to (1,1) with one point per distinct score', () => {
    expect(rocCurve([0.9, 0.5], [0.5, 0.1])).toEqual({ fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] });
  });

  it('an empty OOD or ID set is a DATASET error (exit 2) naming the set', () => {
    const err = (() => { try { oodMetrics([0.5, 0.6], [], { id: 'shapes', ood: 'blank' }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ZeroshiftError);
    expect((err as ZeroshiftError).code).toBe('DATASET');
    expect((err as ZeroshiftError).exitCode).toBe(2);
    expect((err as ZeroshiftError).message).toMatch(/^blank has no scored items/);
    expect(() => oodMetrics([], [0.1], { id: 'shapes', ood: 'blank' })).toThrow(/^shapes has no scored items/);
  });

  it('a non-finite score is an internal error', () => {
    expect(() => oodMetrics([0.5, NaN], [0.1])).toThrow(/score 1 of ID set is NaN/);
  });
});
