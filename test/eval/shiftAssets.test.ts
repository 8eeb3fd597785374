import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/eval/plan.js';
import { findFrostDir } from '../../src/eval/shiftAssets.js';
import { FROST_PHOTOS } from '../../src/shifts/frost.js';
import { listCorruptions } from '../../src/shifts/registry.js';
import { cli } from '../helpers/cli.js';

const emptyDataDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'zs-frost-data-'));

describe('frost without its photographs', () => {
  it('the default suite ("corruptions": "all") still plans every other corruption, with one notice saying how to add frost', async () => {
    const warnings: string[] = [];
    const dataDir = await emptyDataDir();
    const plan = await buildPlan({ ensembling: 'clip', env: {}, n: 2, dataDir, onWarning: (m) => warnings.push(m) });
    const planned = new Set(plan.units.flatMap((u) => (u.shift ? [u.shift.corruption] : [])));
    const expected = listCorruptions().map((c) => c.id).filter((id) => id !== 'frost');
    expect([...planned].sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(18);
    const notices = warnings.filter((w) => /frost/.test(w));
    expect(notices).toHaveLength(1);
    // One short line (it was four terminal lines on every default run), with the command for the data dir in use.
    expect(notices[0]).toBe(`shapes-robustness: frost skipped (no frost photographs); to add it: zeroshift prepare imagenet-c-frost --data-dir ${dataDir}`);
    expect(plan.shiftAssets).toEqual({});
  });

  it('an explicit frost shift is an input error (exit 2) that says where to get the photographs', async () => {
    await expect(buildPlan({ datasets: ['shapes:standard?n=2'], shifts: ['frost:2'], ensembling: 'clip', env: {}, dataDir: await emptyDataDir() }))
      .rejects.toMatchObject({ code: 'INPUT', message: expect.stringMatching(/frost:2.*frost photographs/), hint: expect.stringMatching(/zeroshift prepare imagenet-c-frost/) });
    const suiteDir = await mkdtemp(join(tmpdir(), 'zs-frost-suite-'));
    const suite = join(suiteDir, 'frost-suite.json');
    await writeFile(suite, JSON.stringify({
      schemaVersion: 1, name: 'frost-only', models: ['tiny-clip-shapes'],
      datasets: [{ family: 'shapes', variants: ['standard'], options: { n: 2 } }],
      shifts: { corruptions: ['frost'], severities: [1] },
    }));
    await expect(buildPlan({ suite, ensembling: 'clip', env: {}, dataDir: await emptyDataDir() })).rejects.toMatchObject({ code: 'INPUT' });
  });

  it('zeroshift eval --shift frost:1 exits 2 before any work; --frost-dir names a missing file', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-frost-cli-'));
    const common = ['eval', '--dataset', 'shapes:standard?n=2', '--shift', 'frost:1', '--out', join(tmp, 'o'), '--no-cache', '--no-progress', '--data-dir', join(tmp, 'data')];
    const none = await cli(common);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/frost photographs/);
    expect(none.stderr).toMatch(/zeroshift prepare imagenet-c-frost/);
    expect(none.stderr).not.toMatch(/^zeroshift eval: /m);
    const missing = await cli([...common, '--frost-dir', join(tmp, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nowhere\/frost1\.png/);
  }, 60_000);
});

describe('finding the photographs', () => {
  it('--frost-dir wins; else the prepared copy under the data dir when all six files are there', async () => {
    const data = await emptyDataDir();
    expect(findFrostDir(undefined, data, {})).toBeNull();
    expect(findFrostDir('/x/frost', data, {})).toBe('/x/frost');
    const prepared = join(data, 'imagenet-c-frost');
    await mkdir(prepared);
    for (const p of FROST_PHOTOS.slice(0, 5)) await writeFile(join(prepared, p.name), 'x');
    expect(findFrostDir(undefined, data, {})).toBeNull();
    await writeFile(join(prepared, FROST_PHOTOS[5].name), 'x');
    expect(findFrostDir(undefined, data, {})).toBe(prepared);
    // found, so frost is planned and its files are checked: these are not the published photographs
    await expect(buildPlan({ datasets: ['shapes:standard?n=2'], shifts: ['frost:1'], ensembling: 'clip', env: {}, dataDir: data }))
      .rejects.toThrow(/imagenet-c-frost\/frost1\.png is not ImageNet-C's frost1\.png/);
  });
});

describe('frost through the runner', () => {
  it('the run settings carry the photographs to every image; without them each item is skipped with the reason', async () => {
    const { runPlan } = await import('../../src/eval/runPlan.js');
    const { memoryLogger } = await import('../../src/util/log.js');
    const { standInFrost } = await import('../shifts/helpers.js');
    const plan = await buildPlan({ datasets: ['shapes:standard?n=4'], shifts: ['gaussian_noise:1'], ensembling: 'clip', env: {} });
    // swap in frost after planning: the plan itself would insist on the published photographs
    const units = plan.units.map((u) => (u.shift ? { ...u, shift: { corruption: 'frost', severity: 3 as const } } : u));
    const base = { cacheDir: null, batchSize: 4, decodeConcurrency: 2, exifRotate: false, skipExisting: false, argv: [], model: {}, log: memoryLogger() };
    const withPhotos = await runPlan({ units, resources: plan.resources }, { ...base, outDir: await mkdtemp(join(tmpdir(), 'zs-frost-run-')), shiftAssets: { frost: standInFrost() } });
    const frosted = withPhotos.results.find((r) => r.shift?.corruption === 'frost');
    expect(frosted?.skipped).toEqual([]);
    expect(frosted?.perClass.reduce((s, c) => s + c.n, 0)).toBe(4);
    await expect(runPlan({ units, resources: plan.resources }, { ...base, outDir: await mkdtemp(join(tmpdir(), 'zs-frost-run-')) }))
      .rejects.toThrow(/no item could be scored .*frost needs ImageNet-C's frost photographs/);
  }, 120_000);
});
