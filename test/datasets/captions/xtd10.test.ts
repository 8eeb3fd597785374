import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDataset, shippedManifest } from '../../../src/prepare/manifest.js';
import { prepareAll } from '../../../src/prepare/prepare.js';
import { resolveDataset } from '../../../src/prepare/resolve.js';
import { openDataset } from '../../../src/datasets/registry.js';
import type { Sample, SkippedItem } from '../../../src/datasets/types.js';
import { buildTarGz, loopbackManifest, startLoopbackServer, type LoopbackServer } from '../../prepare/fixtures.js';
import { cli } from '../../helpers/cli.js';
import { collectSamplesAndSkips } from '../../helpers/samples.js';

const NAMES = ['COCO_train2014_000000061844.jpg', 'COCO_train2014_000000061849.jpg', 'COCO_train2014_000000061850.jpg'];
// The repository's layout: one file name per line; line i of each caption file describes image i (no final newline in zh).
const CAPTIONS: Record<string, string> = {
  en: 'major league baseball game\ncat with its paws on a computer mouse\na red bus on a street\n',
  de: 'ein Baseballspiel\neine Katze mit der Pfote auf einer Maus\nein roter Bus auf der Straße\n',
  zh: '大联盟棒球比赛\n猫把爪子放在电脑鼠标上\n街上的红色公共汽车',
};

async function all(spec: string): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
  return collectSamplesAndSkips(await openDataset(spec));
}

describe('XTD10 (xtd10:DIR?lang=)', () => {
  let server: LoopbackServer;
  let dataDir: string;
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    const jpeg = async (r: number): Promise<Buffer> => sharp({ create: { width: 24, height: 16, channels: 3, background: { r, g: 80, b: 40 } } }).jpeg().toBuffer();
    // images.tar.gz unpacks to images/<name>, as CLIP_benchmark's loader expects (DIR/images).
    files = {
      '/xtd10/images.tar.gz': buildTarGz([{ name: 'images/', type: 'dir' }, ...await Promise.all(NAMES.map(async (name, i) => ({ name: `images/${name}`, data: await jpeg(60 * i) })))]),
      '/xtd10/test_image_names.txt': Buffer.from(`${NAMES.join('\n')}\n`),
    };
    for (const lang of ['de', 'en', 'es', 'fr', 'it', 'jp', 'ko', 'pl', 'ru', 'tr', 'zh']) files[`/xtd10/test_1kcaptions_${lang}.txt`] = Buffer.from(CAPTIONS[lang] ?? CAPTIONS.en);
    server = await startLoopbackServer(files);
    dataDir = mkdtempSync(join(tmpdir(), 'zs-xtd10-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the prepare entry pins the caption files to a commit with their sha256; the images come from the mirror CLIP_benchmark uses', () => {
    const e = findDataset('xtd10');
    expect(e.kind).toBe('download');
    if (e.kind !== 'download') return;
    expect(e.spec).toBe('xtd10:{dir}');
    expect(e.files).toHaveLength(13);
    expect(e.files[0]).toMatchObject({ url: 'https://nllb-data.com/test/xtd10/images.tar.gz', checksum: null, format: 'tar.gz', archiveRoot: '' });
    for (const f of e.files.slice(1)) {
      expect(f.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/adobe-research\/Cross-lingual-Test-Dataset-XTD10\/[0-9a-f]{40}\/(XTD10|MIC|STAIR)\/test_/);
      expect(f.checksum?.algorithm).toBe('sha256');
    }
    expect(e.files.find((f) => f.fileName === 'test_1kcaptions_jp.txt')?.url).toContain('/STAIR/');
  });

  it('prepares from a loopback server and reads each language into captioned samples, line i with image i', async () => {
    const manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
    const outcomes = await prepareAll(['xtd10'], { dataDir, manifest, retry: { sleep: async () => undefined, baseDelayMs: 1 } });
    expect(outcomes.map((o) => [o.id, o.result])).toEqual([['xtd10', 'downloaded']]);
    const r = resolveDataset('xtd10', dataDir, manifest);
    expect(r.prepared).toBe(true);
    const dir = join(dataDir, 'xtd10');
    const de = await all(`${r.spec}?lang=de`);
    expect(de.samples.map((s) => [s.id, s.image, s.captions])).toEqual(NAMES.map((n, i) => [n, { kind: 'path', path: join(dir, 'images', n) }, [CAPTIONS.de.split('\n')[i]]]));
    const zh = await all(`xtd10:${dir}?lang=zh`);
    expect(zh.samples.map((s) => s.captions?.[0])).toEqual(CAPTIONS.zh.split('\n'));
    expect((await openDataset(`xtd10:${dir}`)).name).toBe('xtd10-en');
  });

  it('zero-shot retrieval runs on it (--task zeroshot_retrieval), one result per language', async () => {
    const dir = join(dataDir, 'xtd10');
    const out = join(dataDir, 'results');
    const r = await cli(['eval', '--task', 'zeroshot_retrieval', '--dataset', `xtd10:${dir}?lang=zh`, '--dataset', `xtd10:${dir}?lang=de`, '--out', out, '--no-cache', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const results = await Promise.all((await readdir(out)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(out, f), 'utf8')) as { task: string; dataset: { name: string } }));
    expect(results.map((x) => [x.task, x.dataset.name]).sort()).toEqual([['zeroshot_retrieval', 'xtd10-de'], ['zeroshot_retrieval', 'xtd10-zh']]);
  });

  it('a missing image is left out and listed; captions and names of different lengths, or a name leaving the folder, are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-xtd10-bad-'));
    try {
      mkdirSync(join(dir, 'images'));
      writeFileSync(join(dir, 'images', NAMES[0]), await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).jpeg().toBuffer());
      writeFileSync(join(dir, 'test_image_names.txt'), `${NAMES.slice(0, 2).join('\n')}\n`);
      writeFileSync(join(dir, 'test_1kcaptions_en.txt'), 'one\ntwo\n');
      const got = await all(`xtd10:${dir}`);
      expect(got.samples.map((s) => s.id)).toEqual([NAMES[0]]);
      expect(got.skipped[0].reason).toMatch(/image missing \(line 2 of test_image_names\.txt\)/);
      writeFileSync(join(dir, 'test_1kcaptions_en.txt'), 'one\n');
      await expect(openDataset(`xtd10:${dir}`)).rejects.toThrow(/1 captions but .*test_image_names\.txt names 2 images/);
      writeFileSync(join(dir, 'test_1kcaptions_en.txt'), 'one\ntwo\n');
      writeFileSync(join(dir, 'test_image_names.txt'), `${NAMES[0]}\n../../etc/passwd\n`);
      await expect(openDataset(`xtd10:${dir}`)).rejects.toMatchObject({ code: 'DATASET' });
      await expect(openDataset(`xtd10:${dir}?lang=xx`)).rejects.toThrow(/lang/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
