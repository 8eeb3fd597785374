import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, mkdir, writeFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../src/image/decode.js';
import { wdsAdapter } from '../../src/datasets/wds.js';
import { csvAdapter } from '../../src/datasets/csv.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import { isZeroshiftError } from '../../src/errors.js';
import type { Dataset, Sample, SkippedItem } from '../../src/datasets/types.js';
import { makeTar } from '../datasets/helpers/tarWriter.js';

const SETTINGS = { seed: 42, numRuns: 100 };
/** A single input that takes longer than this counts as a hang. */
const HANG_MS = 5000;

async function withinTime<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Flips, overwrites or cuts bytes of `base` at positions drawn by fast-check. */
const mutated = (base: Uint8Array) =>
  fc.record({
    edits: fc.array(fc.tuple(fc.nat({ max: Math.max(0, base.length - 1) }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    cut: fc.option(fc.nat({ max: base.length }), { nil: undefined }),
  }).map(({ edits, cut }) => {
    const out = Buffer.from(base);
    for (const [at, value] of edits) out[at] = value;
    return cut === undefined ? out : out.subarray(0, cut);
  });

describe('fuzz: image bytes', () => {
  let seeds: Uint8Array[] = [];
  beforeAll(async () => {
    const base = sharp({ create: { width: 12, height: 9, channels: 3, background: '#3070a0' } });
    seeds = [await base.clone().png().toBuffer(), await base.clone().jpeg().toBuffer(), await base.clone().gif().toBuffer(), await base.clone().webp().toBuffer(), await base.clone().tiff().toBuffer()];
  });

  it('decodes to consistent RGB or fails with an IMAGE error naming the input, never otherwise', async () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 4 }).chain((i) => mutated(seeds[i])));
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        try {
          const img = await withinTime(decodeImage({ kind: 'bytes', bytes: b, name: 'fuzz.img' }), 'decode');
          expect(img.data.length).toBe(img.width * img.height * 3);
        } catch (e) {
          if (!isZeroshiftError(e) || e.code !== 'IMAGE') throw e;
          expect(e.message).toContain('fuzz.img');
        }
      }),
      SETTINGS,
    );
  }, 60_000);
});

describe('fuzz: WebDataset shards', () => {
  const png = Buffer.from('\x89PNG-not-decoded-here');
  const keys = ['a000', 'a001', 'a002', 'a003', 'a004'];

  async function readAll(ds: Dataset): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
    const samples: Sample[] = [];
    const skipped: SkippedItem[] = [];
    for await (const s of ds.samples({ onSkip: (i) => skipped.push(i) })) samples.push(s);
    return { samples, skipped };
  }

  async function wdsDir(root: string, tar: Uint8Array): Promise<string> {
    await mkdir(join(root, 'test'), { recursive: true });
    await writeFile(join(root, 'classnames.txt'), 'cat\ndog\n');
    await writeFile(join(root, 'test', 'nshards.txt'), '1\n');
    await writeFile(join(root, 'test', '0.tar'), tar);
    return root;
  }

  it('accounts for every sample of an archive with hostile names: yielded or skipped, nothing written', async () => {
    const base = await mkdtemp(join(tmpdir(), 'zs-fuzz-wds-'));
    const tag = `zs-fuzz-escape-${process.pid}`;
    // Entry names that would write outside the dataset if they were ever used as paths.
    const hostile = fc.constantFrom(`../${tag}`, `../../${tag}`, `/tmp/${tag}`, 'ok', 'dir/ok');
    const plan = fc.array(fc.record({ prefix: hostile, cls: fc.boolean() }), { minLength: keys.length, maxLength: keys.length });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(plan, async (entries) => {
        const tar = makeTar(entries.flatMap((e, i) => [
          { name: `${e.prefix}/${keys[i]}.png`, data: png },
          ...(e.cls ? [{ name: `${e.prefix}/${keys[i]}.cls`, data: String(i % 2) }] : []),
        ]));
        const dir = await wdsDir(join(base, String(run++)), tar);
        const { samples, skipped } = await withinTime(readAll(await wdsAdapter.open(parseDatasetSpec(`wds:${dir}`))), 'wds read');
        expect(samples.length + skipped.length).toBe(keys.length);
        expect(samples.length).toBe(entries.filter((e) => e.cls).length);
        expect(await readdir(dir)).toEqual(['classnames.txt', 'test']);
        expect(existsSync(join(base, tag)) || existsSync(join(tmpdir(), tag)) || existsSync(join('/tmp', tag))).toBe(false);
      }),
      { ...SETTINGS, numRuns: 40 },
    );
    await rm(base, { recursive: true, force: true });
  }, 60_000);

  it('reads damaged shards to a clean end: every loss is reported as a skip naming the shard, nothing throws', async () => {
    const base = await mkdtemp(join(tmpdir(), 'zs-fuzz-wds-'));
    const good = makeTar(keys.flatMap((k, i) => [{ name: `${k}.png`, data: png }, { name: `${k}.cls`, data: String(i % 2) }]));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutated(good), async (tar) => {
        const dir = await wdsDir(join(base, String(run++)), tar);
        const { samples, skipped } = await withinTime(readAll(await wdsAdapter.open(parseDatasetSpec(`wds:${dir}`))), 'wds read');
        expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
        expect(samples.length).toBeLessThanOrEqual(keys.length);
        for (const s of skipped) expect(s.reason).toContain('0.tar');
        // Fewer samples than written means something was lost, and a loss must be listed.
        if (samples.length < keys.length) expect(skipped.length, `${samples.length} samples from ${tar.length} bytes`).toBeGreaterThan(0);
      }),
      SETTINGS,
    );
    await rm(base, { recursive: true, force: true });
  }, 60_000);
});

