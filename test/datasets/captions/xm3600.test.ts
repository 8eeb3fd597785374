import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandNames, findDataset, shippedManifest } from '../../../src/prepare/manifest.js';
import { prepareAll } from '../../../src/prepare/prepare.js';
import { resolveDataset } from '../../../src/prepare/resolve.js';
import { openDataset } from '../../../src/datasets/registry.js';
import type { Sample, SkippedItem } from '../../../src/datasets/types.js';
import { buildTarGz, buildZip, loopbackManifest, startLoopbackServer, type LoopbackServer } from '../../prepare/fixtures.js';
import { cli } from '../../helpers/cli.js';
import { collectSamplesAndSkips } from '../../helpers/samples.js';

const KEYS = ['000411001ff7dd4f', '0004886b7d043cfd', '0035b9006c333719'];
// captions.jsonl as published: one image per line, its key, locale and a caption object per language.
const LINES = [
  { 'image/key': KEYS[0], 'image/locale': 'de', de: { caption: ['Zwei Hühner zwischen Steinen', 'Hühner im Garten'], 'caption/tokenized': ['x'] }, en: { caption: ['two chickens among rocks'] } },
  { 'image/key': KEYS[1], 'image/locale': 'ja', en: { caption: ['gold boxes on a mirrored table'] } },
  { 'image/key': KEYS[2], 'image/locale': 'en', de: { caption: ['eine rote Begonie'] }, en: { caption: ['a red begonia', 'a red flower'] } },
].map((l) => JSON.stringify(l)).join('\n');

async function all(spec: string): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
  return collectSamplesAndSkips(await openDataset(spec));
}

describe('Crossmodal-3600 (xm3600:captions.jsonl?lang=)', () => {
  let server: LoopbackServer;
  let dataDir: string;
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    const jpeg = async (r: number): Promise<Buffer> => sharp({ create: { width: 20, height: 14, channels: 3, background: { r, g: 120, b: 30 } } }).jpeg().toBuffer();
    files = {
      // images.tgz holds <key>.jpg at its top level; the third image is missing from it.
      '/xm3600/images/images.tgz': buildTarGz([{ name: `${KEYS[0]}.jpg`, data: await jpeg(20) }, { name: `${KEYS[1]}.jpg`, data: await jpeg(220) }]),
      '/xm3600/captions.zip': buildZip([{ name: 'captions.jsonl', data: `${LINES}\n`, deflate: true }]),
    };
    server = await startLoopbackServer(files);
    dataDir = mkdtempSync(join(tmpdir(), 'zs-xm3600-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('two entries: the images, and the captions that read them; prepare xm3600 fetches both', () => {
    const e = findDataset('xm3600');
    expect(e.requires).toEqual(['xm3600/images']);
    expect(e.spec).toBe('xm3600:{dir}/captions.jsonl?images={dir:xm3600/images}');
    expect(e.kind === 'download' && e.files[0].url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/google\/crossmodal-3600\/[0-9a-f]{40}\/web-data\/captions\.zip$/);
    const images = findDataset('xm3600/images');
    expect(images.kind === 'download' && images.files[0].url).toBe('https://open-images-dataset.s3.amazonaws.com/crossmodal-3600/images.tgz');
    expect(expandNames(['xm3600'])).toEqual(['xm3600/images', 'xm3600']);
  });

  it("prepares from a loopback server and reads the language's first caption per image; images without one, or missing, are left out and listed", async () => {
    const manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
    const outcomes = await prepareAll(['xm3600'], { dataDir, manifest, retry: { sleep: async () => undefined, baseDelayMs: 1 } });
    expect(outcomes.map((o) => [o.id, o.result])).toEqual([['xm3600/images', 'downloaded'], ['xm3600', 'downloaded']]);
    const r = resolveDataset('xm3600', dataDir, manifest);
    expect(r.prepared).toBe(true);
    const imagesDir = join(dataDir, 'xm3600', 'images');
    const de = await all(`${r.spec}&lang=de`);
    expect(de.samples.map((s) => [s.id, s.image, s.captions])).toEqual([[KEYS[0], { kind: 'path', path: join(imagesDir, `${KEYS[0]}.jpg`) }, ['Zwei Hühner zwischen Steinen']]]);
    expect(de.skipped.map((s) => s.id)).toEqual([KEYS[1], KEYS[2]]);
    expect(de.skipped[0].reason).toMatch(/no de caption/);
    expect(de.skipped[1].reason).toMatch(/image missing \(line 3 of captions\.jsonl\)/);
    const en = await all(`${r.spec}&lang=en&captions=all`);
    expect(en.samples.map((s) => s.captions)).toEqual([['two chickens among rocks'], ['gold boxes on a mirrored table']]);
    expect((await openDataset(r.spec)).name).toBe('xm3600-en');

    const out = join(dataDir, 'results');
    const run = await cli(['eval', '--task', 'zeroshot_retrieval', '--dataset', `${r.spec}&lang=en`, '--out', out, '--no-cache', '--no-progress']);
    expect(run.code, run.stderr).toBe(0);
    const [result] = await Promise.all((await readdir(out)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(out, f), 'utf8')) as { task: string; dataset: { name: string } }));
    expect([result.task, result.dataset.name]).toEqual(['zeroshot_retrieval', 'xm3600-en']);
  });

  it('refuses a line without image/key and a key leaving the image folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-xm3600-bad-'));
    try {
      const file = join(dir, 'captions.jsonl');
      writeFileSync(file, `${JSON.stringify({ en: { caption: ['x'] } })}\n`);
      await expect(openDataset(`xm3600:${file}`)).rejects.toThrow(/captions\.jsonl:1: no string "image\/key"/);
      writeFileSync(file, `${JSON.stringify({ 'image/key': '../../outside', en: { caption: ['x'] } })}\n`);
      await expect(openDataset(`xm3600:${file}`)).rejects.toMatchObject({ code: 'DATASET' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
