import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { makeRawImage } from '../../src/image/rawImage.js';
import { openDataset } from '../../src/datasets/registry.js';
import { selectInstance } from '../../src/tasks/captionSelection.js';
import { runTaskPlan } from '../helpers/taskRun.js';
import { applyTextShift } from '../../src/textShifts/registry.js';

const root = mkdtempSync(join(tmpdir(), 'zs-selection-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLORS: Record<string, [number, number, number]> = { red: [220, 30, 30], green: [30, 190, 50], blue: [30, 50, 220], yellow: [235, 225, 30], purple: [140, 40, 180], white: [245, 245, 245] };
/** SugarCrepe-style entries under non-contiguous ids: (id, image colour, caption colour, negative colour). */
const ENTRIES: [string, string, string, string][] = [
  ['3', 'red', 'red', 'blue'], ['17', 'green', 'green', 'red'], ['18', 'blue', 'blue', 'yellow'], ['240', 'yellow', 'yellow', 'purple'],
  ['241', 'purple', 'purple', 'green'], ['999', 'white', 'white', 'red'], ['1000', 'red', 'blue', 'red'], ['x7', 'blue', 'green', 'blue'],
];
const images = join(root, 'val2017');
const annotation = join(root, 'swap_att.json');

beforeAll(async () => {
  mkdirSync(images, { recursive: true });
  for (const [name, rgb] of Object.entries(COLORS)) {
    await sharp({ create: { width: 64, height: 56, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(join(images, `${name}.png`));
  }
  const json = Object.fromEntries(ENTRIES.map(([id, img, pos, neg]) => [id, { filename: `${img}.png`, caption: `a ${pos} square`, negative_caption: `a ${neg} square` }]));
  writeFileSync(annotation, JSON.stringify(json));
});

describe('selectInstance (CLIP_benchmark image_caption_selection, hand-computed)', () => {
  it('tells the text choice, the image choice and both apart on 2 images × 2 captions', () => {
    const v = (...xs: number[]): Float32Array => Float32Array.from(xs);
    // Image 0 is closest to caption 1 and caption 0 to image 1: both choices wrong.
    expect(selectInstance(v(0, 1, 1, 0), v(1, 0, 0, 1), 2)).toEqual({ text: false, image: false });
    // Scores (0.9, 0.6; 0.78, 0.96): each image's best caption and each caption's best image are its own.
    expect(selectInstance(v(1, 0, 0.8, 0.6), v(0.9, 0.1, 0.6, 0.8), 2)).toEqual({ text: true, image: true });
    expect(selectInstance(v(1, 0, 0, 1), v(1, 0, 0, 1), 2)).toEqual({ text: true, image: true });
    // Image 1 closest to caption 0 (0.9 > 0.5), caption 1 closest to image 1 (0.5 > 0): text wrong, image right.
    expect(selectInstance(v(1, 0, 0.9, 0.5), v(1, 0, 0, 1), 2)).toEqual({ text: false, image: true });
    // One image, two captions (SugarCrepe): ties go to the first maximum, the true caption.
    expect(selectInstance(v(1, 0), v(0.5, 0.5, 0.5, 0.5), 2)).toEqual({ text: true, image: true });
  });
});

describe('image_caption_selection on SugarCrepe layout (tiny CLIP)', () => {
  it('equals CLIP_benchmark\'s definition computed with the towers directly, within one instance', async () => {
    const { taskResults } = await runTaskPlan({ datasets: [`sugarcrepe:${annotation}?images=${images}`], shifts: ['contrast:3'], outDir: join(root, 'out'), cacheDir: join(root, 'cache') });
    expect(taskResults.map((r) => [r.task, r.shift?.corruption ?? null])).toEqual([['image_caption_selection', null], ['image_caption_selection', 'contrast']]);
    const clean = taskResults[0].selection!;
    expect(clean.n).toBe(ENTRIES.length);
    const model = await loadModel('tiny-clip-shapes');
    let textHits = 0;
    try {
      const dim = model.info.embedDim;
      for (const [, img, pos, neg] of ENTRIES) {
        const { data, info } = await sharp(join(images, `${img}.png`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const raw = makeRawImage(info.width, info.height);
        raw.data.set(data);
        const e = await model.encodePixels(model.preprocess(raw), 1);
        const t = await model.encodeText([`a ${pos} square`, `a ${neg} square`]);
        const dot = (k: number): number => Array.from(e).reduce((s, x, d) => s + x * t[k * dim + d], 0);
        // One image: image_acc is always right; text_acc is the true caption scoring at least the negative (first maximum).
        if (dot(0) >= dot(1)) textHits++;
      }
    } finally {
      await model.dispose();
    }
    expect(Math.abs(clean.textAcc.hits - textHits)).toBeLessThanOrEqual(1);
    expect(clean.imageAcc.hits).toBe(ENTRIES.length);
    expect(clean.acc.hits).toBe(clean.textAcc.hits);
    expect(clean.acc.ci[0]).toBeLessThanOrEqual(clean.acc.value);
    expect(clean.acc.ci[1]).toBeGreaterThanOrEqual(clean.acc.value);
  }, 120_000);

  it('refuses an annotation whose file name leaves the image folder, naming the id', async () => {
    const bad = join(root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ 5: { filename: '../secret.png', caption: 'a', negative_caption: 'b' } }));
    await expect(openDataset(`sugarcrepe:${bad}?images=${images}`)).rejects.toThrow(/"5"\.filename "\.\.\/secret\.png" is not a path inside/);
  });
});

describe('image_caption_selection under --text-shift (captions perturbed)', () => {
  it('equals the unshifted run on an annotation whose captions applyTextShift perturbed, seeded by (instance id, caption)', async () => {
    const shift = { name: 'char_swap', severity: 5 } as const;
    const spec = `sugarcrepe:${annotation}?images=${images}`;
    const { taskResults } = await runTaskPlan({ datasets: [spec], textShifts: ['char_swap:5'], outDir: join(root, 'out-text'), cacheDir: null });
    expect(taskResults.map((r) => r.textShift ?? null)).toEqual([null, shift]);
    // The instance ids the dataset gives each entry.
    const instanceOf = new Map<string, string>();
    for await (const s of (await openDataset(spec)).samples()) if (s.instance) instanceOf.set(`${String(s.metadata?.filename)}|${s.instance.captions[0]}`, s.instance.id);
    expect(instanceOf.size).toBe(ENTRIES.length);
    const json = Object.fromEntries(ENTRIES.map(([id, img, pos, neg]) => {
      const inst = instanceOf.get(`${img}.png|a ${pos} square`)!;
      return [id, { filename: `${img}.png`, caption: applyTextShift(`a ${pos} square`, shift, inst, null), negative_caption: applyTextShift(`a ${neg} square`, shift, inst, null) }];
    }));
    const perturbed = join(root, 'swap_att_perturbed.json');
    writeFileSync(perturbed, JSON.stringify(json));
    const reference = (await runTaskPlan({ datasets: [`sugarcrepe:${perturbed}?images=${images}`], outDir: join(root, 'out-text-ref'), cacheDir: null })).taskResults[0];
    expect(taskResults[1].selection).toEqual(reference.selection);
  });
});
