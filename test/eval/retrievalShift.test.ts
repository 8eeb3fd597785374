import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { makeRawImage, type RawImage } from '../../src/image/rawImage.js';
import { readTaskResult } from '../../src/results/store.js';
import type { TaskResult } from '../../src/results/envelope.js';
import { captionsOf, SQUARE_ITEMS, writeSquareCaptionsWds } from '../helpers/squareCaptions.js';
import { runTaskPlan } from '../helpers/taskRun.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-retrieval-shift-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ITEMS = SQUARE_ITEMS;
const dir = join(root, 'wds_captions');
let png = new Map<string, Buffer>();

beforeAll(async () => {
  png = await writeSquareCaptionsWds(dir);
});

/**
 * ImageNet-C's contrast (hendrycks/robustness make_imagenet_c.py, restated): x = img / 255,
 * means per channel over the image, clip((x − means)·c + means, 0, 1)·255, saved as np.uint8
 * (truncation); severity 3 is c = 0.2.
 */
function imagenetCContrast(img: RawImage, c: number): RawImage {
  const n = img.width * img.height;
  const out = makeRawImage(img.width, img.height);
  for (let ch = 0; ch < 3; ch++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += img.data[3 * i + ch] / 255;
    mean /= n;
    for (let i = 0; i < n; i++) {
      const v = Math.min(1, Math.max(0, (img.data[3 * i + ch] / 255 - mean) * c + mean));
      out.data[3 * i + ch] = Math.trunc(v * 255);
    }
  }
  return out;
}

/** Recall@k both ways from raw embeddings (float64 cosines, ties broken by index), as CLIP_benchmark defines it. */
function recallAtK(images: Float32Array, texts: Float32Array, dim: number, textImage: number[], ks: number[]): { image: number[]; text: number[] } {
  const nI = images.length / dim;
  const nT = texts.length / dim;
  const norm = (x: Float32Array, i: number): number => Math.sqrt(Array.from(x.subarray(i * dim, (i + 1) * dim)).reduce((s, v) => s + v * v, 0));
  const cos = (t: number, i: number): number => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += texts[t * dim + d] * images[i * dim + d];
    return s / (norm(texts, t) * norm(images, i));
  };
  const score = Array.from({ length: nT }, (_, t) => Array.from({ length: nI }, (_, i) => cos(t, i)));
  const before = (row: number[], a: number, b: number): boolean => row[a] > row[b] || (row[a] === row[b] && a < b);
  // Text → image: how many images rank above the text's own image.
  const imageRank = score.map((row, t) => row.filter((_, i) => i !== textImage[t] && before(row, i, textImage[t])).length + 1);
  // Image → text: the best rank among the image's captions.
  const textRank = Array.from({ length: nI }, (_, i) => {
    const col = score.map((row) => row[i]);
    const own = textImage.flatMap((img, t) => (img === i ? [t] : []));
    return Math.min(...own.map((t) => col.filter((_, u) => u !== t && before(col, u, t)).length + 1));
  });
  return { image: ks.map((k) => imageRank.filter((r) => r <= k).length), text: ks.map((k) => textRank.filter((r) => r <= k).length) };
}

/** The hits the runner recorded for k = 1, 5, 10 both ways. */
function hits(r: TaskResult): { image: number[]; text: number[] } {
  const rec = r.retrieval!.recall;
  return { image: [1, 5, 10].map((k) => rec[`image_retrieval_recall@${k}`].hits), text: [1, 5, 10].map((k) => rec[`text_retrieval_recall@${k}`].hits) };
}

