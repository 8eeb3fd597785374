import { describe, expect, it } from 'vitest';
import { retrievalCorruptionRows, retrievalCorruptionTable } from '../../src/report/retrievalRobustness.js';
import { resolveCeBaseline } from '../../src/report/ceBaseline.js';
import type { TaskResult } from '../../src/results/envelope.js';

function retrieval(model: string, meanRecallAt1: number, shift: { corruption: string; severity: number; params?: string } | null): TaskResult {
  return {
    task: 'zeroshot_retrieval', model: { name: model }, partial: false, shift,
    dataset: { name: 'flickr-mini', spec: 'wds:/x', fingerprint: 'f', adapter: 'wds', family: null, variant: null, isStandard: false },
    retrieval: { meanRecallAt1 },
  } as unknown as TaskResult;
}

/** Mean R@1 at severities 1..5 of one corruption. */
const series = (model: string, corruption: string, r1: number[], params?: string): TaskResult[] => r1.map((v, i) => retrieval(model, v, { corruption, severity: i + 1, ...(params ? { params } : {}) }));

describe('retrieval mCE (hand-computed)', () => {
  const tasks = [
    // Text-shifted results are not clean points, nor corruption points (listed first: it must not be taken as a's clean result).
    { ...retrieval('a', 0.01, null), textShift: { name: 'typo', severity: 3 } } as TaskResult,
    retrieval('a', 0.6, null), retrieval('base', 0.7, null),
    ...series('a', 'contrast', [0.5, 0.4, 0.3, 0.2, 0.1]), ...series('base', 'contrast', [0.6, 0.5, 0.4, 0.3, 0.2]),
    // Four severities only: not a CE.
    ...series('a', 'gaussian_noise', [0.5, 0.4, 0.3, 0.2]), ...series('base', 'gaussian_noise', [0.5, 0.4, 0.3, 0.2]),
    // Another parameter set: never normalised by the baseline's scaled runs.
    ...series('a', 'contrast', [0.5, 0.5, 0.5, 0.5, 0.5], 'imagenet-c'),
  ];

  it('divides the summed errors 1 − mean R@1 by the baseline\'s, over corruptions with all five severities', () => {
    const rows = retrievalCorruptionRows(tasks, 'base');
    const a = rows.find((r) => r.model === 'a' && r.params === 'scaled')!;
    // Errors: a (0.5 … 0.9) mean 0.7, base (0.4 … 0.8) mean 0.6: CE = 0.7 / 0.6.
    expect(a.complete).toEqual(['contrast']);
    expect(a.mce).toBeCloseTo(0.7 / 0.6, 12);
    // Relative: (0.7 − clean 0.4) / (0.6 − clean 0.3) = 1.
    expect(a.relativeMce).toBeCloseTo(1, 12);
    expect(a.counted).toBe(1);
    expect(rows.find((r) => r.model === 'base' && r.params === 'scaled')!.mce).toBeCloseTo(1, 12);
    const other = rows.find((r) => r.params === 'imagenet-c')!;
    expect([other.model, other.mce, other.cleanMeanR1]).toEqual(['a', null, 0.6]);

    const table = retrievalCorruptionTable(tasks, 'base')!;
    expect(table.rows.find((r) => r[0] === 'a' && r[2] === 'scaled')).toEqual(['a', 'flickr-mini', 'scaled', '60.0', '1 of 15', '116.7 (1 of 15)', '100.0']);
    expect(table.note).toMatch(/Baseline: base on the same dataset/);
    expect(table.note).toMatch(/Effective robustness does not apply to retrieval/);
  });

  it('leaves CE n/a without a baseline and says how to name one; no table without a full corruption', () => {
    const table = retrievalCorruptionTable(tasks, null)!;
    expect(table.rows.every((r) => r[5] === '–')).toBe(true);
    expect(table.note).toMatch(/pass --ce-baseline MODEL/);
    expect(retrievalCorruptionTable(tasks.filter((t) => t.shift?.corruption !== 'contrast'), 'base')).toBeNull();
  });

  it('takes the baseline from task results too (a retrieval-only report)', () => {
    expect(resolveCeBaseline(tasks, 'base')).toEqual({ model: 'base', source: '--ce-baseline' });
    expect(() => resolveCeBaseline(tasks, 'bse')).toThrow(/CE baseline 'bse' .* is not a model in these results; did you mean 'base'\?/);
  });
});
