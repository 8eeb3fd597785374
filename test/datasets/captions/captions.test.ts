import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../../src/datasets/registry.js';
import { makeTar } from '../helpers/tarWriter.js';
import { collectSamplesAndSkips } from '../../helpers/samples.js';

const root = mkdtempSync(join(tmpdir(), 'zs-captions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const img = (tag: string): Uint8Array => Buffer.from(`\x89PNG-fake-${tag}`);

describe('retrieval WebDataset (CLIP_benchmark dataset_type.txt = retrieval)', () => {
  const dir = join(root, 'wds_flickr');
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'dataset_type.txt'), 'retrieval\n');
  writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
  writeFileSync(join(dir, 'test', '0.tar'), makeTar([
    { name: 'a.jpg', data: img('a') }, { name: 'a.txt', data: 'a dog runs\na brown dog\n' }, { name: 'a.json', data: '{"region": "Europe"}' },
    { name: 'b.webp', data: img('b') }, { name: 'b.txt', data: 'first\n\n  \nsecond' },
    { name: 'c.jpg', data: img('c') },
    { name: 'd.jpg', data: img('d') }, { name: 'd.txt', data: Buffer.from([0x61, 0xff, 0xfe, 0x0a]) },
    { name: 'e.jpg', data: img('e') }, { name: 'e.txt', data: 'fine' }, { name: 'e.json', data: '{not json' },
    { name: 'f.jpg', data: img('f') }, { name: 'f.txt', data: '\n\n' },
  ]));

  it('opens as captioned with no classes and reads captions one per line, metadata from .json', async () => {
    const ds = await openDataset(`wds:${dir}`);
    expect(ds.captioned).toBe(true);
    expect(ds.classNames).toEqual([]);
    const { samples } = await collectSamplesAndSkips(ds);
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:a', 'test/0.tar:b']);
    expect(samples[0].captions).toEqual(['a dog runs', 'a brown dog']);
    expect(samples[0].metadata).toMatchObject({ region: 'Europe' });
    expect(samples[0].label).toBe(-1);
  });

  it('lists empty caption lines, a missing caption file, non-UTF-8 captions, non-JSON metadata and all-empty captions', async () => {
    const { samples, skipped } = await collectSamplesAndSkips(await openDataset(`wds:${dir}`));
    expect(samples[1].captions).toEqual(['first', 'second']);
    const byId = new Map(skipped.map((s) => [s.id, s.reason]));
    expect(byId.get('test/0.tar:b#caption-line-2')).toMatch(/empty caption line 2/);
    expect(byId.get('test/0.tar:b#caption-line-3')).toMatch(/empty caption line 3/);
    expect(byId.get('test/0.tar:c')).toMatch(/without a \.txt caption/);
    expect(byId.get('test/0.tar:d')).toMatch(/not valid UTF-8/);
    expect(byId.get('test/0.tar:e')).toMatch(/e\.json is not JSON/);
    expect(byId.get('test/0.tar:f')).toMatch(/no caption in/);
  });
});

describe('classification WebDataset metadata (.json)', () => {
  it('merges KEY.json into metadata and skips an item whose .json is not JSON', async () => {
    const dir = join(root, 'wds_geo');
    mkdirSync(join(dir, 'test'), { recursive: true });
    writeFileSync(join(dir, 'classnames.txt'), 'cat\ndog\n');
    writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
    writeFileSync(join(dir, 'test', '0.tar'), makeTar([
      { name: 'a.jpg', data: img('a') }, { name: 'a.cls', data: '1' }, { name: 'a.json', data: '{"region": "Asia", "income": 3}' },
      { name: 'b.jpg', data: img('b') }, { name: 'b.cls', data: '0' }, { name: 'b.json', data: '[1, 2]' },
      { name: 'c.jpg', data: img('c') }, { name: 'c.cls', data: '0' },
    ]));
    const { samples, skipped } = await collectSamplesAndSkips(await openDataset(`wds:${dir}`));
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:a', 'test/0.tar:c']);
    expect(samples[0].metadata).toMatchObject({ region: 'Asia', income: 3 });
    expect(skipped).toEqual([{ id: 'test/0.tar:b', reason: expect.stringMatching(/b\.json is not a JSON object/) }]);
  });
});

