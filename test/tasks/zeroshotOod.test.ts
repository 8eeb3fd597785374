import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { oodResultSchema, type OodResult } from '../../src/results/tasks/zeroshotOod.js';
import { writeShapesPngs } from '../../src/datasets/shapes/writePngs.js';
import { cli } from '../helpers/cli.js';
import { readAnyResult } from '../../src/results/envelope.js';

const root = mkdtempSync(join(tmpdir(), 'zs-ood-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Held-out setting of issue 29: one image domain (shapes, sketch: hard enough that ID and OOD
// scores overlap, so FPR@95 is not 0), 6 in-distribution shape
// classes and 2 shapes the ID classifier never names.
const UNSEEN = ['cross', 'diamond'];
const idDir = join(root, 'id');
const oodDir = join(root, 'ood');
const files = new Map<string, { dir: string; cls: string; file: string }[]>();

beforeAll(async () => {
  const all = join(root, 'all');
  const written = await writeShapesPngs(all, { domain: 'sketch', options: { n: '240', seed: '29' } });
  mkdirSync(idDir);
  mkdirSync(oodDir);
  for (const cls of new Set(written.map((w) => w.className))) renameSync(join(all, cls), join(UNSEEN.includes(cls) ? oodDir : idDir, cls));
  for (const [which, dir] of [['id', idDir], ['ood', oodDir]] as const) {
    files.set(which, readdirSync(dir).sort().flatMap((cls) => readdirSync(join(dir, cls)).map((file) => ({ dir, cls, file }))));
  }
}, 60_000);

async function run(score: string, out: string, extra: string[] = []): Promise<OodResult> {
  const r = await cli(['eval', '--task', 'zeroshot_ood', '--dataset', `folder:${idDir}`, '--ood-dataset', `folder:${oodDir}`, '--ood-score', score, '--model', 'tiny-clip-shapes', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/AUROC % \[95% CI\]/);
  const file = readdirSync(out).find((f) => f.startsWith('task-zeroshot_ood__'))!;
  // Read back as report, merge and index.csv read every result: through the one envelope.
  expect((await readAnyResult(join(out, file))).task).toBe('zeroshot_ood');
  return oodResultSchema.parse(JSON.parse(readFileSync(join(out, file), 'utf8')));
}

/** Pairwise AUROC (ties ½) and FPR@95 by the words, restated without src/metrics. */
function independent(id: number[], ood: number[]): { auroc: number; fpr95: number } {
  let wins = 0;
  for (const a of id) for (const b of ood) wins += a > b ? 1 : a === b ? 0.5 : 0;
  // The largest threshold among the ID scores that keeps at least 95 % of ID scores at or above it.
  const t = Math.max(...id.filter((c) => id.filter((v) => v >= c).length >= 0.95 * id.length));
  return { auroc: wins / (id.length * ood.length), fpr95: ood.filter((v) => v >= t).length / ood.length };
}

describe('zero-shot OOD detection, end to end (tiny CLIP, 6 ID + 2 unseen shapes)', () => {
  it('mcm and maxlogit: AUROC within 0.002 and FPR@95 within one OOD image of scores computed from the model directly', async () => {
    // Independent: decode with sharp, preprocess and embed directly; the classifier from the recorded templates, CLIP ensembling.
    const model = await loadModel('tiny-clip-shapes');
    const dim = model.info.embedDim;
    const embed = async (items: { dir: string; cls: string; file: string }[]): Promise<Float32Array> => {
      const size = 3 * 64 * 64;
      const px = new Float32Array(items.length * size);
      for (const [i, it] of items.entries()) {
        const { data, info } = await sharp(join(it.dir, it.cls, it.file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        px.set(model.preprocess({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) } as never), i * size);
      }
      return model.encodePixels(px, items.length);
    };
    const idItems = files.get('id')!;
    const oodItems = files.get('ood')!;
    const xId = await embed(idItems);
    const xOod = await embed(oodItems);
    const classes = readdirSync(idDir).sort();
    expect(classes).toHaveLength(6);

    const results: Record<string, OodResult> = {};
    for (const score of ['mcm', 'maxlogit']) results[score] = await run(score, join(root, `out-${score}`));
    const templates = results.mcm.ood.prompts.templates;
    const w = new Float32Array(classes.length * dim);
    for (const [k, c] of classes.entries()) {
      const t = await model.encodeText(templates.map((tpl) => tpl.replaceAll('{}', c).replaceAll('{c}', c)));
      const mean = new Float64Array(dim);
      for (let j = 0; j < templates.length; j++) for (let d = 0; d < dim; d++) mean[d] += t[j * dim + d];
      const norm = Math.hypot(...mean);
      for (let d = 0; d < dim; d++) w[k * dim + d] = mean[d] / norm;
    }
    const scale = model.info.scoring.scale;
    await model.dispose();
    const cosOf = (x: Float32Array, i: number): number[] => classes.map((_, k) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[i * dim + d] * w[k * dim + d];
      return s;
    });
    const scoreOf = (score: string, cos: number[]): number => {
      if (score === 'maxlogit') return scale * Math.max(...cos);
      const e = cos.map((s) => Math.exp(s));
      return Math.max(...e) / e.reduce((a, b) => a + b, 0);
    };
    let correct = 0;
    idItems.forEach((it, i) => {
      const cos = cosOf(xId, i);
      if (cos.indexOf(Math.max(...cos)) === classes.indexOf(it.cls)) correct++;
    });
    for (const score of ['mcm', 'maxlogit']) {
      const o = results[score].ood;
      const ref = independent(idItems.map((_, i) => scoreOf(score, cosOf(xId, i))), oodItems.map((_, i) => scoreOf(score, cosOf(xOod, i))));
      expect(o.score).toBe(score);
      expect(o.nId).toBe(idItems.length);
      expect(o.nOod).toBe(oodItems.length);
      expect(Math.abs(o.auroc - ref.auroc)).toBeLessThan(0.002);
      expect(Math.abs(o.fpr95 - ref.fpr95) * o.nOod).toBeLessThanOrEqual(1);
      // Not a degenerate set: the unseen shapes overlap the ID scores somewhat, and top-1 is the model's.
      expect(o.auroc).toBeGreaterThan(0.5);
      expect(o.auroc).toBeLessThan(1);
      expect(o.idTop1).toBeCloseTo(correct / idItems.length, 10);
      expect(o.aurocCi![0]).toBeLessThan(o.auroc);
    }
    const index = Papa.parse<Record<string, string>>(readFileSync(join(root, 'out-mcm', 'index.csv'), 'utf8').trim(), { header: true }).data;
    expect(index).toHaveLength(1);
    expect(index[0]).toMatchObject({ task: 'zeroshot_ood', ood_score: 'mcm', ood_dataset: results.mcm.ood.dataset.name });
    expect(Number(index[0].auroc)).toBe(results.mcm.ood.auroc);
    expect(Number(index[0].fpr95)).toBe(results.mcm.ood.fpr95);
    expect(Number(index[0].aupr_in)).toBe(results.mcm.ood.auprIn);
    expect(Number(index[0].aupr_out)).toBe(results.mcm.ood.auprOut);
    expect(Number(index[0].acc1)).toBe(results.mcm.ood.idTop1);
  }, 240_000);

  it('composes with --shift: ID and OOD images are both corrupted, and the result records it', async () => {
    const out = join(root, 'out-shift');
    const r = await cli(['eval', '--dataset', `folder:${idDir}`, '--ood-dataset', `folder:${oodDir}`, '--shift', 'gaussian_noise:5', '--model', 'tiny-clip-shapes', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress', '--limit', '60']);
    expect(r.code, r.stderr).toBe(0);
    const results = readdirSync(out).filter((f) => f.startsWith('task-zeroshot_ood__')).map((f) => oodResultSchema.parse(JSON.parse(readFileSync(join(out, f), 'utf8'))));
    expect(results.map((x) => x.shift?.corruption ?? 'none').sort()).toEqual(['gaussian_noise', 'none']);
    const plain = results.find((x) => !x.shift)!.ood;
    const noisy = results.find((x) => x.shift)!.ood;
    expect(noisy.nOod).toBe(plain.nOod);
    // The same images under noise score differently on both sides.
    expect(noisy.oodScores).not.toEqual(plain.oodScores);
    expect(noisy.idScores).not.toEqual(plain.idScores);
  }, 240_000);

  it('records the texts its classifier embedded (or read from the cache), and is partial when --limit cuts the OOD set alone', async () => {
    // An ID set smaller than --limit (2 images per class) and the OOD set (2 shapes of 240 images) cut to 20.
    const small = join(root, 'id-small');
    for (const f of files.get('id')!.filter((x, i, all) => all.findIndex((y) => y.cls === x.cls) + 2 > i)) {
      mkdirSync(join(small, f.cls), { recursive: true });
      writeFileSync(join(small, f.cls, f.file), readFileSync(join(f.dir, f.cls, f.file)));
    }
    const cache = join(root, 'cache-texts');
    const args = (out: string): string[] => ['eval', '--dataset', `folder:${small}`, '--ood-dataset', `folder:${oodDir}`, '--model', 'tiny-clip-shapes', '--out', out, '--cache-dir', cache, '--no-progress', '--limit', '20'];
    const read = (out: string): OodResult => oodResultSchema.parse(JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.startsWith('task-zeroshot_ood__'))!), 'utf8')));
    for (const out of [join(root, 'out-texts-1'), join(root, 'out-texts-2')]) expect((await cli(args(out))).code).toBe(0);
    const [first, second] = [read(join(root, 'out-texts-1')), read(join(root, 'out-texts-2'))];
    const texts = 6 * first.ood.prompts.templates.length;
    expect(texts).toBeGreaterThan(0);
    expect([first.timings.textsComputed, first.timings.textsFromCache]).toEqual([texts, 0]);
    expect([second.timings.textsComputed, second.timings.textsFromCache]).toEqual([0, texts]);
    expect(first.limit).toEqual({ n: 12, seed: 0, of: 12 });
    expect(first.ood.limit).toEqual({ n: 20, seed: 0, of: files.get('ood')!.length });
    expect(first.ood.nOod).toBe(20);
    expect(first.partial).toBe(true);
  }, 240_000);

  it('an OOD set with no decodable image is exit 2 naming it; --ood-dataset with another task is a usage error', async () => {
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'junk'), { recursive: true });
    writeFileSync(join(empty, 'junk', 'broken.png'), 'not a png');
    const r = await cli(['eval', '--dataset', `folder:${idDir}`, '--ood-dataset', `folder:${empty}`, '--model', 'tiny-clip-shapes', '--out', join(root, 'out-empty'), '--no-cache', '--no-progress', '--limit', '12']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/folder:.*empty has no scored items/);
    const probe = await cli(['eval', '--task', 'zeroshot_classification', '--dataset', `folder:${idDir}`, '--ood-dataset', `folder:${oodDir}`, '--out', join(root, 'out-bad'), '--no-progress']);
    expect(probe.code).toBe(2);
    expect(probe.stderr).toMatch(/--ood-dataset, --ood-score and --ood-temperature apply to --task zeroshot_ood/);
    const none = await cli(['eval', '--task', 'zeroshot_ood', '--dataset', `folder:${idDir}`, '--out', join(root, 'out-bad'), '--no-progress']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs at least one --ood-dataset/);
    const scoreOnly = await cli(['eval', '--dataset', `folder:${idDir}`, '--ood-score', 'energy', '--out', join(root, 'out-bad'), '--no-progress']);
    expect(scoreOnly.code).toBe(2);
    expect(scoreOnly.stderr).toMatch(/--ood-score and --ood-temperature need --ood-dataset SPEC/);
    // A suite has no ID --dataset: the OOD set must not be dropped silently.
    const suite = await cli(['eval', '--suite', 'shapes-robustness', '--ood-dataset', `folder:${oodDir}`, '--out', join(root, 'out-bad'), '--no-progress']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toMatch(/--ood-dataset needs an in-distribution --dataset SPEC/);
    const badT = await cli(['eval', '--dataset', `folder:${idDir}`, '--ood-dataset', `folder:${oodDir}`, '--ood-temperature', '0', '--out', join(root, 'out-bad'), '--no-progress']);
    expect(badT.code).toBe(2);
    expect(badT.stderr).toMatch(/--ood-temperature must be a number > 0, got '0'/);
  }, 120_000);
});

