import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, mkdir, readFile, readdir, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cli } from '../helpers/cli.js';
import type { Result } from '../../src/results/schema.js';

let tmp: string;
let cache: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-identity-'));
  cache = join(tmp, 'cache');
});

/** A two-class image folder `<root>/test/<class>/*.png` with images of a seeded colour. */
async function folder(root: string, shade: number): Promise<string> {
  for (const [ci, cls] of ['circle', 'square'].entries()) {
    await mkdir(join(root, 'test', cls), { recursive: true });
    for (let i = 0; i < 3; i++) {
      const v = (shade + ci * 60 + i * 20) % 256;
      await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: v, g: 255 - v, b: (v * 3) % 256 } } }).png().toFile(join(root, 'test', cls, `${i}.png`));
    }
  }
  return join(root, 'test');
}

async function resultFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
}

async function readJson(file: string): Promise<Result> {
  return JSON.parse(await readFile(file, 'utf8')) as Result;
}

function csvRows(text: string): string[] {
  return text.trim().split('\n').slice(1);
}

describe('results are keyed by identity', () => {
  it('two datasets of the same name give two results and two index rows', async () => {
    const a = await folder(join(tmp, 'a'), 10);
    const b = await folder(join(tmp, 'b'), 140);
    const out = join(tmp, 'two');
    const r = await cli(['eval', '--dataset', `folder:${a}`, '--dataset', `folder:${b}`, '--template', 'a {}.', '--out', out, '--cache-dir', cache, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const files = await resultFiles(out);
    expect(files).toHaveLength(2);
    const ids = await Promise.all(files.map(async (f) => (await readJson(join(out, f))).id));
    expect(new Set(ids).size).toBe(2);
    for (const [i, f] of files.entries()) expect(f).toContain(ids[i].slice(0, 12));
    // A folder of no known family is never in-distribution (issue 18 §2).
    for (const f of files) expect((await readJson(join(out, f))).dataset).toMatchObject({ family: null, variant: null, isStandard: false });
    expect(csvRows(await readFile(join(out, 'index.csv'), 'utf8'))).toHaveLength(2);
  });

  it('the same dataset at another n is another result, not an overwrite', async () => {
    const out = join(tmp, 'n');
    for (const n of [8, 12]) {
      const r = await cli(['eval', '--dataset', `shapes:standard?n=${n}`, '--prompts', 'shapes-shape', '--out', out, '--cache-dir', cache, '--no-progress']);
      expect(r.code, r.stderr).toBe(0);
    }
    const ns = await Promise.all((await resultFiles(out)).map(async (f) => (await readJson(join(out, f))).metrics.n));
    expect(ns.sort()).toEqual([12, 8].sort());
  });

  it('a rerun keeps the first timings and createdAt and records reusedAt', async () => {
    const out = join(tmp, 'rerun');
    const args = ['eval', '--dataset', 'shapes:dark?n=10', '--prompts', 'shapes-shape', '--out', out, '--cache-dir', join(tmp, 'cache-rerun'), '--no-progress'];
    expect((await cli(args)).code).toBe(0);
    const [file] = await resultFiles(out);
    const first = await readJson(join(out, file));
    expect(first.timings.imagesComputed).toBe(10);
    expect(first.reusedAt).toBeUndefined();
    expect((await cli(args)).code).toBe(0);
    expect(await resultFiles(out)).toEqual([file]);
    const second = await readJson(join(out, file));
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.timings).toEqual(first.timings);
    expect(second.reusedAt).toBeDefined();
  });

  it('--skip-existing matches identity, not the name', async () => {
    const out = join(tmp, 'skip');
    const base = ['eval', '--prompts', 'shapes-shape', '--out', out, '--cache-dir', cache, '--no-progress', '--skip-existing'];
    expect((await cli([...base, '--dataset', 'shapes:sketch?n=8'])).code).toBe(0);
    // Same name (shapes-sketch), other images: must run, not be skipped.
    const r = await cli([...base, '--dataset', 'shapes:sketch?n=8&seed=5']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/already done/);
    expect(await resultFiles(out)).toHaveLength(2);
    const again = await cli([...base, '--dataset', 'shapes:sketch?n=8&seed=5']);
    expect(again.stderr).toMatch(/0 unit\(s\) computed, 1 already done \(--skip-existing\)/);
  });

  it('a results directory with name-only files is migrated to identity names on the next run', async () => {
    const out = join(tmp, 'legacy');
    const args = ['eval', '--dataset', 'shapes:standard?n=8', '--prompts', 'shapes-shape', '--out', out, '--cache-dir', cache, '--no-progress'];
    expect((await cli(args)).code).toBe(0);
    const [file] = await resultFiles(out);
    const r = await readJson(join(out, file));
    // Rewrite it as a name-only result, the way results were named before.
    const legacy = 'tiny-clip-shapes__shapes-standard__none__shapes-shape';
    await rename(join(out, r.predictionsFile), join(out, `${legacy}.predictions.jsonl`));
    await writeFile(join(out, `${legacy}.json`), JSON.stringify({ ...r, predictionsFile: `${legacy}.predictions.jsonl` }));
    await rename(join(out, file), join(tmp, 'moved-away.json'));
    expect((await cli(args)).code).toBe(0);
    expect(await resultFiles(out)).toEqual([file]);
    expect((await readJson(join(out, file))).createdAt).toBe(r.createdAt);
    expect(csvRows(await readFile(join(out, 'index.csv'), 'utf8'))).toHaveLength(1);
  });
});