describe('csv-captions', () => {
  it('groups rows by image in first-appearance order, keeps other columns as metadata, lists empty captions', async () => {
    const p = join(root, 'caps.csv');
    writeFileSync(p, 'image,caption,region\nx.jpg,a cat,Africa\ny.jpg,a dog,Asia\nx.jpg,the cat,Africa\ny.jpg,,Asia\nz.jpg,  ,Asia\n');
    const ds = await openDataset(`csv-captions:${p}`);
    expect(ds.captioned).toBe(true);
    const { samples, skipped } = await collectSamplesAndSkips(ds);
    expect(samples.map((s) => [s.id, s.captions])).toEqual([['x.jpg', ['a cat', 'the cat']], ['y.jpg', ['a dog']]]);
    expect(samples[0].metadata).toMatchObject({ region: 'Africa' });
    expect(skipped.map((s) => s.id)).toEqual(['y.jpg#line-5', 'z.jpg#line-6', 'z.jpg']);
  });

  it('refuses a file that is not UTF-8 and names a missing column with the choices', async () => {
    const bad = join(root, 'latin1.csv');
    writeFileSync(bad, Buffer.concat([Buffer.from('image,caption\nx.jpg,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await expect(openDataset(`csv-captions:${bad}`)).rejects.toThrow(/not valid UTF-8/);
    const p = join(root, 'cols.csv');
    writeFileSync(p, 'file,text\nx.jpg,a\n');
    await expect(openDataset(`csv-captions:${p}`)).rejects.toThrow(/no image column 'image' or 'filepath' or 'path'; columns: file, text/);
    const ok = await openDataset(`csv-captions:${p}?image-column=file`);
    expect((await collectSamplesAndSkips(ok)).samples[0].captions).toEqual(['a']);
  });
});

describe('coco captions', () => {
  const base = join(root, 'coco');
  mkdirSync(join(base, 'annotations'), { recursive: true });
  mkdirSync(join(base, 'val2014'), { recursive: true });
  const ann = join(base, 'annotations', 'captions_val2014.json');
  writeFileSync(ann, JSON.stringify({
    images: [{ id: 7, file_name: 'a.jpg' }, { id: 3, file_name: 'b.jpg' }, { id: 9, file_name: 'c.jpg' }],
    annotations: [{ image_id: 3, caption: 'b one' }, { image_id: 7, caption: 'a one ' }, { image_id: 3, caption: 'b two' }, { image_id: 7, caption: '' }],
  }));

  it('orders images as the file lists them, finds ../val2014, skips and lists images without captions', async () => {
    const ds = await openDataset(`coco:${ann}`);
    expect(ds.spec).toContain(`images=${join(base, 'val2014')}`);
    const { samples, skipped } = await collectSamplesAndSkips(ds);
    expect(samples.map((s) => [s.id, s.captions])).toEqual([['a.jpg', ['a one']], ['b.jpg', ['b one', 'b two']]]);
    expect(samples[0].image).toEqual({ kind: 'path', path: join(base, 'val2014', 'a.jpg') });
    expect(skipped.map((s) => s.id)).toEqual(['7#annotation-3', 'c.jpg']);
  });

  it('names the expected structure when the JSON is not COCO, and says what to add without an image folder', async () => {
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{"images": []}');
    await expect(openDataset(`coco:${bad}?images=${root}`)).rejects.toThrow(/no "images" and "annotations" lists; expected COCO captions JSON/);
    writeFileSync(bad, '{oops');
    await expect(openDataset(`coco:${bad}?images=${root}`)).rejects.toThrow(/not JSON/);
    const lone = join(root, 'captions_x.json');
    writeFileSync(lone, '{"images": [], "annotations": []}');
    await expect(openDataset(`coco:${lone}`)).rejects.toThrow(/no image folder given/);
  });
});

describe('shapes-captions (the demo world, captioned)', () => {
  it('has the same images as shapes: with three captions naming colour, shape and size', async () => {
    const ds = await openDataset('shapes-captions:standard?n=3');
    expect(ds.captioned).toBe(true);
    const plain = await collectSamplesAndSkips(await openDataset('shapes:standard?n=3'));
    const { samples } = await collectSamplesAndSkips(ds);
    expect(samples.map((s) => s.id)).toEqual(plain.samples.map((s) => s.id));
    samples.forEach((s, i) => {
      const m = plain.samples[i].metadata as { color: string; shape: string; size: string };
      expect(s.captions).toEqual([`a photo of a ${m.color} ${m.shape}.`, `a ${m.size} ${m.color} ${m.shape}.`, `a picture of a ${m.color} ${m.shape}.`]);
      expect(s.label).toBe(-1);
    });
  });
});
