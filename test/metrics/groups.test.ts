import { describe, expect, it } from 'vitest';
import { groupMetrics, groupSummary, groupValue, macroF1, MISSING_GROUP, type GroupItem } from '../../src/metrics/groups.js';
import { clopperPearson } from '../../src/metrics/clopperPearson.js';

const item = (label: number, pred: number, correct5?: boolean): GroupItem => ({ label, pred, correct: label === pred, correct5 });

describe('group metrics', () => {
  // africa: labels 0,0,1 preds 0,1,1 → 2/3 correct; class 0 recall 1/2, class 1 recall 1 → balanced 3/4.
  // europe: 2 items both correct. (missing): 1 wrong item.
  const items = [item(0, 0, true), item(0, 1, true), item(1, 1, true), item(2, 2, true), item(1, 1, true), item(2, 0, false)];
  const values = ['africa', 'africa', 'africa', 'europe', 'europe', MISSING_GROUP];

  it('n, acc1 with its Clopper–Pearson CI, per-group balanced accuracy and acc5, by hand', () => {
    const g = groupMetrics(items, values);
    expect(Object.keys(g)).toEqual([MISSING_GROUP, 'africa', 'europe']);
    expect(g.africa).toEqual({ n: 3, acc1: 2 / 3, acc1Ci: clopperPearson(2, 3), meanPerClassRecall: 0.75, acc5: 1 });
    expect(g.europe).toEqual({ n: 2, acc1: 1, acc1Ci: clopperPearson(2, 2), meanPerClassRecall: 1, acc5: 1 });
    expect(g[MISSING_GROUP].acc1).toBe(0);
  });

  it('worst/best/gap leave the (missing) group out', () => {
    const s = groupSummary(groupMetrics(items, values))!;
    expect(s).toEqual({ by: 'acc1', worst: { value: 'africa', acc1: 2 / 3 }, best: { value: 'europe', acc1: 1 }, gap: 1 - 2 / 3 });
  });

  it('ranks by acc5 for the Dollar Street rule, ties to the value that sorts first', () => {
    const s = groupSummary(groupMetrics(items, values), 'acc5')!;
    expect(s.worst).toEqual({ value: 'africa', acc1: 2 / 3, metric: 1 });
    expect(s.best.value).toBe('africa');
    expect(s.gap).toBe(0);
  });

  it('has no summary with only the missing group', () => {
    expect(groupSummary(groupMetrics([item(0, 0)], [MISSING_GROUP]))).toBeUndefined();
  });

  it('reads group values from metadata', () => {
    expect(groupValue({ region: 'Asia' }, 'region')).toBe('Asia');
    expect(groupValue({ income: 3 }, 'income')).toBe('3');
    expect(groupValue({ region: '' }, 'region')).toBe(MISSING_GROUP);
    expect(groupValue({ region: null }, 'region')).toBe(MISSING_GROUP);
    expect(groupValue(undefined, 'region')).toBe(MISSING_GROUP);
  });
});

describe('macro-F1 (sklearn average="macro"; WILDS labels=unique(y_true))', () => {
  // label 0: TP 1, FN 1 → 2/3; label 1: TP 1, FP 1 → 2/3; label 2: FN 1 → 0; label 3: FP 1 → 0.
  const labels = [0, 0, 1, 2];
  const preds = [0, 1, 1, 3];
  it('averages over the union of labels by default', () => {
    expect(macroF1(labels, preds)).toBeCloseTo((2 / 3 + 2 / 3) / 4, 15);
  });
  it('averages over true labels only for the WILDS rule', () => {
    expect(macroF1(labels, preds, 'true')).toBeCloseTo((2 / 3 + 2 / 3) / 3, 15);
  });
});
