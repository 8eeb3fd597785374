import { closeSync, mkdtempSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { wdsAdapter } from '../../src/datasets/wds.js';
import { readTarEntries, type TarFile } from '../../src/datasets/tarEntries.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Sample, SkippedItem } from '../../src/datasets/types.js';
import { makeTar, tarHeader } from './helpers/tarWriter.js';

const root = mkdtempSync(join(tmpdir(), 'zs-wds-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function layout(name: string, shard: Uint8Array | ((path: string) => void)): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'classnames.txt'), 'cat\ndog\n');
  writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
  const tar = join(dir, 'test', '0.tar');
  if (typeof shard === 'function') shard(tar);
  else writeFileSync(tar, shard);
  return dir;
}

async function read(spec: string): Promise<{ samples: Sample[]; skipped: SkippedItem[] }> {
  const ds = await wdsAdapter.open(parseDatasetSpec(spec));
  const samples: Sample[] = [];
  const skipped: SkippedItem[] = [];
  for await (const s of ds.samples({ onSkip: (i) => skipped.push(i) })) samples.push(s);
  return { samples, skipped };
}

/**
 * A shard whose sample `a` carries a `big`-byte member written as a hole (sparse: it costs no
 * disk), between small ones: a.cls, a.<bigExt> (huge), a.png, then sample b.
 */
function sparseShard(bigExt: string, big: number) {
  return (path: string): void => {
    const fd = openSync(path, 'w');
    let pos = 0;
    const put = (bytes: Uint8Array): void => {
      writeSync(fd, bytes, 0, bytes.length, pos);
      pos += bytes.length;
    };
    const small = (name: string, data: string): void => {
      put(tarHeader(name, data.length));
      put(Buffer.from(data));
      put(new Uint8Array(512 - data.length));
    };
    small('a.cls', '1');
    put(tarHeader(`a.${bigExt}`, big));
    pos += big + ((512 - (big % 512)) % 512); // the member's content: a hole of zeros
    small('a.png', 'A');
    small('b.png', 'B');
    small('b.cls', '0');
    put(new Uint8Array(1024));
    closeSync(fd);
  };
}

/** Runs `fn` while sampling RSS every few ms; returns the largest growth over the start. */
async function rssGrowth(fn: () => Promise<void>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - start;
}

const BIG = 256 * 1024 * 1024;

describe('wds member limits', () => {
  it('streams past a 256 MiB member the task does not use (.mp4) without holding it: RSS stays small', async () => {
    const dir = layout('unused-mp4', sparseShard('mp4', BIG));
    let got: { samples: Sample[]; skipped: SkippedItem[] } | undefined;
    const growth = await rssGrowth(async () => {
      got = await read(`wds:${dir}`);
    });
    expect(got!.skipped).toEqual([]);
    expect(got!.samples.map((s) => [s.id, s.label])).toEqual([['test/0.tar:a', 1], ['test/0.tar:b', 0]]);
    // Buffering the member would add at least its 256 MiB; streaming adds a few read chunks.
    expect(growth).toBeLessThan(100 * 1024 * 1024);
  });

  it('reports an unused member without its content, and reads the used ones', async () => {
    const dir = layout('unused-json-reader', sparseShard('mp4', 5 * 1024 * 1024));
    const files: TarFile[] = [];
    const wanted = (name: string): boolean => !name.endsWith('.mp4');
    for await (const e of readTarEntries(join(dir, 'test', '0.tar'), undefined, { wanted })) if (e.kind === 'file') files.push(e.file);
    expect(files.map((f) => [f.name, f.size, f.bytes.length, f.unread])).toEqual([
      ['a.cls', 1, 1, undefined], ['a.mp4', 5 * 1024 * 1024, 0, 'unused'], ['a.png', 1, 1, undefined], ['b.png', 1, 1, undefined], ['b.cls', 1, 1, undefined],
    ]);
  });

  it('skips a sample whose used member is over the member limit, naming shard, member and size, without reading it', async () => {
    const dir = layout('big-json', sparseShard('json', BIG));
    let got: { samples: Sample[]; skipped: SkippedItem[] } | undefined;
    const growth = await rssGrowth(async () => {
      got = await read(`wds:${dir}?max-member-size=${BIG - 1}`);
    });
    expect(growth).toBeLessThan(100 * 1024 * 1024);
    expect(got!.samples.map((s) => s.id)).toEqual(['test/0.tar:b']);
    expect(got!.skipped).toEqual([{
      id: 'test/0.tar:a',
      reason: `${join(dir, 'test', '0.tar')}: member 'a.json' is ${BIG} bytes, over the ${BIG - 1}-byte member limit; this sample is skipped (raise the limit with ?max-member-size=BYTES in the dataset spec)`,
    }]);
  });

  it('the default member limit passes real-sized images; max-member-size lowers or raises it', async () => {
    const image = Buffer.alloc(3 * 1024 * 1024, 7);
    const dir = layout('limit', makeTar([{ name: 'a.jpg', data: image }, { name: 'a.cls', data: '0' }]));
    expect((await read(`wds:${dir}`)).samples).toHaveLength(1);
    const low = await read(`wds:${dir}?max-member-size=${image.length - 1}`);
    expect(low.samples).toEqual([]);
    expect(low.skipped[0].reason).toContain(`member 'a.jpg' is ${image.length} bytes, over the ${image.length - 1}-byte member limit`);
    await expect(read(`wds:${dir}?max-member-size=0`)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('max-member-size') });
  });

  it('reads a gzip-compressed shard and does not also report it as damaged', async () => {
    const tar = makeTar([{ name: 'a.png', data: 'A' }, { name: 'a.cls', data: '1' }, { name: 'b.png', data: 'B' }, { name: 'b.cls', data: '0' }]);
    const gz = gzipSync(tar);
    expect(gz.length % 512).not.toBe(0); // the plain-tar size check would call it truncated
    const { samples, skipped } = await read(`wds:${layout('gzip', gz)}`);
    expect(skipped).toEqual([]);
    expect(samples.map((s) => s.id)).toEqual(['test/0.tar:a', 'test/0.tar:b']);
  });

  it('a cut gzip-compressed shard is still reported as damaged', async () => {
    const entries = Array.from({ length: 40 }, (_, i) => [{ name: `k${i}.png`, data: Buffer.alloc(2000, i) }, { name: `k${i}.cls`, data: '0' }]).flat();
    const gz = gzipSync(makeTar(entries));
    const { samples, skipped } = await read(`wds:${layout('gzip-cut', gz.subarray(0, Math.floor(gz.length / 2)))}`);
    expect(samples.length).toBeLessThan(40);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].reason).toMatch(/^damaged tar .*0\.tar \(.*\); the rest of this shard is skipped$/);
  });

  it('wds: naming a shard file (not the dataset directory) is a DATASET error saying what to pass', async () => {
    const dir = layout('file-spec', makeTar([{ name: 'a.png', data: 'A' }, { name: 'a.cls', data: '1' }]));
    await expect(wdsAdapter.open(parseDatasetSpec(`wds:${join(dir, 'test', '0.tar')}`))).rejects.toMatchObject({
      code: 'DATASET',
      message: expect.stringContaining(`${join(dir, 'test', '0.tar')} is a file, not a WebDataset directory`),
      hint: `pass the dataset directory above the split folder, e.g. wds:${dir}?split=test`,
    });
  });
});
