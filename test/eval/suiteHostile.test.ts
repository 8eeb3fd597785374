import { describe, it, expect } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../../src/eval/suite.js';

async function suiteFile(body: Record<string, unknown>, dir?: string): Promise<string> {
  const d = dir ?? (await mkdtemp(join(tmpdir(), 'zs-suite-h-')));
  const file = join(d, 'suite.json');
  await writeFile(file, JSON.stringify({ schemaVersion: 1, name: 'x', models: ['m'], datasets: [{ family: 'shapes' }], ...body }));
  return file;
}

describe('loadSuite: mistakes that silently changed what runs', () => {
  it('refuses a typo in shifts.variants, suggesting the variant', async () => {
    const file = await suiteFile({ shifts: { corruptions: ['gaussian_noise'], variants: ['standrad'] } });
    await expect(loadSuite(file)).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/shifts\.variants\[0\] 'standrad' is not a variant of the suite's families \(shapes\); did you mean 'standard'\?/),
    });
    const ok = await suiteFile({ shifts: { corruptions: ['gaussian_noise'], variants: ['standard', 'shapes-dark'] } });
    expect((await loadSuite(ok)).shifts?.variants).toEqual(['standard', 'shapes-dark']);
    const specOnly = await suiteFile({ datasets: [{ spec: 'shapes:standard' }], shifts: { corruptions: ['gaussian_noise'], variants: ['standard'] } });
    await expect(loadSuite(specOnly)).rejects.toThrow(/shifts\.variants applies to family entries only/);
  });

  it('refuses duplicated models, datasets, corruptions, severities, variants and prompt sets', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ models: ['m', 'n', 'm'] }, /models\[2\] repeats models\[0\] \(m\)/],
      [{ datasets: [{ spec: 'shapes:dark' }, { spec: 'shapes:dark' }] }, /datasets\[1\] repeats datasets\[0\]/],
      [{ shifts: { corruptions: ['gaussian_noise', 'gaussian_noise'] } }, /shifts\.corruptions\[1\] repeats/],
      [{ shifts: { corruptions: ['gaussian_noise'], severities: [1, 2, 1] } }, /shifts\.severities\[2\] repeats shifts\.severities\[0\] \(1\)/],
      [{ datasets: [{ family: 'shapes', variants: ['dark', 'dark'] }] }, /datasets\[0\]\.variants\[1\] repeats/],
      [{ prompts: ['a', 'a'] }, /prompts\[1\] repeats prompts\[0\]/],
    ];
    for (const [body, re] of cases) await expect(loadSuite(await suiteFile(body))).rejects.toThrow(re);
  });

  it('bounds a suite with 100,000 severities at validation (duplicates of 1..5)', async () => {
    const file = await suiteFile({ shifts: { corruptions: 'all', severities: Array.from({ length: 100_000 }, (_, i) => (i % 5) + 1) } });
    const t0 = Date.now();
    await expect(loadSuite(file)).rejects.toThrow(/shifts\.severities\[5\] repeats shifts\.severities\[0\]/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('resolves dataset spec paths relative to the suite file, as model paths are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-suite-rel-'));
    await mkdir(join(dir, 'data', 'pets'), { recursive: true });
    await writeFile(join(dir, 'names.txt'), 'a\n');
    const file = await suiteFile({ datasets: [{ spec: 'folder:data/pets?classnames=names.txt' }, { spec: 'shapes:dark' }, { spec: 'folder:/abs/x' }, { spec: 'folder:not-here' }] }, dir);
    const s = await loadSuite(file);
    expect(s.datasets).toEqual([
      { spec: `folder:${join(dir, 'data', 'pets')}?classnames=${join(dir, 'names.txt')}` },
      { spec: 'shapes:dark' },
      { spec: 'folder:/abs/x' },
      { spec: 'folder:not-here' },
    ]);
  });
});

describe('family entries with a bad option', () => {
  it('say to fix the suite, not to prepare data', async () => {
    const { familyTargets } = await import('../../src/eval/familyTargets.js');
    const err = await familyTargets('shapes', ['dark'], { n: 0 }, undefined, '/x/suite.json').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/\/x\/suite\.json: shapes-dark: .*n/), hint: expect.not.stringMatching(/prepare/) });
  });
});