describe('WebDataset shards cut at block boundaries', () => {
  it('lists a loss for every cut that drops samples, including an empty shard', async () => {
    const base = await mkdtemp(join(tmpdir(), 'zs-cut-wds-'));
    const png = Buffer.from('\x89PNG-not-decoded-here');
    const good = makeTar(['a', 'b', 'c'].flatMap((k, i) => [{ name: `${k}.png`, data: png }, { name: `${k}.cls`, data: String(i % 2) }]));
    // Cuts at 512-byte boundaries look like a clean end of entries to a lenient tar reader.
    for (let cut = 0; cut <= 6 * 1024; cut += 512) {
      const dir = join(base, String(cut));
      await mkdir(join(dir, 'test'), { recursive: true });
      await writeFile(join(dir, 'classnames.txt'), 'cat\ndog\n');
      await writeFile(join(dir, 'test', 'nshards.txt'), '1\n');
      await writeFile(join(dir, 'test', '0.tar'), good.subarray(0, cut));
      const samples: Sample[] = [];
      const skipped: SkippedItem[] = [];
      for await (const s of (await wdsAdapter.open(parseDatasetSpec(`wds:${dir}`))).samples({ onSkip: (i) => skipped.push(i) })) samples.push(s);
      if (samples.length < 3) expect(skipped.length, `cut at ${cut}: ${samples.length} samples`).toBeGreaterThan(0);
    }
    await rm(base, { recursive: true, force: true });
  });
});

describe('fuzz: CSV manifests', () => {
  it('parses any text into samples or a DATASET error naming the manifest and line', async () => {
    const base = await mkdtemp(join(tmpdir(), 'zs-fuzz-csv-'));
    const cell = fc.oneof(fc.constantFrom('path', 'label', 'a.png', 'b.jpg', 'cat', '0', '1', '"x,y"', '"', '', ' ', '\uFEFF', '\u00e9', '\r'), fc.string({ maxLength: 6 }));
    const line = fc.array(cell, { maxLength: 4 }).map((cells) => cells.join(','));
    const text = fc.tuple(fc.boolean(), fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n')).map(([header, lines, eol]) => (header ? ['path,label', ...lines] : lines).join(eol));
    const raw = fc.oneof(text.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(raw, async (bytes) => {
        const file = join(base, `m${run++}.csv`);
        await writeFile(file, bytes);
        try {
          const ds = await withinTime(csvAdapter.open(parseDatasetSpec(`csv:${file}`)), 'csv open');
          let n = 0;
          for await (const s of ds.samples()) {
            expect(s.label).toBeGreaterThanOrEqual(0);
            expect(s.label).toBeLessThan(ds.classNames.length);
            n++;
          }
          expect(n).toBe(ds.size);
        } catch (e) {
          if (!isZeroshiftError(e) || e.code !== 'DATASET') throw e;
          expect(e.message).toContain(file);
        }
      }),
      SETTINGS,
    );
    await rm(base, { recursive: true, force: true });
  }, 60_000);
});
