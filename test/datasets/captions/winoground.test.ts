import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/loadModel.js';
import { makeRawImage } from '../../../src/image/rawImage.js';
import { openDataset } from '../../../src/datasets/registry.js';
import { runTaskPlan } from '../../helpers/taskRun.js';

const root = mkdtempSync(join(tmpdir(), 'zs-winoground-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLORS: Record<string, [number, number, number]> = { red: [220, 30, 30], green: [30, 190, 50], blue: [30, 50, 220], yellow: [235, 225, 30], purple: [140, 40, 180], white: [245, 245, 245] };
/**
 * Examples in the Hub's layout (ids as integers, image names as stems): image colours and
 * caption colours. Some captions are swapped against their images and some images repeat a
 * colour, so text, image and group scores differ.
 */
const EXAMPLES: { id: number; images: [string, string]; captions: [string, string] }[] = [
  { id: 0, images: ['red', 'blue'], captions: ['red', 'blue'] },
  { id: 1, images: ['green', 'yellow'], captions: ['green', 'yellow'] },
  { id: 2, images: ['purple', 'white'], captions: ['white', 'purple'] },
  { id: 3, images: ['blue', 'blue'], captions: ['blue', 'red'] },
  { id: 4, images: ['yellow', 'red'], captions: ['red', 'red'] },
  { id: 5, images: ['white', 'green'], captions: ['white', 'green'] },
  { id: 7, images: ['red', 'purple'], captions: ['purple', 'red'] },
];
const snapshot = join(root, 'winoground');
const data = join(snapshot, 'data');

beforeAll(async () => {
  mkdirSync(join(data, 'images'), { recursive: true });
  const lines: string[] = [];
  for (const e of EXAMPLES) {
    for (const k of [0, 1] as const) {
      const [r, g, b] = COLORS[e.images[k]];
      // One RGBA image, as some published ones are: the alpha channel is dropped, not composited.
      const channels = e.id === 1 && k === 0 ? 4 : 3;
      await sharp({ create: { width: 72, height: 60, channels, background: { r, g, b, alpha: channels === 4 ? 0.5 : 1 } } }).png().toFile(join(data, 'images', `ex_${e.id}_img_${k}.png`));
    }
    lines.push(JSON.stringify({ id: e.id, caption_0: `a ${e.captions[0]} square`, caption_1: `a ${e.captions[1]} square`, tag: 'Adjective-Color', secondary_tag: '', num_main_preds: 1, collapsed_tag: 'Object', image_0: `ex_${e.id}_img_0`, image_1: `ex_${e.id}_img_1` }));
  }
  writeFileSync(join(data, 'examples.jsonl'), `${lines.join('\n')}\n`);
});

describe('winoground: adapter', () => {
  it('reads the Hub layout from the snapshot folder or examples.jsonl: two images per example, captions in order', async () => {
    for (const spec of [`winoground:${snapshot}`, `winoground:${join(data, 'examples.jsonl')}`]) {
      const d = await openDataset(spec);
      expect([d.name, d.selection, d.size]).toEqual(['winoground', true, EXAMPLES.length * 2]);
      const samples = [];
      for await (const s of d.samples()) samples.push(s);
      expect(samples.slice(0, 2).map((s) => [s.id, s.image, s.instance])).toEqual([
        ['0/0', { kind: 'path', path: join(data, 'images', 'ex_0_img_0.png') }, { id: '0', index: 0, captions: ['a red square', 'a blue square'] }],
        ['0/1', { kind: 'path', path: join(data, 'images', 'ex_0_img_1.png') }, { id: '0', index: 1, captions: ['a red square', 'a blue square'] }],
      ]);
      expect(samples[0].metadata).toMatchObject({ tag: 'Adjective-Color', collapsed_tag: 'Object', num_main_preds: 1, image: 'ex_0_img_0' });
    }
  });

  it('refuses image names leaving the folder, missing fields and repeated ids, naming the line', async () => {
    const bad = join(root, 'bad');
    mkdirSync(bad, { recursive: true });
    const write = (lines: object[]): string => {
      writeFileSync(join(bad, 'examples.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
      return `winoground:${bad}`;
    };
    const ok = { id: 0, image_0: 'a', image_1: 'b', caption_0: 'x', caption_1: 'y' };
    await expect(openDataset(write([{ ...ok, image_1: '../../secret' }]))).rejects.toThrow(/example 0 image_1 "\.\.\/\.\.\/secret\.png" is not a path inside/);
    await expect(openDataset(write([ok, { ...ok, id: 1, caption_1: 7 }]))).rejects.toThrow(/examples\.jsonl:2: example 1 lacks a non-empty string caption_1/);
    await expect(openDataset(write([ok, ok]))).rejects.toThrow(/examples\.jsonl:2: example id 0 appears twice/);
    await expect(openDataset(`winoground:${join(root, 'nowhere')}`)).rejects.toThrow(/no examples\.jsonl there/);
  });
});

describe('winoground: image_caption_selection (tiny CLIP)', () => {
  it('gives Winoground\'s text, image and group scores computed from the towers directly, within one example', async () => {
    const { taskResults } = await runTaskPlan({ datasets: [`winoground:${snapshot}`], outDir: join(root, 'out'), cacheDir: join(root, 'cache') });
    expect(taskResults.map((r) => r.task)).toEqual(['image_caption_selection']);
    const m = taskResults[0].selection!;
    expect(m.n).toBe(EXAMPLES.length);

    // Winoground's own definitions (Thrush et al. 2022), s(c, i) the cosine of caption c and image i:
    // text: s(c0,i0) > s(c1,i0) and s(c1,i1) > s(c0,i1); image: s(c0,i0) > s(c0,i1) and s(c1,i1) > s(c1,i0).
    const model = await loadModel('tiny-clip-shapes');
    const want = { text: 0, image: 0, group: 0 };
    try {
      const dim = model.info.embedDim;
      for (const e of EXAMPLES) {
        const imgs: Float32Array[] = [];
        for (const k of [0, 1]) {
          const { data: px, info } = await sharp(join(data, 'images', `ex_${e.id}_img_${k}.png`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
          const raw = makeRawImage(info.width, info.height);
          raw.data.set(px);
          imgs.push(await model.encodePixels(model.preprocess(raw), 1));
        }
        const t = await model.encodeText(e.captions.map((c) => `a ${c} square`));
        const s = (c: number, i: number): number => imgs[i].reduce((acc, x, d) => acc + x * t[c * dim + d], 0);
        const text = s(0, 0) > s(1, 0) && s(1, 1) > s(0, 1);
        const image = s(0, 0) > s(0, 1) && s(1, 1) > s(1, 0);
        want.text += Number(text);
        want.image += Number(image);
        want.group += Number(text && image);
      }
    } finally {
      await model.dispose();
    }
    // The fixture must tell the three scores apart, or the test could not catch a swap of them.
    expect(new Set([want.text, want.image, want.group]).size).toBeGreaterThan(1);
    expect(Math.abs(m.textAcc.hits - want.text)).toBeLessThanOrEqual(1);
    expect(Math.abs(m.imageAcc.hits - want.image)).toBeLessThanOrEqual(1);
    expect(Math.abs(m.acc.hits - want.group)).toBeLessThanOrEqual(1);
    expect(m.acc.ci[0]).toBeLessThanOrEqual(m.acc.value);
    expect(m.acc.ci[1]).toBeGreaterThanOrEqual(m.acc.value);
  }, 120_000);
});
