import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTextShift } from '../../src/textShifts/registry.js';
import { openDataset } from '../../src/datasets/registry.js';
import type { TaskResult } from '../../src/results/envelope.js';
import { captionsOf, SQUARE_ITEMS, writeSquareCaptionsWds } from '../helpers/squareCaptions.js';
import { runTaskPlan } from '../helpers/taskRun.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-text-shift-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ITEMS = SQUARE_ITEMS;
const dir = join(root, 'wds_captions');

beforeAll(async () => {
  await writeSquareCaptionsWds(dir);
});

const hits = (r: TaskResult): number[] => Object.values(r.retrieval!.recall).map((v) => v.hits);

/** index.csv as rows of named columns. */
function indexCsv(out: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(join(out, 'index.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('--text-shift on zero-shot retrieval (captions perturbed)', () => {
  it('typo:3 is deterministic across two runs, recorded in the result, its file name and index.csv, and changes recall', async () => {
    const cache = join(root, 'cache');
    const a = await runTaskPlan({ datasets: [`wds:${dir}`], textShifts: ['typo:3'], outDir: join(root, 'a'), cacheDir: cache });
    const b = await runTaskPlan({ datasets: [`wds:${dir}`], textShifts: ['typo:3'], outDir: join(root, 'b'), cacheDir: null });
    expect(a.taskResults.map((r) => [r.shift, r.textShift])).toEqual([[null, undefined], [null, { name: 'typo', severity: 3 }]]);
    const [clean, typo] = a.taskResults;
    // Rerun without the cache: the same perturbed captions, so the same ranks.
    expect(hits(b.taskResults[1])).toEqual(hits(typo));
    expect(b.taskResults[1].retrieval!.imageRetrievalMeanRank).toBe(typo.retrieval!.imageRetrievalMeanRank);
    expect(b.taskResults[1].id).toBe(typo.id);
    expect(typo.id).not.toBe(clean.id);
    expect(typo.dataset.isStandard).toBe(false);
    // The captions changed, so the recall did.
    expect(typo.retrieval!.imageRetrievalMeanRank).not.toBe(clean.retrieval!.imageRetrievalMeanRank);
    expect(hits(typo)).not.toEqual(hits(clean));
    // One caption in five words is perturbed at severity 3; the image embeddings were read once for both lanes.
    expect(typo.timings.textsComputed).toBeGreaterThan(0);
    // The clean lane counts them; the typo lane records them as shared, so a sum over results counts each image once.
    expect(a.taskResults.map((r) => [r.timings.imagesComputed, r.timings.imagesFromCache, r.timings.imagesShared])).toEqual([[ITEMS.length, 0, undefined], [0, 0, ITEMS.length]]);

    const names = readdirSync(join(root, 'a')).filter((n) => n.startsWith('task-')).sort();
    expect(names.some((n) => n.includes('__text-typo-3__'))).toBe(true);
    expect(indexCsv(join(root, 'a')).map((r) => r.text_shift).sort()).toEqual(['none', 'typo:3']);

    // Perturbed captions are cached by their text: a rerun on the same cache embeds none.
    const again = await runTaskPlan({ datasets: [`wds:${dir}`], textShifts: ['typo:3'], outDir: join(root, 'c'), cacheDir: cache });
    expect(again.taskResults[1].timings.textsComputed).toBe(0);
    expect(hits(again.taskResults[1])).toEqual(hits(typo));
  });

  it('equals the clean run of the same images with the captions applyTextShift gives, seeded by (image id, caption)', async () => {
    const shift = { name: 'char_delete', severity: 5 } as const;
    const shifted = (await runTaskPlan({ datasets: [`wds:${dir}`], textShifts: ['char_delete:5'], outDir: join(root, 'd'), cacheDir: null })).taskResults[1];
    // The same images, with each caption perturbed by hand and written into the dataset.
    const pre = join(root, 'wds_perturbed');
    // Seeded by the dataset's own item ids (`0.tar:s00`), as image corruptions are.
    const ids = new Map<string, string>();
    for await (const sample of (await openDataset(`wds:${dir}`)).samples()) ids.set(sample.id.split(':').at(-1)!, sample.id);
    expect(ids.size).toBe(ITEMS.length);
    let changed = 0;
    await writeSquareCaptionsWds(pre, (key, fg, bg) => {
      const caps = captionsOf(fg, bg).map((c) => applyTextShift(c, shift, ids.get(key)!, null));
      changed += caps.filter((c, i) => c !== captionsOf(fg, bg)[i]).length;
      return caps;
    });
    expect(changed).toBeGreaterThan(0);
    const reference = (await runTaskPlan({ datasets: [`wds:${pre}`], outDir: join(root, 'e'), cacheDir: null })).taskResults[0];
    expect(reference.textShift).toBeUndefined();
    expect(shifted.retrieval).toEqual(reference.retrieval);
  });
});

describe('--text-shift on zero-shot classification (class names inside the prompts)', () => {
  it('char_swap:5 is recorded (result, file name, index.csv) and changes top-1; templates keep their words', async () => {
    const out = join(root, 'cls');
    const { results } = await runTaskPlan({ datasets: ['shapes:standard?n=48'], textShifts: ['char_swap:5'], outDir: out, cacheDir: join(root, 'cache') });
    expect(results.map((r) => r.textShift)).toEqual([undefined, { name: 'char_swap', severity: 5 }]);
    const [clean, swapped] = results;
    expect(swapped.metrics.acc1).not.toBe(clean.metrics.acc1);
    expect(swapped.id).not.toBe(clean.id);
    expect(swapped.prompts.hash).not.toBe(clean.prompts.hash);
    expect(swapped.prompts.templates).toEqual(clean.prompts.templates);
    // Predictions and per-class rows keep the dataset's names; the prompts record the names the model read.
    expect(swapped.dataset.classNames).toEqual(clean.dataset.classNames);
    const read = swapped.prompts.classNames!;
    expect(read).toEqual(clean.prompts.classNames!.map((n, k) => applyTextShift(n, { name: 'char_swap', severity: 5 }, String(k), null)));
    expect(read).not.toEqual(clean.prompts.classNames);
    const files = readdirSync(out).filter((n) => n.endsWith('.json'));
    expect(files.filter((n) => n.includes('__text-char_swap-5__'))).toHaveLength(1);
    expect(indexCsv(out).map((r) => r.text_shift).sort()).toEqual(['char_swap:5', 'none']);
  });

  it('composes with an image shift: none and char_swap:5, each under none and contrast:3', async () => {
    const { results } = await runTaskPlan({ datasets: ['shapes:standard?n=16'], shifts: ['contrast:3'], textShifts: ['char_swap:5'], outDir: join(root, 'both'), cacheDir: null });
    expect(results.map((r) => `${r.shift?.corruption ?? 'none'} ${r.textShift?.name ?? 'none'}`)).toEqual(['none none', 'contrast none', 'none char_swap', 'contrast char_swap']);
    expect(new Set(results.map((r) => r.id)).size).toBe(4);
    // Two image streams (none, contrast:3), each embedded once: 32 images, counted by the lanes without a text shift.
    expect(results.map((r) => [r.timings.imagesComputed, r.timings.imagesFromCache, r.timings.imagesShared])).toEqual([[16, 0, undefined], [16, 0, undefined], [0, 0, 16], [0, 0, 16]]);
    expect(results.reduce((n, r) => n + r.timings.imagesComputed, 0)).toBe(32);
  });
});

describe('--text-shift on the command line', () => {
  it('an unknown name lists the known ones; a severity outside 1–5 is refused (exit 2)', async () => {
    const unknown = await cli(['eval', '--dataset', 'shapes:standard?n=4', '--text-shift', 'tpyo:3', '--out', join(root, 'cli'), '--no-cache', '--no-progress']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown text shift 'tpyo'; did you mean 'typo'\?; known: .*char_swap.*synonym/);
    const severity = await cli(['eval', '--dataset', 'shapes:standard?n=4', '--text-shift', 'typo:0', '--out', join(root, 'cli'), '--no-cache', '--no-progress']);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(/severity 0 is invalid; valid: 1, 2, 3, 4, 5/);
  });

  it('a bad --text-shift is refused before the default suite is planned (no suite warnings first)', async () => {
    const r = await cli(['eval', '--text-shift', 'typo:9', '--out', join(root, 'cli-default'), '--no-cache', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/severity 9 is invalid/);
    expect(r.stderr).not.toMatch(/warning/);
  });

  it('a task-list suite (its tasks run unshifted) refuses --text-shift instead of dropping it', async () => {
    const r = await cli(['eval', '--suite', 'datacomp-38', '--text-shift', 'typo:3', '--out', join(root, 'cli-list'), '--no-cache', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--text-shift does not apply to the task-list suite datacomp-38/);
  });

  it('eval --help teaches the flag and lists the shifts', async () => {
    const help = await cli(['eval', '--help']);
    expect(help.stdout).toMatch(/--text-shift <name:severity>[\s\S]*typo, ocr, char_insert/);
  });
});