describe('zero-shot retrieval under an ImageNet-C shift (Qiu et al. 2022: images corrupted, captions unchanged)', () => {
  it('records the shift, and its recall@1/5/10 equals ImageNet-C contrast on the decoded image, then the towers, within one item', async () => {
    const out = join(root, 'out');
    const { taskResults } = await runTaskPlan({ datasets: [`wds:${dir}`], shifts: ['contrast:3'], outDir: out, cacheDir: join(root, 'cache') });
    expect(taskResults.map((r) => [r.task, r.shift])).toEqual([['zeroshot_retrieval', null], ['zeroshot_retrieval', { corruption: 'contrast', severity: 3, params: 'auto' }]]); // auto: the set is recorded even when implicit
    const [clean, shifted] = taskResults;
    expect(shifted.dataset.isStandard).toBe(false);
    expect(shifted.retrieval!.nImages).toBe(ITEMS.length);
    expect(shifted.retrieval!.nTexts).toBe(2 * ITEMS.length);

    // Independent: decode to 8-bit RGB, ImageNet-C contrast, the model's own preprocess and towers.
    const model = await loadModel('tiny-clip-shapes');
    try {
      const decoded: RawImage[] = [];
      for (const [key] of ITEMS) {
        const { data, info } = await sharp(png.get(key)!).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const img = makeRawImage(info.width, info.height);
        img.data.set(data);
        decoded.push(img);
      }
      const embed = async (imgs: RawImage[]): Promise<Float32Array> => {
        const rows = imgs.map((img) => model.preprocess(img));
        const px = new Float32Array(rows.length * rows[0].length);
        rows.forEach((row, i) => px.set(row, i * row.length));
        return model.encodePixels(px, imgs.length);
      };
      const texts = await model.encodeText(ITEMS.flatMap(([, fg, bg]) => captionsOf(fg, bg)));
      const textImage = ITEMS.flatMap((_, i) => [i, i]);
      const dim = model.info.embedDim;
      const expectedShifted = recallAtK(await embed(decoded.map((img) => imagenetCContrast(img, 0.2))), texts, dim, textImage, [1, 5, 10]);
      const expectedClean = recallAtK(await embed(decoded), texts, dim, textImage, [1, 5, 10]);
      const got = hits(shifted);
      for (const way of ['image', 'text'] as const) {
        for (let j = 0; j < 3; j++) expect(Math.abs(got[way][j] - expectedShifted[way][j]), `${way} R@${[1, 5, 10][j]}`).toBeLessThanOrEqual(1);
      }
      const gotClean = hits(clean);
      for (const way of ['image', 'text'] as const) for (let j = 0; j < 3; j++) expect(Math.abs(gotClean[way][j] - expectedClean[way][j])).toBeLessThanOrEqual(1);
    } finally {
      await model.dispose();
    }
    // The shift reached the images: the shifted result's ranks are not the clean ones.
    expect(shifted.retrieval!.imageRetrievalMeanRank).not.toBe(clean.retrieval!.imageRetrievalMeanRank);
    const names = readdirSync(out).filter((n) => n.startsWith('task-')).sort();
    expect(names).toHaveLength(2);
    expect(names.some((n) => n.includes('__contrast-3__'))).toBe(true);
    expect(readFileSync(join(out, 'index.csv'), 'utf8')).toMatch(/contrast:3/);
    // Captions live in the cache's text namespace, beside (not among) the image namespaces.
    expect(readdirSync(join(root, 'cache', 'texts'))).toHaveLength(1);
    expect(readdirSync(join(root, 'cache', 'images'))).toHaveLength(1);
  }, 120_000);

  it('--shard 1/2 and 2/2 merged equal the unsharded run', async () => {
    const common = ['eval', '--dataset', `wds:${dir}`, '--shift', 'contrast:3', '--cache-dir', join(root, 'cache'), '--no-progress'];
    const whole = await cli([...common, '--out', join(root, 'whole')]);
    expect(whole.code, whole.stderr).toBe(0);
    for (const i of [1, 2]) {
      const r = await cli([...common, '--shard', `${i}/2`, '--out', join(root, `shard${i}`)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = await cli(['merge', join(root, 'shard1'), join(root, 'shard2'), '--out', join(root, 'merged')]);
    expect(merged.code, merged.stderr).toBe(0);
    const read = async (d: string): Promise<TaskResult[]> => Promise.all(readdirSync(d).filter((n) => n.startsWith('task-')).sort().map((n) => readTaskResult(join(d, n))));
    const a = await read(join(root, 'whole'));
    const b = await read(join(root, 'merged'));
    expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(a).toHaveLength(2);
    for (const [i, r] of a.entries()) {
      expect(b[i].shift).toEqual(r.shift);
      expect(b[i].retrieval).toEqual(r.retrieval);
      expect(b[i].shards?.count).toBe(2);
    }
  }, 120_000);
});
