import { describe, expect, it } from 'vitest';
import { checkModelNames, checkReportInputs, robustnessNotices } from '../../src/report/checkInputs.js';
import { robustnessGroups } from '../../src/report/robustnessTable.js';
import { syntheticResults } from './syntheticResults.js';
import type { Result } from '../../src/results/schema.js';

const all = syntheticResults(3, 40).map((s) => s.result);
const files = all.map((_, i) => `/r/${String(i).padStart(3, '0')}.json`);

describe('checkReportInputs', () => {
  it('keeps everything when every result is distinct', () => {
    expect(checkReportInputs(all, files)).toEqual({ keep: all.map((_, i) => i), notices: [] });
  });

  it('counts a result read twice once, keeping the path that sorts first, and says so', () => {
    const twice = [...all, all[4]];
    const checked = checkReportInputs(twice, [...files, '/a/demo/004.json']);
    expect(checked.keep).toHaveLength(all.length);
    expect(checked.keep).toContain(all.length);
    expect(checked.keep).not.toContain(4);
    expect(checked.notices).toEqual([expect.stringMatching(/^\/r\/004\.json is the same result as \/a\/demo\/004\.json .*counted once/)]);
  });

  it('refuses two different results of one model × dataset × shift × prompts, naming both files and the n', () => {
    const other: Result = { ...all[0], id: 'another-identity', metrics: { ...all[0].metrics, n: 1000 } };
    expect(() => checkReportInputs([...all, other], [...files, '/b/x.json'])).toThrow(/2 different results for tiny-clip-shapes × shapes-standard × none × default with mixed n \(1000, 40\): \/b\/x\.json \(n=1000.*; \/r\/000\.json \(n=40/);
  });

  it('refuses partial shard results', () => {
    const part: Result = { ...all[0], range: { start: 0, end: 10, of: 40, unitId: 'u' } };
    expect(() => checkReportInputs([part], ['/s/p.json'])).toThrow(/partial shard result/);
  });
});

describe('checkModelNames', () => {
  it('accepts models (and model · prompts for --reference) and refuses typos with a suggestion', () => {
    expect(() => checkModelNames(all, '--reference', ['tiny-clip-shapes'])).not.toThrow();
    expect(() => checkModelNames(all, '--reference', ['zoo-wide · default'])).not.toThrow();
    expect(() => checkModelNames(all, '--fit-exclude', ['tiny-clip-shape'])).toThrow(/--fit-exclude 'tiny-clip-shape' is not a model in these results; did you mean 'tiny-clip-shapes'\?/);
    expect(() => checkModelNames(all, '--fit-exclude', ['zoo-wide · default'])).toThrow(/not a model/);
  });
});

describe('robustnessNotices', () => {
  it('says once that testbed has no shapes points and why each n/a is n/a', () => {
    const groups = robustnessGroups(all, 'testbed', 'nope-model');
    const notices = robustnessNotices(groups, 'testbed', 'nope-model');
    expect(notices.filter((n) => n.startsWith('--baseline testbed has no points'))).toHaveLength(1);
    expect(notices.some((n) => /relative robustness is n\/a for \d+ condition/.test(n))).toBe(true);
    // Only two models in a group with the fit excluded: the fit's reason is given.
    const few = robustnessGroups(all, 'own', undefined, ['tiny-clip-shapes', 'tiny-clip-shapes-robust', 'zoo-small']);
    expect(robustnessNotices(few, 'own')).toEqual([expect.stringMatching(/^effective robustness is n\/a for \d+ condition\(s\) .*at least 3 baseline models with distinct ID accuracy, got 1/)]);
  });
});
