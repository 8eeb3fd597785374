import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitEntryName, wdsAdapter } from '../../src/datasets/wds.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, Sample, SkippedItem } from '../../src/datasets/types.js';
import { makeTar } from './helpers/tarWriter.js';

const root = mkdtempSync(join(tmpdir(), 'zs-wds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const img = (tag: string): Uint8Array => Buffer.from(`\x89PNG-fake-${tag}`);

function makeWds(name: string, shards: { name: string; data: Uint8Array | string }[][], opts: { nshards?: string; templates?: boolean } = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'classnames.txt'), 'cat\ndog\nbird\n');
  if (opts.templates) writeFileSync(join(dir, 'zeroshot_classification_templates.txt'), 'a photo of a {c}.\na drawing of a {c}.\n');
  writeFileSync(join(dir, 'test', 'nshards.txt'), opts.nshards ?? `${shards.length}\n`);
  shards.forEach((entries, i) => writeFileSync(join(dir, 'test', `${i}.tar`), makeTar(entries)));
  return dir;
}

async function readAll(ds: Dataset): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
  const samples: Sample[] = [];
  const skipped: SkippedItem[] = [];
  for await (const s of ds.samples({ onSkip: (i) => skipped.push(i) })) samples.push(s);
  return { samples, skipped };
}

const open = (dir: string, query = ''): Promise<Dataset> => wdsAdapter.open(parseDatasetSpec(`wds:${dir}${query}`));

describe('splitEntryName (webdataset key rule)', () => {
  it('splits at the first dot of the basename and keeps directories in the key', () => {
    expect(splitEntryName('s0000001.cls')).toEqual({ key: 's0000001', ext: 'cls' });
    expect(splitEntryName('a.b/s01.seg.PNG')).toEqual({ key: 'a.b/s01', ext: 'seg.png' });
    expect(splitEntryName('noext')).toBeNull();
  });
});

