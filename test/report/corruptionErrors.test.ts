import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALEXNET_CLEAN_ERROR, ALEXNET_MEAN_ERRORS, BENCHMARK_CORRUPTIONS } from '../../src/report/alexnetErrors.js';
import { corruptionError, corruptionSummaries, relativeCorruptionError } from '../../src/report/corruptionErrors.js';
import { corruptionOf } from '../../src/report/conditions.js';
import { makeResult } from './resultFactory.js';

const severities = (model: string, family: string, corruption: string, accs: number[], prompts = 'p') =>
  accs.map((acc1, i) => makeResult({ model, prompts, family, shift: { corruption, severity: i + 1 }, acc1 }));

describe('the shipped AlexNet table', () => {
  it('equals the published table in data/reference (15 corruptions, fractions)', () => {
    const md = readFileSync(new URL('../../data/reference/imagenet-c-alexnet-errors.md', import.meta.url), 'utf8');
    const rows = [...md.matchAll(/^\| ([a-z_]+) \| (0\.\d+) \|$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(rows).toHaveLength(15);
    expect(Object.fromEntries(rows)).toEqual(ALEXNET_MEAN_ERRORS);
    expect(BENCHMARK_CORRUPTIONS).toHaveLength(15);
  });
});

describe('mCE on a hand-computed case', () => {
  it('normalises ImageNet by AlexNet, averages the benchmark corruptions and leaves held-out and incomplete ones out', () => {
    const results = [
      makeResult({ family: 'imagenet', acc1: 0.7 }),
      // errors 0.4..0.8, mean 0.6
      ...severities('m', 'imagenet', 'gaussian_noise', [0.6, 0.5, 0.4, 0.3, 0.2]),
      // errors 0.1..0.5, mean 0.3 = the clean error: relative CE 0
      ...severities('m', 'imagenet', 'fog', [0.9, 0.8, 0.7, 0.6, 0.5]),
      // held out: scored per corruption, never in mCE
      ...severities('m', 'imagenet', 'saturate', [0.7, 0.7, 0.7, 0.7, 0.7]),
      // only three severities: no mean error, no CE
      ...severities('m', 'imagenet', 'contrast', [0.5, 0.4, 0.3]),
    ];
    const [s] = corruptionSummaries(results);
    expect(s.normaliser).toMatch(/AlexNet/);
    const byId = new Map(s.scores.map((c) => [c.corruption, c]));
    expect(byId.get('gaussian_noise')!.meanError).toBeCloseTo(0.6, 12);
    expect(byId.get('gaussian_noise')!.ce).toBeCloseTo(0.6 / 0.886428, 12);
    expect(byId.get('gaussian_noise')!.relativeCe).toBeCloseTo((0.6 - 0.3) / (0.886428 - 0.435), 12);
    expect(byId.get('fog')!.ce).toBeCloseTo(0.3 / 0.819324, 12);
    expect(byId.get('fog')!.relativeCe).toBeCloseTo(0, 12);
    expect(byId.get('saturate')!.heldOut).toBe(true);
    expect(byId.get('saturate')!.ce).toBeNull();
    expect(byId.get('contrast')!.meanError).toBeNull();
    expect(s.mce).toBeCloseTo((0.6 / 0.886428 + 0.3 / 0.819324) / 2, 12);
    expect(s.relativeMce).toBeCloseTo(((0.6 - 0.3) / (0.886428 - 0.435) + 0) / 2, 12);
    expect(s.mceCorruptions).toEqual(['gaussian_noise', 'fog']);
    expect(s.mceMissing).toHaveLength(13);
    expect(s.mceMissing).toContain('contrast');
    // Mean corruption accuracy: every evaluated (corruption, severity), 18 numbers.
    const all = [0.6, 0.5, 0.4, 0.3, 0.2, 0.9, 0.8, 0.7, 0.6, 0.5, 0.7, 0.7, 0.7, 0.7, 0.7, 0.5, 0.4, 0.3];
    expect(s.meanCorruptionAccuracy).toBeCloseTo(all.reduce((a, b) => a + b) / all.length, 12);
    expect(ALEXNET_CLEAN_ERROR).toBe(0.435);
  });

  it('normalises other families by the --ce-baseline model, whose own mCE is then 100 %', () => {
    const results = [
      makeResult({ model: 'base', acc1: 0.9 }),
      ...severities('base', 'shapes', 'gaussian_noise', [0.5, 0.5, 0.5, 0.5, 0.5]),
      makeResult({ model: 'robust', acc1: 0.95 }),
      ...severities('robust', 'shapes', 'gaussian_noise', [0.85, 0.8, 0.75, 0.7, 0.65]),
    ];
    const none = corruptionSummaries(results);
    expect(none.every((s) => s.mce === null && /--ce-baseline/.test(s.note ?? ''))).toBe(true);
    const [base, robust] = corruptionSummaries(results, { ceBaseline: 'base' });
    expect(base.mce).toBeCloseTo(1, 12);
    expect(base.relativeMce).toBeCloseTo(1, 12);
    // robust: mean error 0.25 against 0.5; relative (0.25 − 0.05) / (0.5 − 0.1)
    expect(robust.mce).toBeCloseTo(0.5, 12);
    expect(robust.relativeMce).toBeCloseTo(0.2 / 0.4, 12);
    expect(robust.normaliser).toBe('base');
  });

  it('leaves a corruption out when the normaliser never errs on it (no 0/0)', () => {
    const results = [
      makeResult({ model: 'base', acc1: 1 }),
      ...severities('base', 'shapes', 'fog', [1, 1, 1, 1, 1]),
      ...severities('base', 'shapes', 'contrast', [0.5, 0.5, 0.5, 0.5, 0.5]),
      makeResult({ model: 'other', acc1: 1 }),
      ...severities('other', 'shapes', 'fog', [0.9, 1, 1, 1, 1]),
      ...severities('other', 'shapes', 'contrast', [0.75, 0.75, 0.75, 0.75, 0.75]),
    ];
    const other = corruptionSummaries(results, { ceBaseline: 'base' }).find((s) => s.model === 'other')!;
    expect(other.scores.find((c) => c.corruption === 'fog')!.ce).toBeNull();
    expect(other.mce).toBeCloseTo(0.5, 12);
    expect(other.mceMissing).toContain('fog');
  });

  it('closed forms', () => {
    expect(corruptionError([0.2, 0.4], 0.5)).toBeCloseTo(0.6, 12);
    expect(relativeCorruptionError([0.2, 0.4], 0.1, 0.5, 0.5)).toBeNull();
  });
});

describe('clean pairing: a corruption is measured against the clean result of its own dataset', () => {
  /** A shapes result on `variant` whose spec and fingerprint are the variant's own (and `n`). */
  const on = (variant: string, o: Parameters<typeof makeResult>[0] = {}, n = 100) => {
    const r = makeResult({ variant, n, ...o });
    r.dataset.spec = `shapes:${variant}?n=${n}`;
    r.dataset.fingerprint = `fp-${variant}-${n}`;
    return r;
  };

  it('fog:3 on shapes-dark pairs with clean shapes-dark, not shapes-standard, and names shapes-dark', async () => {
    const results = [on('standard', { acc1: 0.9 }), on('dark', { acc1: 0.6 }), on('dark', { acc1: 0.3, shift: { corruption: 'fog', severity: 3 } })];
    const [s] = corruptionSummaries(results);
    expect(s.dataset).toBe('shapes-dark');
    expect(s.clean?.metrics.acc1).toBe(0.6);
    const { heatmapMarkdown } = await import('../../src/report/heatmap.js');
    expect(heatmapMarkdown(s)).toMatch(/\*\*m · p · shapes-dark\*\* \(top-1 %, clean 60\.0 % \(shapes-dark, n 100\)\)/);
  });

  it('no clean result of the same spec, fingerprint and n: the clean cell is n/a with the reason, not another set', () => {
    const results = [on('standard', { acc1: 0.9 }), on('dark', { acc1: 0.6 }, 50), on('dark', { acc1: 0.3, shift: { corruption: 'fog', severity: 3 } }, 100)];
    const [s] = corruptionSummaries(results);
    expect(s.clean).toBeNull();
    expect(s.cleanNote).toMatch(/no clean result of shapes-dark \(shapes:dark\?n=100, n 100\) for m · p \(the clean shapes-dark result has spec shapes:dark\?n=50, another fingerprint, n 50\)/);
    expect(s.scores[0].relativeCe).toBeNull();
  });

  it('the same corruption on two variants gives two summaries, each with its own clean, CE baseline and mean corruption accuracy', () => {
    const results = [
      on('standard', { model: 'base', acc1: 0.9 }), on('dark', { model: 'base', acc1: 0.5 }),
      ...[1, 2, 3, 4, 5].flatMap((sev) => [
        on('standard', { model: 'base', acc1: 0.8, shift: { corruption: 'fog', severity: sev } }),
        on('dark', { model: 'base', acc1: 0.4, shift: { corruption: 'fog', severity: sev } }),
      ]),
    ];
    const [dark, standard] = corruptionSummaries(results, { ceBaseline: 'base' });
    expect([dark.dataset, standard.dataset]).toEqual(['shapes-dark', 'shapes-standard']);
    expect([dark.clean?.metrics.acc1, standard.clean?.metrics.acc1]).toEqual([0.5, 0.9]);
    expect(dark.meanCorruptionAccuracy).toBeCloseTo(0.4, 12);
    expect(dark.meanCorruptionCount).toBe(5);
    expect(standard.meanCorruptionAccuracy).toBeCloseTo(0.8, 12);
    expect(dark.mce).toBeCloseTo(1, 12);
  });
});

describe('what mCE leaves out, and why', () => {
  it('distinguishes "not evaluated", "some severities only" and "the normaliser made no errors"', async () => {
    const { mceCoverage } = await import('../../src/report/corruptionErrors.js');
    const results = [
      makeResult({ model: 'base', acc1: 1 }),
      ...severities('base', 'shapes', 'fog', [1, 1, 1, 1, 1]),
      ...severities('base', 'shapes', 'contrast', [0.5, 0.5, 0.5, 0.5, 0.5]),
      makeResult({ model: 'other', acc1: 1 }),
      ...severities('other', 'shapes', 'fog', [0.9, 1, 1, 1, 1]),
      ...severities('other', 'shapes', 'contrast', [0.75, 0.75, 0.75, 0.75, 0.75]),
      ...severities('other', 'shapes', 'snow', [0.7, 0.7]),
    ];
    const other = corruptionSummaries(results, { ceBaseline: 'base' }).find((s) => s.model === 'other')!;
    const reasons = new Map(other.mceLeftOut.map((l) => [l.corruption, l.reason]));
    expect(reasons.get('fog')).toBe('base made no errors on it (CE would divide by zero)');
    expect(reasons.get('snow')).toBe('evaluated at severities 1, 2 only (mCE needs all five)');
    expect(reasons.get('gaussian_noise')).toBe('not evaluated');
    expect(other.mceCorruptions).toEqual(['contrast']);
    expect(mceCoverage(other)).toMatch(/^mCE of other · p on shapes-standard averages 1 of ImageNet-C's 15 benchmark corruptions; left out: gaussian_noise, .* \(not evaluated\); snow \(evaluated at severities 1, 2 only \(mCE needs all five\)\); fog \(base made no errors on it/);
    expect(mceCoverage(other)).not.toMatch(/fog[^;]*not evaluated/);
  });
});

describe('corruptionOf', () => {
  it('reads synthetic shifts and published -C variant names', () => {
    expect(corruptionOf(makeResult({ shift: { corruption: 'fog', severity: 2 } }))).toEqual({ corruption: 'fog', severity: 2 });
    expect(corruptionOf(makeResult({ family: 'cifar10', variant: 'cifar10-c-gaussian-noise-3' }))).toEqual({ corruption: 'gaussian_noise', severity: 3 });
    expect(corruptionOf(makeResult({ family: 'imagenet', variant: 'imagenet-c-jpeg-compression-5' }))).toEqual({ corruption: 'jpeg_compression', severity: 5 });
    expect(corruptionOf(makeResult({ variant: 'dark' }))).toBeNull();
  });
});
