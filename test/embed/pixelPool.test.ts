import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPlan } from '../../src/eval/plan.js';
import { runPlan, type PlanOptions, type PlanOutcome } from '../../src/eval/runPlan.js';
import { PixelPool } from '../../src/embed/pixelPool.js';
import { decodeCropped, shiftAndPreprocess } from '../../src/embed/pixelWork.js';
import sharp from 'sharp';
import { preprocessImage } from '../../src/model/preprocess.js';
import { loadModel } from '../../src/model/loadModel.js';
import { memoryLogger } from '../../src/util/log.js';
import { noiseImage } from '../helpers/images.js';
import { ZeroshiftError } from '../../src/errors.js';
import { goldenSetup, goldenEntry } from '../eval/golden/decodeOnceSetup.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('decode workers', () => {
  it('give the in-process runner\'s golden results byte for byte (3 models × 4 shifts × 2 prompt sets, sharp shift, undecodable files)', async () => {
    const work = await mkdtemp(join(tmpdir(), 'zs-pool-golden-'));
    const { planInput, settings, folder } = await goldenSetup(work);
    const outcome: PlanOutcome = await runPlan(await buildPlan(planInput), { ...settings, decodeWorkers: 2, outDir: join(work, 'out'), log: memoryLogger(), keepPredictions: true } as PlanOptions);
    const golden = JSON.parse(await readFile(new URL('../eval/golden/decodeOnce.json', import.meta.url), 'utf8')) as { entries: ReturnType<typeof goldenEntry>[] };
    const got = outcome.results.map((r, i) => goldenEntry(r, outcome.predictions[i], folder)).sort((a, b) => a.key.localeCompare(b.key));
    expect(got.map((e) => e.key)).toEqual(golden.entries.map((e) => e.key));
    for (const [i, e] of got.entries()) expect(JSON.stringify(e), e.key).toBe(JSON.stringify(golden.entries[i]));
  }, 240_000);

  it('decode, shift and preprocess as the in-process path does, failures included', async () => {
    const model = await loadModel('tiny-clip-shapes', { threads: 1 });
    try {
      const raw = [noiseImage(70, 50, 1), noiseImage(33, 90, 2)];
      const png = await sharp(Buffer.from(noiseImage(64, 64, 3).data), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
      const decodedHere = await decodeCropped({ kind: 'bytes', bytes: png, name: 'c.png' }, null, 'c', { exifRotate: false });
      const images = [...raw, decodedHere];
      const ids = ['a', 'b', 'c'];
      const { height, width } = model.preprocessor.cropSize;
      const groups = [{ rows: [0, 2], plane: 3 * height * width }, { rows: [1, 2], plane: 3 * height * width }];
      const into = (img: typeof images[number], out: Float32Array, offset: number) => void preprocessImage(img, model.preprocessor, out, offset);
      const pool = new PixelPool(2);
      try {
        const items = [
          { index: 0, sampleId: 'a', image: raw[0] }, { index: 1, sampleId: 'b', image: raw[1] },
          { index: 2, sampleId: 'c', bytes: new Uint8Array(png), name: 'c.png' },
          { index: 3, sampleId: 'x', bytes: new TextEncoder().encode('not an image\n'), name: 'x.png' },
        ];
        const { chunk, decoded } = await pool.decode(items, null, { exifRotate: false }, 2);
        // Undecodable bytes give the in-process message, not a failed job; pixels stay in the worker.
        expect(decoded).toEqual([{ width: 70, height: 50 }, { width: 33, height: 90 }, { width: 64, height: 64 }, { error: 'x.png: not an image (unsupported or unrecognised format)' }]);
        for (const shift of [null, { corruption: 'jpeg_compression', severity: 3 as const }, { corruption: 'zoom_blur', severity: 2 as const }]) {
          const local = await shiftAndPreprocess(images, ids, shift, groups, [into, into], { concurrency: 2 });
          const remote = await pool.pixels(chunk, [0, 1, 2], ids, shift, groups, [model.preprocessor, model.preprocessor], 2);
          expect(remote.failures).toEqual([null, null, null]);
          expect(remote.groups.map((g) => g.rows)).toEqual(local.groups.map((g) => g.rows));
          for (const [k, g] of remote.groups.entries()) expect(Buffer.from(g.pixels.buffer).equals(Buffer.from(local.groups[k].pixels.buffer)), `${shift?.corruption} group ${k}`).toBe(true);
        }
        // A shift that fails per image is reported per image, with the in-process message, and leaves the rows out.
        const bad = { corruption: 'no_such_corruption', severity: 1 as const };
        const local = await shiftAndPreprocess(images, ids, bad, groups, [into, into], { concurrency: 2 });
        const remote = await pool.pixels(chunk, [0, 1, 2], ids, bad, groups, [model.preprocessor, model.preprocessor], 2);
        expect(remote.failures[0]).toMatch(/no_such_corruption/);
        expect(remote.failures).toEqual(local.failures);
        expect(remote.groups.map((g) => g.rows)).toEqual([[], []]);
        // A thrown error (here preprocessing into a plane too small) rejects the job with its code.
        const err = await pool.pixels(chunk, [0], ['a'], null, [{ rows: [0], plane: 3 }], [model.preprocessor], 1).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ZeroshiftError);
        expect((err as ZeroshiftError).code).toBe('INTERNAL');
        expect((err as ZeroshiftError).message).toMatch(/cannot hold/);
        // Once released, the chunk's images are gone.
        pool.release(chunk);
        await expect(pool.pixels(chunk, [0], ['a'], null, groups.slice(0, 1), [model.preprocessor], 1)).rejects.toThrow(/chunk \d+ is not held/);
      } finally {
        await pool.close();
      }
      await expect(pool.decode([], null, { exifRotate: false }, 1)).rejects.toThrow(/closed/);
    } finally {
      await model.dispose();
    }
  }, 60_000);

  it('do not keep the process alive when idle and never closed', () => {
    const script = `import('${join(ROOT, 'dist', 'embed', 'pixelPool.js')}').then((m) => { new m.PixelPool(2); console.log('started'); });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('started\n');
  });


  it('refuse a size that is not a positive integer', () => {
    expect(() => new PixelPool(0)).toThrow(/0 is not a positive integer/);
    expect(() => new PixelPool(1.5)).toThrow(ZeroshiftError);
  });
});
