import { describe, it, expect } from 'vitest';
import { rankPromptSets, itemCorrectness, rankingTable } from '../../src/eval/comparePrompts.js';
import type { Result, Prediction } from '../../src/results/schema.js';

function run(name: string, acc1: number, correct: boolean[], templates = 1): { result: Result; predictions: Prediction[] } {
  const predictions = correct.map((ok, i) => ({ id: `i${i}`, label: 0, top: [ok ? 0 : 1, 2], scores: [0.9, 0.1], correct: ok }));
  const result = { metrics: { n: correct.length, acc1, acc1Ci: [acc1 - 0.1, acc1 + 0.1] }, prompts: { name, templates: new Array(templates).fill('{}') } } as unknown as Result;
  return { result, predictions };
}

describe('rankPromptSets', () => {
  it('ranks by top-1 and tests each set against the best with McNemar on paired items', () => {
    // best: 8/10 correct; worse: 4/10, disagreeing on items 0-3 (b = 4, c = 0) → exact p = 2 · 0.5^4 = 0.125
    const best = run('best', 0.8, [true, true, true, true, true, true, true, true, false, false]);
    const worse = run('worse', 0.4, [false, false, false, false, true, true, true, true, false, false]);
    const ranking = rankPromptSets([worse, best]);
    expect(ranking.map((r) => r.prompts)).toEqual(['best', 'worse']);
    expect(ranking[0].vsBest).toBeNull();
    expect(ranking[1].vsBest).toMatchObject({ b: 4, c: 0, method: 'exact' });
    expect(ranking[1].vsBest!.pValue).toBeCloseTo(0.125, 12);
    expect(rankingTable(ranking)).toContain('(best)');
  });

  it('takes correctness from the predictions as the protocol judged them, not top[0] === label', () => {
    // ObjectNet-style: label 0 is a dataset class, position 7 one of its acceptable scored columns.
    const preds: Prediction[] = [{ id: 'a', label: 0, top: [7], scores: [1], correct: true }, { id: 'b', label: 3, top: [3], scores: [1], correct: false }];
    expect([...itemCorrectness(preds).entries()]).toEqual([['a', true], ['b', false]]);
  });
});

describe('ties', () => {
  it('exactly equal top-1 shares a rank; the next rank skips (1, 1, 3)', () => {
    const a = run('a', 0.5, [true, false, true, false]);
    const b = run('b', 0.5, [false, true, false, true]);
    const c = run('c', 0.25, [true, false, false, false]);
    const ranking = rankPromptSets([c, b, a]);
    expect(ranking.map((r) => [r.prompts, r.rank])).toEqual([['a', 1], ['b', 1], ['c', 3]]);
    expect(ranking[1].vsBest).toMatchObject({ b: 2, c: 2 });
    expect(rankingTable(ranking).split('\n').filter((l) => l.includes('(best)'))).toHaveLength(1);
  });
});
