import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runTaskPlan } from '../helpers/taskRun.js';
import { loadModel } from '../../src/model/loadModel.js';
import { retrievalRanks } from '../../src/metrics/retrieval.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-tasks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const base = { seed: 0, cacheDir: join(root, 'cache') };

describe('zeroshot_retrieval end to end (csv-captions, tiny CLIP)', () => {
  it('writes a task result and an index.csv row whose recall matches the model embedded directly', async () => {
    const colors: [string, [number, number, number]][] = [['red', [230, 20, 20]], ['green', [20, 200, 40]], ['blue', [20, 40, 230]], ['yellow', [240, 230, 20]]];
    for (const [name, rgb] of colors) await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(join(root, `${name}.png`));
    const rows = colors.flatMap(([name]) => [`${name}.png,a ${name} square`, `${name}.png,something ${name}`]);
    writeFileSync(join(root, 'caps.csv'), `image,caption\n${rows.join('\n')}\nmissing.png,a ghost\n`);
    const out = join(root, 'out-ret');
    const { taskResults: results } = await runTaskPlan({ ...base, task: 'zeroshot_retrieval', models: ['tiny-clip-shapes'], datasets: [`csv-captions:${join(root, 'caps.csv')}`], outDir: out });
    const r = results[0];
    expect(r.retrieval!.nImages).toBe(4);
    expect(r.retrieval!.nTexts).toBe(8);
    expect(r.skipped.map((s) => s.id)).toEqual(['missing.png']);
    // Independent check: embed with the model directly and rank.
    const model = await loadModel('tiny-clip-shapes');
    const px = new Float32Array(4 * 3 * 64 * 64);
    for (const [i, [name]] of colors.entries()) {
      const { data, info } = await sharp(join(root, `${name}.png`)).raw().toBuffer({ resolveWithObject: true });
      px.set(model.preprocess({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) } as never), i * 3 * 64 * 64);
    }
    const images = await model.encodePixels(px, 4);
    const texts = await model.encodeText(rows.map((l) => l.split(',')[1]));
    await model.dispose();
    const ranks = retrievalRanks({ images, texts, dim: model.info.embedDim, textImage: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]) });
    const r1 = Array.from(ranks.imageRanks).filter((x) => x === 1).length / 8;
    expect(r.retrieval!.recall['image_retrieval_recall@1'].value).toBe(r1);
    const index = readFileSync(join(out, 'index.csv'), 'utf8').split('\n');
    expect(index[0]).toContain('image_retrieval_recall@1');
    expect(index[1]).toContain('zeroshot_retrieval');
  });
});

describe('zeroshot_retrieval --group-by (csv-captions metadata column)', () => {
  it('gives each group the recall of its images and captions ranked against the whole gallery, as the cosines say', async () => {
    const colors: [string, [number, number, number], string][] = [['red', [230, 20, 20], 'warm'], ['green', [20, 200, 40], 'cool'], ['blue', [20, 40, 230], 'cool'], ['yellow', [240, 230, 20], 'warm'], ['white', [245, 245, 245], '']];
    for (const [name, rgb] of colors) await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(join(root, `g-${name}.png`));
    const caps = colors.flatMap(([name, , tone]) => [[`g-${name}.png`, `a ${name} square`, tone], [`g-${name}.png`, `the colour ${tone || 'plain'}`, tone]]);
    writeFileSync(join(root, 'caps-tone.csv'), `image,caption,tone\n${caps.map((c) => c.join(',')).join('\n')}\n`);
    const { taskResults } = await runTaskPlan({ ...base, models: ['tiny-clip-shapes'], datasets: [`csv-captions:${join(root, 'caps-tone.csv')}`], groupBy: ['tone'], outDir: join(root, 'out-groups') });
    const groups = taskResults[0].retrieval!.groups!.tone;
    expect(Object.keys(groups)).toEqual(['(missing)', 'cool', 'warm']);

    // Independent: cosines of every caption with every image, from the towers directly.
    const model = await loadModel('tiny-clip-shapes');
    const dim = model.info.embedDim;
    const img: Float32Array[] = [];
    for (const [name] of colors) {
      const { data, info } = await sharp(join(root, `g-${name}.png`)).raw().toBuffer({ resolveWithObject: true });
      img.push(await model.encodePixels(model.preprocess({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) } as never), 1));
    }
    const txt = await model.encodeText(caps.map((c) => c[1]));
    await model.dispose();
    const cos = (t: number, i: number): number => img[i].reduce((acc, x, d) => acc + x * txt[t * dim + d], 0);
    const owner = (t: number): number => Math.floor(t / 2);
    for (const tone of ['warm', 'cool', '(missing)']) {
      const members = colors.map((c, i) => [c[2] || '(missing)', i] as const).filter(([g]) => g === tone).map(([, i]) => i);
      // text → image: a caption of the group whose own image scores highest among all images.
      const queries = caps.map((_, t) => t).filter((t) => members.includes(owner(t)));
      const imgHits = queries.filter((t) => colors.every((_, i) => i === owner(t) || cos(t, i) < cos(t, owner(t)))).length;
      // image → text: an image of the group whose best caption among all captions is its own.
      const txtHits = members.filter((i) => { const best = caps.map((_, t) => t).reduce((b, t) => (cos(t, i) > cos(b, i) ? t : b), 0); return owner(best) === i; }).length;
      const g = groups[tone];
      expect([g.nImages, g.nTexts], tone).toEqual([members.length, queries.length]);
      expect(g.recall['image_retrieval_recall@1'].hits, tone).toBe(imgHits);
      expect(g.recall['text_retrieval_recall@1'].hits, tone).toBe(txtHits);
      expect(g.meanRecallAt1).toBeCloseTo(0.5 * (imgHits / queries.length + txtHits / members.length), 12);
    }
  }, 120_000);

  it('is still refused for multi-label mAP and OOD detection', async () => {
    await expect(runTaskPlan({ ...base, models: ['tiny-clip-shapes'], datasets: ['shapes:dark?n=8'], task: 'zeroshot_ood', ood: { datasets: ['shapes:sketch?n=8'] }, groupBy: ['color'], outDir: join(root, 'out-ood-g') })).rejects.toThrow(/--group-by applies to classification, retrieval and linear-probe results, not to OOD detection/);
  });
});

