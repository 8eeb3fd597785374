import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { multilabelResultSchema } from '../../src/results/tasks/multilabel.js';
import { VOC_CATEGORIES } from '../../src/datasets/voc.js';
import { writeVoc, type VocImage } from '../datasets/helpers/vocWriter.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-multilabel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const IMAGES: VocImage[] = [
  { id: '000001', rgb: [220, 30, 30], objects: [{ name: 'dog' }, { name: 'person', parts: ['head'] }] },
  { id: '000002', rgb: [30, 200, 40], objects: [{ name: 'aeroplane' }] },
  { id: '000003', rgb: [30, 40, 220], objects: [{ name: 'dog', difficult: true }, { name: 'cat' }] },
  { id: '000005', rgb: [240, 230, 30], objects: [{ name: 'person' }] },
  { id: '000006', rgb: [250, 250, 250], objects: [{ name: 'car' }, { name: 'person' }] },
  { id: '000008', rgb: [15, 15, 15], objects: [{ name: 'aeroplane' }, { name: 'dog' }] },
];

/**
 * AP of one class restated independently of src/metrics/multilabel.ts: for each positive item,
 * precision at its score = (positives scoring ≥ it) / (items scoring ≥ it); AP = their mean
 * (0 without positives). Equal to the ranked form when no two scores tie (checked below).
 */
function apByThreshold(scores: number[], positive: boolean[]): number {
  const pos = scores.filter((_, i) => positive[i]);
  if (pos.length === 0) return 0;
  return pos.reduce((s, t) => s + scores.filter((v, i) => v >= t && positive[i]).length / scores.filter((v) => v >= t).length, 0) / pos.length;
}

describe('multi-label VOC2007 mAP from the CLI (tiny CLIP)', () => {
  beforeAll(() => writeVoc(root, IMAGES));

  it('voc: runs multilabel by itself; mAP equals an independent AP over the model\'s own cosine scores; index.csv has mean_average_precision', async () => {
    const out = join(root, 'out');
    const r = await cli(['eval', '--dataset', `voc:${root}`, '--model', 'tiny-clip-shapes', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mAP %/);
    const file = readdirSync(out).find((f) => f.startsWith('task-multilabel__'))!;
    const result = multilabelResultSchema.parse(JSON.parse(readFileSync(join(out, file), 'utf8')));
    expect(result.multilabel.prompts.templates).toEqual(['a photo of a {c}.']);
    // Independent: decode with sharp, preprocess and embed directly; texts through the text tower.
    const model = await loadModel('tiny-clip-shapes');
    const size = 3 * 64 * 64;
    const px = new Float32Array(IMAGES.length * size);
    for (const [i, img] of IMAGES.entries()) {
      const { data, info } = await sharp(join(root, 'VOCdevkit', 'VOC2007', 'JPEGImages', `${img.id}.jpg`)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      px.set(model.preprocess({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) } as never), i * size);
    }
    const x = await model.encodePixels(px, IMAGES.length);
    const t = await model.encodeText(VOC_CATEGORIES.map((c) => `a photo of a ${c}.`));
    await model.dispose();
    const dim = model.info.embedDim;
    let sum = 0;
    VOC_CATEGORIES.forEach((cat, k) => {
      const scores = IMAGES.map((_, i) => {
        let d = 0;
        for (let j = 0; j < dim; j++) d += x[i * dim + j] * t[k * dim + j];
        return d;
      });
      expect(new Set(scores).size).toBe(IMAGES.length); // no ties: the two AP forms agree
      const positive = IMAGES.map((img) => img.objects.some((o) => o.name === cat));
      const ap = apByThreshold(scores, positive);
      const got = result.multilabel.perClass[k];
      expect(got.name).toBe(cat);
      expect(got.positives).toBe(positive.filter(Boolean).length);
      expect(got.ap).toBeCloseTo(ap, 5);
      sum += ap;
    });
    expect(result.multilabel.meanAveragePrecision).toBeCloseTo(sum / 20, 5);
    const index = Papa.parse<Record<string, string>>(readFileSync(join(out, 'index.csv'), 'utf8').trim(), { header: true }).data;
    expect(index[0].task).toBe('multilabel');
    expect(Number(index[0].mean_average_precision)).toBe(result.multilabel.meanAveragePrecision);
  }, 120_000);

  it('--task voc2007_multilabel is CLIP_benchmark\'s name for it; classification on a multi-label set is refused', async () => {
    const ok = await cli(['eval', '--task', 'voc2007_multilabel', '--dataset', `voc:${root}`, '--model', 'tiny-clip-shapes', '--out', join(root, 'out2'), '--cache-dir', join(root, 'cache'), '--no-progress', '--limit', '4']);
    expect(ok.code, ok.stderr).toBe(0);
    const file = readdirSync(join(root, 'out2')).find((f) => f.startsWith('task-multilabel__'))!;
    const result = multilabelResultSchema.parse(JSON.parse(readFileSync(join(root, 'out2', file), 'utf8')));
    expect(result.partial).toBe(true);
    expect(result.multilabel.n).toBe(4);
    const bad = await cli(['eval', '--task', 'zeroshot_classification', '--dataset', `voc:${root}`, '--out', join(root, 'out3'), '--no-progress']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is multi-label \(a set of classes per image\): it needs --task multilabel/);
  }, 120_000);
});
