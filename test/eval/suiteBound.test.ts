import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS_DIR, loadSuite } from '../../src/eval/suite.js';
import { DEFAULT_MAX_SUITE_UNITS, suiteUnitBound, suiteUnitLimit } from '../../src/eval/suiteBound.js';
import { buildPlan } from '../../src/eval/plan.js';
import { families } from '../../src/datasets/families.js';

async function suiteFile(body: Record<string, unknown>): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'zs-suite-bound-')), 'suite.json');
  await writeFile(file, JSON.stringify({ schemaVersion: 1, name: 'x', models: ['m'], datasets: [{ family: 'shapes' }], ...body }));
  return file;
}

const models = (n: number): string[] => Array.from({ length: n }, (_, i) => `model-${i}`);

describe('suite unit bound', () => {
  it('refuses 100,000 models within seconds, naming the count, the limit and ZEROSHIFT_MAX_UNITS', async () => {
    const file = await suiteFile({ models: models(100_000), datasets: [{ spec: 'shapes:standard' }], shifts: { corruptions: ['gaussian_noise'], severities: [1, 2] } });
    const t0 = Date.now();
    const err = await loadSuite(file).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err).toMatchObject({
      code: 'CONFIG',
      message: `${file}: plans up to 300000 units (100000 model(s) × 1 dataset target(s) × (1 + 2 shift(s))), over the limit of ${DEFAULT_MAX_SUITE_UNITS} units (ZEROSHIFT_MAX_UNITS)`,
      hint: expect.stringContaining('ZEROSHIFT_MAX_UNITS=N'),
    });
  });

  it('100,000 repeated models are refused as repeats, within seconds', async () => {
    const file = await suiteFile({ models: Array.from({ length: 100_000 }, () => 'm') });
    const t0 = Date.now();
    await expect(loadSuite(file)).rejects.toThrow(/models\[1\] repeats models\[0\] \(m\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('counts family variants and all corruptions; the limit can be raised', async () => {
    const shapes = families.get('shapes').variants.length;
    const body = { models: models(3), datasets: [{ family: 'shapes' }, { family: 'shapes', variants: ['dark'] }, { spec: 'shapes:standard' }], shifts: { corruptions: 'all', severities: [1, 3] } };
    const file = await suiteFile(body);
    const { listCorruptions } = await import('../../src/shifts/registry.js');
    const expected = 3 * (shapes + 2) * (1 + listCorruptions().length * 2);
    expect(suiteUnitBound({ ...body, shifts: { corruptions: 'all', severities: [1, 3] } }).units).toBe(expected);
    await expect(loadSuite(file, { maxUnits: expected - 1 })).rejects.toThrow(new RegExp(`plans up to ${expected} units .* over the limit of ${expected - 1} units`));
    expect((await loadSuite(file, { maxUnits: expected })).models).toHaveLength(3);
  });

  it('buildPlan takes the limit from ZEROSHIFT_MAX_UNITS, and refuses a malformed value', async () => {
    const file = await suiteFile({ models: models(4) });
    await expect(buildPlan({ suite: file, ensembling: 'clip', env: { ZEROSHIFT_MAX_UNITS: '3' } })).rejects.toThrow(/over the limit of 3 units \(ZEROSHIFT_MAX_UNITS\)/);
    expect(() => suiteUnitLimit('many')).toThrow(/ZEROSHIFT_MAX_UNITS='many' is not a positive integer/);
    expect(suiteUnitLimit(undefined)).toBe(DEFAULT_MAX_SUITE_UNITS);
    expect(suiteUnitLimit('2000000')).toBe(2_000_000);
  });

  it('every shipped suite is within the default limit', async () => {
    for (const f of (await readdir(BENCHMARKS_DIR)).filter((x) => x.endsWith('.json'))) {
      const doc = JSON.parse(await readFile(join(BENCHMARKS_DIR, f), 'utf8')) as { datasets?: unknown };
      if (!Array.isArray(doc.datasets)) continue;
      expect((await loadSuite(join(BENCHMARKS_DIR, f))).name).toBeTruthy();
    }
  });
});
