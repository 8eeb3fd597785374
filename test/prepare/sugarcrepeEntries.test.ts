import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandNames, findDataset, parseManifest, shippedManifest } from '../../src/prepare/manifest.js';
import { prepareAll } from '../../src/prepare/prepare.js';
import { resolveDataset } from '../../src/prepare/resolve.js';
import { openDataset } from '../../src/datasets/registry.js';
import { specTarget } from '../../src/eval/specTargets.js';
import { buildZip, loopbackManifest, startLoopbackServer, type LoopbackServer } from './fixtures.js';

const KINDS = ['add_att', 'add_obj', 'replace_att', 'replace_obj', 'replace_rel', 'swap_att', 'swap_obj'];
/** Instances per file, as the SugarCrepe paper's Table 1 gives them and the JSONs at the pinned commit hold. */
const COUNTS = [692, 2062, 788, 1652, 1406, 666, 245];

describe('SugarCrepe prepare entries', () => {
  it('declares the 7 files at a pinned commit with their sha256, each reading COCO val2017, and a suite of the 7', () => {
    const m = shippedManifest();
    expect(m.suites['sugar-crepe']).toEqual(KINDS.map((k) => `sugarcrepe/${k}`));
    KINDS.forEach((k, i) => {
      const e = findDataset(`sugarcrepe/${k}`);
      expect(e.kind).toBe('download');
      if (e.kind !== 'download') return;
      expect(e.requires).toEqual(['coco/val2017']);
      expect(e.spec).toBe(`sugarcrepe:{dir}/${k}.json?images={dir:coco/val2017}`);
      expect(e.title).toContain(COUNTS[i].toLocaleString('en-US'));
      expect(e.files).toHaveLength(1);
      expect(e.files[0].url).toMatch(new RegExp(`^https://raw\\.githubusercontent\\.com/RAIVNLab/sugar-crepe/[0-9a-f]{40}/data/${k}\\.json$`));
      expect(e.files[0].checksum?.algorithm).toBe('sha256');
    });
    const coco = findDataset('coco/val2017');
    expect(coco.kind === 'download' && coco.files.map((f) => [f.url, f.size, f.checksum?.value, f.archiveRoot])).toEqual([['http://images.cocodataset.org/zips/val2017.zip', 815585330, '442b8da7639aecaf257c1dceb8ba8c80', 'val2017']]);
    // COCO is downloaded once, before the first file that reads it.
    expect(expandNames(['sugar-crepe'])).toEqual(['coco/val2017', ...KINDS.map((k) => `sugarcrepe/${k}`)]);
  });

  it('refuses a manifest whose requires or {dir:ID} names an unknown or unlisted entry', () => {
    const base = structuredClone(shippedManifest()) as unknown as { datasets: Record<string, unknown>[] };
    const at = base.datasets.findIndex((d) => d.id === 'sugarcrepe/swap_obj');
    const unknown = structuredClone(base);
    unknown.datasets[at].requires = ['coco/val2018'];
    expect(() => parseManifest(unknown, 'x.json')).toThrow(/dataset 'sugarcrepe\/swap_obj' requires unknown dataset 'coco\/val2018'/);
    const unlisted = structuredClone(base);
    delete unlisted.datasets[at].requires;
    expect(() => parseManifest(unlisted, 'x.json')).toThrow(/spec names \{dir:coco\/val2017\} but requires does not list 'coco\/val2017'/);
  });
});

describe('preparing a SugarCrepe file (loopback server, the published layouts)', () => {
  let server: LoopbackServer;
  let dataDir: string;
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    const jpeg = async (r: number): Promise<Buffer> => sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 90, b: 60 } } }).jpeg().toBuffer();
    // val2017.zip unpacks to val2017/<12-digit id>.jpg; the annotation names its images by file name.
    const zip = buildZip([
      { name: 'val2017/000000000139.jpg', data: await jpeg(10) },
      { name: 'val2017/000000222235.jpg', data: await jpeg(200), deflate: true },
    ]);
    const annotation = JSON.stringify({ 0: { filename: '000000222235.jpg', caption: 'A cat sits on its hind legs.', negative_caption: 'A cat sits on the plant.' }, 7: { filename: '000000000139.jpg', caption: 'a room', negative_caption: 'a field' } }, null, 4);
    files = { '/coco/val2017/val2017.zip': zip, '/sugarcrepe/swap_obj/swap_obj.json': Buffer.from(annotation) };
    server = await startLoopbackServer(files);
    dataDir = mkdtempSync(join(tmpdir(), 'zs-sugarcrepe-prepare-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prepares COCO first, resolves the spec to both layouts, and the adapter reads the images from COCO', async () => {
    const manifest = loopbackManifest(shippedManifest(), server.baseUrl, files);
    const before = resolveDataset('sugarcrepe/swap_obj', dataDir, manifest);
    expect(before.prepared).toBe(false);
    expect(before.missingMessage).toMatch(/needs 'coco\/val2017'.*run: zeroshift prepare sugarcrepe\/swap_obj .*\(it prepares coco\/val2017 too\)/);

    const outcomes = await prepareAll(['sugarcrepe/swap_obj'], { dataDir, manifest, retry: { sleep: async () => undefined, baseDelayMs: 1 } });
    expect(outcomes.map((o) => [o.id, o.result])).toEqual([['coco/val2017', 'downloaded'], ['sugarcrepe/swap_obj', 'downloaded']]);
    expect(existsSync(join(dataDir, 'coco', 'val2017', '000000222235.jpg'))).toBe(true);

    const r = resolveDataset('sugarcrepe/swap_obj', dataDir, manifest);
    expect(r.prepared).toBe(true);
    expect(r.spec).toBe(`sugarcrepe:${join(dataDir, 'sugar_crepe', 'swap_obj')}/swap_obj.json?images=${join(dataDir, 'coco', 'val2017')}`);
    const d = await openDataset(r.spec);
    const samples = [];
    for await (const s of d.samples()) samples.push(s);
    expect(samples.map((s) => [s.id, s.image, s.instance?.captions])).toEqual([
      ['0', { kind: 'path', path: join(dataDir, 'coco', 'val2017', '000000222235.jpg') }, ['A cat sits on its hind legs.', 'A cat sits on the plant.']],
      ['7', { kind: 'path', path: join(dataDir, 'coco', 'val2017', '000000000139.jpg') }, ['a room', 'a field']],
    ]);
  });

  it('eval names a prepare entry: missing data says how to prepare it; COCO alone is not a dataset', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'zs-sugarcrepe-empty-'));
    try {
      await expect(specTarget('sugarcrepe/add_att', { dataDir: empty, where: '--dataset' })).rejects.toThrow(/--dataset: dataset 'sugarcrepe\/add_att' is not prepared .*run: zeroshift prepare sugarcrepe\/add_att/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    await expect(specTarget('coco/val2017', { dataDir, where: '--dataset' })).rejects.toThrow(/'coco\/val2017' holds data that sugarcrepe\/add_att, .* read, not a dataset to evaluate/);
  });
});