describe('wds adapter', () => {
  it('reads samples across shards with labels, templates and the first image extension', async () => {
    const dir = makeWds('ok', [
      [
        { name: 's0.webp', data: img('0w') },
        { name: 's0.jpg', data: img('0j') },
        { name: 's0.cls', data: '2' },
        { name: 's1.cls', data: '0\n' },
        { name: 's1.png', data: img('1') },
      ],
      [{ name: 's2.jpeg', data: img('2') }, { name: 's2.cls', data: ' 1 ' }],
    ], { templates: true });
    const ds = await open(dir);
    expect(ds.classNames).toEqual(['cat', 'dog', 'bird']);
    expect(ds.templates).toEqual(['a photo of a {c}.', 'a drawing of a {c}.']);
    expect(ds.spec).toBe(`wds:${dir}?split=test`);
    const { samples, skipped } = await readAll(ds);
    expect(skipped).toEqual([]);
    expect(samples.map((s) => [s.id, s.label])).toEqual([['test/0.tar:s0', 2], ['test/0.tar:s1', 0], ['test/1.tar:s2', 1]]);
    const first = samples[0].image;
    expect(first.kind === 'bytes' && Buffer.from(first.bytes).toString()).toBe(Buffer.from(img('0w')).toString());
    const again = await readAll(ds);
    expect(again.samples.map((s) => s.id)).toEqual(samples.map((s) => s.id));
  });

  it('skips an image without .cls and a duplicate key, naming the tar', async () => {
    const dir = makeWds('skips', [[
      { name: 'a.png', data: img('a') },
      { name: 'b.png', data: img('b') },
      { name: 'b.cls', data: '1' },
      { name: 'c.png', data: img('c') },
      { name: 'c.cls', data: '0' },
      { name: 'b.png', data: img('b2') },
      { name: 'b.cls', data: '2' },
    ]]);
    const { samples, skipped } = await readAll(await open(dir));
    expect(samples.map((s) => [s.id, s.label])).toEqual([['test/0.tar:b', 1], ['test/0.tar:c', 0]]);
    expect(skipped.map((s) => s.id)).toEqual(['test/0.tar:a', 'test/0.tar:b']);
    expect(skipped[0].reason).toMatch(/without a \.cls.*0\.tar/);
    expect(skipped[1].reason).toMatch(/duplicate key/);
  });

  it('skips the rest of a truncated shard and keeps going', async () => {
    const dir = makeWds('trunc', [
      [{ name: 'x.png', data: img('x') }, { name: 'x.cls', data: '0' }, { name: 'y.png', data: new Uint8Array(3000) }, { name: 'y.cls', data: '1' }],
      [{ name: 'z.png', data: img('z') }, { name: 'z.cls', data: '2' }],
    ]);
    const full = makeTar([{ name: 'x.png', data: img('x') }, { name: 'x.cls', data: '0' }, { name: 'y.png', data: new Uint8Array(3000) }]);
    writeFileSync(join(dir, 'test', '0.tar'), full.subarray(0, 512 * 4 + 1000)); // cut inside y.png's data
    const { samples, skipped } = await readAll(await open(dir));
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:x', 'test/1.tar:z']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].reason).toMatch(/damaged tar .*0\.tar.*[Tt]runcated.*rest of this shard/);
  });

  it('reports a cut inside a header block as truncated', async () => {
    const dir = makeWds('trunc-header', [[{ name: 'x.png', data: img('x') }, { name: 'x.cls', data: '0' }, { name: 'y.png', data: img('y') }]]);
    const full = makeTar([{ name: 'x.png', data: img('x') }, { name: 'x.cls', data: '0' }, { name: 'y.png', data: img('y') }]);
    writeFileSync(join(dir, 'test', '0.tar'), full.subarray(0, 512 * 4 + 100));
    const { samples, skipped } = await readAll(await open(dir));
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:x']);
    expect(skipped[0].reason).toMatch(/truncated/);
  });

  it('never turns entry names into paths', async () => {
    const dir = makeWds('evil', [[{ name: '../../evil.png', data: img('e') }, { name: '../../evil.cls', data: '1' }, { name: '/abs.png', data: img('a') }, { name: '/abs.cls', data: '0' }]]);
    const before = readdirSync(root).sort();
    const { samples } = await readAll(await open(dir));
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:../../evil', 'test/0.tar:/abs']);
    expect(readdirSync(root).sort()).toEqual(before);
    expect(readdirSync(join(dir, 'test')).sort()).toEqual(['0.tar', 'nshards.txt']);
  });

  it('throws when a .cls is outside the class list, naming the tar and entry', async () => {
    const dir = makeWds('badcls', [[{ name: 'k.png', data: img('k') }, { name: 'k.cls', data: '3' }]]);
    await expect(readAll(await open(dir))).rejects.toThrow(/0\.tar: entry 'k\.cls' holds class '3', not an index in 0\.\.2/);
  });

  it('throws when nshards.txt disagrees with the tars present', async () => {
    const dir = makeWds('nshards', [[{ name: 'k.png', data: img('k') }, { name: 'k.cls', data: '0' }]], { nshards: '2\n' });
    await expect(open(dir)).rejects.toThrow(/nshards\.txt:1 says 2 shards .* missing 1\.tar/);
  });

  it('names the missing split and the known ones, and rejects unknown options', async () => {
    const dir = makeWds('splits', [[{ name: 'k.png', data: img('k') }, { name: 'k.cls', data: '0' }]]);
    await expect(open(dir, '?split=train')).rejects.toThrow(/split 'train' not found.*splits present: test/);
    await expect(open(dir, '?spilt=test')).rejects.toThrow(/no option 'spilt'; valid options: max-member-size, metadata-fields, split/);
  });

  it('without classnames.txt or dataset_type.txt, says what each layout needs (captions for retrieval)', async () => {
    const dir = makeWds('captions-untyped', [[{ name: 'k.png', data: img('k') }, { name: 'k.txt', data: 'a red circle' }]]);
    rmSync(join(dir, 'classnames.txt'));
    await expect(open(dir)).rejects.toMatchObject({
      message: expect.stringMatching(/has neither classnames\.txt \(a classification WebDataset: KEY\.cls labels\) nor dataset_type\.txt = retrieval \(a retrieval WebDataset: KEY\.txt captions/),
      hint: expect.stringContaining(`echo retrieval > ${join(dir, 'dataset_type.txt')}`),
    });
    // Doing what the hint says opens it as a captioned dataset.
    writeFileSync(join(dir, 'dataset_type.txt'), 'retrieval\n');
    expect((await open(dir)).captioned).toBe(true);
  });
});