describe('zero-shot OOD detection in the report', () => {
  it('report.md and report.html get a table per model with the ROC chart', async () => {
    const out = join(root, 'out-mcm');
    const rep = await cli(['report', out, '-o', join(root, 'report'), '--bootstrap', '0']);
    expect(rep.code, rep.stderr).toBe(0);
    const result = oodResultSchema.parse(JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.startsWith('task-zeroshot_ood__'))!), 'utf8')));
    const md = readFileSync(join(root, 'report', 'report.md'), 'utf8');
    expect(md).toContain('## Zero-shot OOD detection · tiny-clip-shapes');
    expect(md).toContain(`| ${result.dataset.name} | ${result.ood.dataset.name} | none | mcm (1) | ${result.ood.nId} / ${result.ood.nOod} | ${(100 * result.ood.auroc).toFixed(1)} \\[`);
    expect(md).toContain('(charts/ood-roc-tiny-clip-shapes.png)');
    const html = readFileSync(join(root, 'report', 'report.html'), 'utf8');
    expect(html).toMatch(/<section id="ood-roc-tiny-clip-shapes">.*?<figure><img src="data:image\/png;base64,/s);
    expect(readdirSync(join(root, 'report', 'charts'))).toEqual(expect.arrayContaining(['ood-roc-tiny-clip-shapes.png', 'ood-roc-tiny-clip-shapes.svg']));
  }, 120_000);
});