describe('linear_probe end to end (shapes, tiny CLIP)', () => {
  it('trains on the seed+1 split, scores test and a shifted variant, groups by a metadata field, flags --limit partial', async () => {
    const out = join(root, 'out-probe');
    const { taskResults: results } = await runTaskPlan({ ...base, task: 'linear_probe', models: ['tiny-clip-shapes'], datasets: ['shapes:standard?n=120', 'shapes:dark?n=120'], fewshotK: 4, limit: 100, groupBy: ['color'], outDir: out });
    expect(results.map((r) => r.dataset.name)).toEqual(['shapes-standard', 'shapes-dark']);
    for (const r of results) {
      expect(r.trainDataset!.spec).toContain('seed=1');
      expect(r.partial).toBe(true);
      expect(r.limit).toEqual({ n: 100, seed: 0, of: 120 });
      expect(r.metrics!.n).toBe(100);
      const groups = r.groups!.color;
      expect(Object.values(groups).reduce((s, g) => s + g.n, 0)).toBe(100);
      const s = r.groupSummary!.color;
      expect(s.worst.acc1).toBe(Math.min(...Object.values(groups).map((g) => g.acc1)));
    }
    expect(results[0].dataset.isStandard).toBe(true);
    expect(results[1].dataset.isStandard).toBe(false);
  }, 120_000);

  it('exits 2 naming the field and the dataset when no item has the --group-by field', async () => {
    const r = await cli(['eval', '--task', 'linear_probe', '--dataset', 'shapes:standard?n=40', '--group-by', 'region', '--out', join(root, 'out-bad'), '--cache-dir', join(root, 'cache'), '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--group-by region: no item of dataset shapes-standard .* has a metadata field 'region'; fields present: .*color/);
  }, 120_000);
});

describe('captioned and labelled datasets in one eval', () => {
  it('runs each with the task of its kind (retrieval for captions, classification for labels), never label -1', async () => {
    const out = join(root, 'out-mixed');
    const outcome = await runTaskPlan({ ...base, models: ['tiny-clip-shapes'], datasets: ['shapes-captions:standard?n=20', 'shapes:dark?n=20'], outDir: out });
    expect(outcome.taskResults.map((r) => [r.task, r.dataset.name])).toEqual([['zeroshot_retrieval', 'shapes-standard-captions']]);
    expect(outcome.results.map((r) => [r.task, r.dataset.name])).toEqual([['zeroshot_classification', 'shapes-dark']]);
    expect(outcome.results[0].metrics.n).toBe(20);
  }, 120_000);

  it('--skip-existing reuses task results without embedding, and runs only what is new', async () => {
    const out = join(root, 'out-skip');
    const datasets = ['shapes-captions:standard?n=12'];
    const first = await runTaskPlan({ ...base, cacheDir: null, models: ['tiny-clip-shapes'], datasets, shifts: ['contrast:3'], outDir: out });
    expect(first.taskResults.map((r) => r.shift?.corruption ?? 'none')).toEqual(['none', 'contrast']);
    const before = new Map(readdirSync(out).filter((f) => f.startsWith('task-') && f.endsWith('.json')).map((f) => {
      const text = readFileSync(join(out, f), 'utf8');
      return [(JSON.parse(text) as { id: string }).id, text];
    }));
    expect(before.size).toBe(2);
    // No cache: anything not reused would have to be embedded again.
    const again = await runTaskPlan({ ...base, cacheDir: null, models: ['tiny-clip-shapes'], datasets, shifts: ['contrast:3', 'brightness:2'], outDir: out, skipExisting: true });
    expect(again.skippedUnits).toBe(2);
    const byShift = new Map(again.taskResults.map((r) => [r.shift?.corruption ?? 'none', r]));
    expect([...byShift.keys()].sort()).toEqual(['brightness', 'contrast', 'none']);
    for (const shift of ['none', 'contrast']) {
      const r = byShift.get(shift)!;
      const was = JSON.parse(before.get(r.id)!) as { createdAt: string; retrieval: unknown; timings: unknown };
      expect(r.reusedAt).toBeDefined();
      expect([r.createdAt, r.retrieval, r.timings]).toEqual([was.createdAt, was.retrieval, was.timings]);
    }
    expect(byShift.get('brightness')!.reusedAt).toBeUndefined();
    expect(byShift.get('brightness')!.timings.imagesComputed).toBe(12);
  }, 180_000);

  it('with --task, exits 2 naming the dataset of the other kind and the task it needs', async () => {
    const r = await cli(['eval', '--task', 'zeroshot_classification', '--dataset', 'shapes:dark?n=20', '--dataset', 'shapes-captions:standard?n=20', '--out', join(root, 'out-mixed-bad'), '--no-cache', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shapes-captions:standard\?n=20 is captioned \(image–text pairs\): it needs --task zeroshot_retrieval/);
  }, 120_000);
});
