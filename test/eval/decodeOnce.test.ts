import { describe, it, expect, vi } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/eval/plan.js';
import { runPlan, type PlanOptions, type PlanOutcome } from '../../src/eval/runPlan.js';
import { memoryLogger } from '../../src/util/log.js';
import { writeShapesPngs } from '../../src/datasets/shapes/writePngs.js';
import { goldenSetup, goldenEntry } from './golden/decodeOnceSetup.mjs';

// Counts decodes (reads of encoded images into pixels) without changing them.
const decodes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/image/decode.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/image/decode.js')>();
  return { ...real, decodeImage: (...args: Parameters<typeof real.decodeImage>) => (decodes.count++, real.decodeImage(...args)) };
});

type Entry = ReturnType<typeof goldenEntry>;

function entries(outcome: PlanOutcome, folder: string): Entry[] {
  return outcome.results.map((r, i) => goldenEntry(r, outcome.predictions[i], folder)).sort((a, b) => a.key.localeCompare(b.key));
}

describe('decode once per dataset', () => {
  it('3 models × (none + 3 shifts) × 2 prompt sets on two datasets match the per-unit runner\'s golden results exactly', async () => {
    const work = await mkdtemp(join(tmpdir(), 'zs-golden-'));
    const { planInput, settings, folder } = await goldenSetup(work);
    const plan = await buildPlan(planInput);
    decodes.count = 0;
    const outcome = await runPlan(plan, { ...settings, outDir: join(work, 'out'), log: memoryLogger(), keepPredictions: true } as PlanOptions);
    // 20 generated images and the folder's 22 files (two undecodable) are decoded once for all
    // 12 (model, shift) units of their dataset, not 12 times.
    expect(decodes.count).toBe(20 + 22);
    const golden = JSON.parse(await readFile(new URL('./golden/decodeOnce.json', import.meta.url), 'utf8')) as { entries: Entry[] };
    const got = entries(outcome, folder);
    expect(got.map((e) => e.key)).toEqual(golden.entries.map((e) => e.key));
    // Byte for byte: the serialised metrics, skips and full-precision predictions.
    for (const [i, e] of got.entries()) expect(JSON.stringify(e), e.key).toBe(JSON.stringify(golden.entries[i]));
  }, 240_000);

  it('with part of the cache warm, only the models that miss decode, and results equal each unit run alone', async () => {
    const work = await mkdtemp(join(tmpdir(), 'zs-decode-once-'));
    const folder = join(work, 'pngs');
    await writeShapesPngs(folder, { domain: 'dark', options: { n: '20', task: 'shape' } });
    await writeFile(join(folder, 'circle', 'broken.png'), 'not an image\n');
    const input = { datasets: [`folder:${folder}`], prompts: ['shapes-shape'], shifts: ['gaussian_noise:2'], ensembling: 'clip' as const, env: {} };
    const options = (out: string, cacheDir: string | null): PlanOptions => ({
      outDir: join(work, out), cacheDir, batchSize: 5, decodeConcurrency: 3, exifRotate: false, skipExisting: false, argv: ['t'], model: { threads: 1 }, log: memoryLogger(), keepPredictions: true,
    });
    const both = await buildPlan({ ...input, models: ['tiny-clip-shapes', 'tiny-clip-shapes-robust'] });
    // Reference: every unit alone (its own pass over the images), no cache.
    const alone: PlanOutcome = { results: [], taskResults: [], predictions: [], files: [], skippedUnits: 0 };
    decodes.count = 0;
    for (const unit of both.units) {
      const o = await runPlan({ units: [unit], resources: both.resources }, options('alone', null));
      alone.results.push(...o.results);
      alone.predictions.push(...o.predictions);
    }
    expect(decodes.count).toBe(4 * 21);
    // Warm the cache for one model only.
    const cache = join(work, 'cache');
    await runPlan(await buildPlan({ ...input, models: ['tiny-clip-shapes'] }), options('warm-one', cache));
    decodes.count = 0;
    const partly = await runPlan(both, options('partly', cache));
    expect(decodes.count).toBe(21); // once, for the model that misses (the broken file has no embedding to find)
    const computed = Object.fromEntries(partly.results.map((r) => [`${r.model.name}|${r.shift?.corruption ?? 'none'}`, [r.timings.imagesComputed, r.timings.imagesFromCache]]));
    expect(computed).toEqual({ 'tiny-clip-shapes|none': [0, 20], 'tiny-clip-shapes|gaussian_noise': [0, 20], 'tiny-clip-shapes-robust|none': [20, 0], 'tiny-clip-shapes-robust|gaussian_noise': [20, 0] });
    decodes.count = 0;
    const warm = await runPlan(both, options('warm', cache));
    expect(decodes.count).toBe(1); // only the file no model could ever embed
    for (const run of [partly, warm]) expect(entries(run, folder)).toEqual(entries(alone, folder));
    expect(entries(alone, folder)[0].skipped).toEqual([{ id: 'circle/broken.png', reason: 'FOLDER/circle/broken.png: not an image (unsupported or unrecognised format)' }]);
  }, 240_000);
});
