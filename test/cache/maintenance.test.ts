import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingCache, type ImageNamespace } from '../../src/cache/embeddingCache.js';
import { compactCache, verifyCache } from '../../src/cache/maintenance.js';
import { readClassifier, writeClassifier } from '../../src/cache/classifierCache.js';
import { memoryLogger } from '../../src/util/log.js';
import { createRng } from '../../src/util/rng.js';
import { cli } from '../helpers/cli.js';

const DIM = 24;
const ns: ImageNamespace = { visionModelHash: 'v', preprocessorHash: 'p', decode: { exifRotate: false }, embedDim: DIM };
const key = (i: number): string => i.toString(16).padStart(64, '0');
const RECORD = 32 + DIM * 4 + 4;
const HEADER = 8;

/** A cache root with `count` seeded embeddings in one pack; returns the root, namespace dir and pack file. */
async function filledCache(count: number): Promise<{ root: string; dir: string; pack: string; vecs: Float32Array[] }> {
  const root = await mkdtemp(join(tmpdir(), 'zs-cache-maint-'));
  const rng = createRng('maintenance');
  const vecs = Array.from({ length: count }, () => Float32Array.from({ length: DIM }, () => rng.next() - 0.5));
  const c = await EmbeddingCache.open(root, ns, memoryLogger());
  await c.putMany(vecs.map((embedding, i) => ({ key: key(i), embedding })));
  await c.close();
  const [pack] = (await readdir(c.dir)).filter((f) => f.endsWith('.pack'));
  return { root, dir: c.dir, pack: join(c.dir, pack), vecs };
}

async function poke(file: string, offset: number, bytes: Buffer): Promise<void> {
  const fh = await open(file, 'r+');
  await fh.write(bytes, 0, bytes.length, offset);
  await fh.close();
}

async function reopen(root: string): Promise<{ cache: EmbeddingCache; warnings: string[] }> {
  const log = memoryLogger();
  const cache = await EmbeddingCache.open(root, ns, log);
  return { cache, warnings: log.messages.filter((m) => m.level === 'warn').map((m) => m.message) };
}

describe('cache verify and compact', () => {
  it('counts damaged records and lost entries, and compact stops the warning without losing a valid record', async () => {
    const { root, pack, vecs } = await filledCache(10);
    // Damage the payloads of records 2 and 7, and leave half a record at the end (a torn write).
    await poke(pack, HEADER + 2 * RECORD + 40, Buffer.from([0xde, 0xad]));
    await poke(pack, HEADER + 7 * RECORD + 40, Buffer.from([0xbe, 0xef]));
    await poke(pack, HEADER + 10 * RECORD, Buffer.alloc(RECORD / 2, 9));
    const before = await verifyCache(root);
    expect(before.healthy).toBe(false);
    expect(before.namespaces).toHaveLength(1);
    expect(before.namespaces[0]).toMatchObject({ packs: 1, records: 8, damaged: 2, lost: 2, tornBytes: RECORD / 2, payloadBytes: DIM * 4 });
    // A run sees the same: two damaged, two lost; it recomputes image 2 (as a run would) in a pack of its own.
    const first = await reopen(root);
    expect(first.cache.size).toBe(8);
    expect(first.warnings).toEqual([expect.stringMatching(/2 corrupted records ignored; 2 images not cached elsewhere will be recomputed; run 'zeroshift cache compact'/)]);
    await first.cache.putMany([{ key: key(2), embedding: vecs[2] }]);
    await first.cache.close();
    // Still damaged, but image 2 is no longer lost: the count says so (it said "will be recomputed" forever).
    expect((await verifyCache(root)).namespaces[0]).toMatchObject({ records: 9, damaged: 2, lost: 1 });
    const second = await reopen(root);
    expect(second.warnings).toEqual([expect.stringMatching(/2 corrupted records ignored; 1 image not cached elsewhere/)]);
    await second.cache.close();

    const outcome = await compactCache(root);
    expect(outcome).toMatchObject({ droppedRecords: 2, keptRecords: 8, rewrittenPacks: 1, inUse: [] });
    const after = await verifyCache(root);
    expect(after.healthy).toBe(true);
    expect(after.namespaces[0]).toMatchObject({ records: 9, damaged: 0, lost: 0, tornBytes: 0 });
    const third = await reopen(root);
    expect(third.warnings).toEqual([]);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 8, 9]) expect(Array.from((await third.cache.get(key(i)))!)).toEqual(Array.from(vecs[i]));
    expect(await third.cache.get(key(7))).toBeUndefined();
    await third.cache.close();
  });

  it('once the damaged images were recomputed, the warning no longer says they will be', async () => {
    const { root, pack, vecs } = await filledCache(4);
    await poke(pack, HEADER + 1 * RECORD + 40, Buffer.from([0xde, 0xad]));
    const first = await reopen(root);
    expect(first.warnings).toEqual([expect.stringMatching(/1 corrupted record ignored; 1 image not cached elsewhere will be recomputed/)]);
    await first.cache.putMany([{ key: key(1), embedding: vecs[1] }]);
    await first.cache.close();
    const second = await reopen(root);
    expect(second.warnings).toEqual([expect.stringMatching(/1 corrupted record ignored; their images were recomputed since and are cached; run 'zeroshift cache compact' to drop the damaged records$/)]);
    await second.cache.close();
  });

  it('a pack with a damaged header loses every record in it, and is counted so (it was counted as 1)', async () => {
    const { root, pack } = await filledCache(6);
    await poke(pack, 0, Buffer.from('XXXXXXXX'));
    const { cache, warnings } = await reopen(root);
    expect(cache.size).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/6 corrupted records ignored; 6 images not cached elsewhere/)]);
    await cache.close();
    expect((await verifyCache(root)).namespaces[0]).toMatchObject({ damaged: 6, lost: 6 });
    await compactCache(root);
    expect((await verifyCache(root)).healthy).toBe(true);
  });

  it('finds the record size of any embedding width from the packs themselves', async () => {
    for (const dim of [1, 7, 512, 1280]) {
      const root = await mkdtemp(join(tmpdir(), 'zs-cache-width-'));
      const c = await EmbeddingCache.open(root, { ...ns, embedDim: dim }, memoryLogger());
      await c.putMany([0, 1, 2].map((i) => ({ key: key(i), embedding: new Float32Array(dim).fill(i + 0.25) })));
      await c.close();
      expect((await verifyCache(root)).namespaces[0]).toMatchObject({ payloadBytes: dim * 4, records: 3 });
    }
  });

  it('a damaged classifier file is listed and removed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-cache-cls-'));
    await writeClassifier(root, 'good', new Float32Array([1, 0, 0, 1]), 2, 2, memoryLogger());
    await writeClassifier(root, 'bad', new Float32Array([1, 0, 0, 1]), 2, 2, memoryLogger());
    await poke(join(root, 'classifiers', 'bad.bin'), 20, Buffer.from([7]));
    const r = await verifyCache(root);
    expect(r.classifiers).toEqual({ files: 2, damaged: [{ file: join(root, 'classifiers', 'bad.bin'), reason: 'fails its checksum' }] });
    await compactCache(root);
    expect((await verifyCache(root)).healthy).toBe(true);
    expect(await readClassifier(root, 'good', memoryLogger())).toMatchObject({ rows: 2, dim: 2 });
  });

  it('an empty or missing cache is healthy', async () => {
    const root = join(await mkdtemp(join(tmpdir(), 'zs-cache-none-')), 'absent');
    expect(await verifyCache(root)).toMatchObject({ exists: false, healthy: true });
    expect(await compactCache(root)).toMatchObject({ droppedRecords: 0, removed: [] });
  });
});

describe('damaged cache layouts', () => {
  /** Each layout is written by the test into a cache a first run filled. */
  const layouts: [string, (root: string, nsDir: string) => Promise<string>][] = [
    ['images/ is a file', async (root) => (await rm(join(root, 'images'), { recursive: true }), await writeFile(join(root, 'images'), 'x'), join(root, 'images'))],
    ['classifiers/ is a file', async (root) => (await rm(join(root, 'classifiers'), { recursive: true }), await writeFile(join(root, 'classifiers'), 'x'), join(root, 'classifiers'))],
    ['a namespace is a file', async (_root, nsDir) => (await rm(nsDir, { recursive: true }), await writeFile(nsDir, 'x'), nsDir)],
    ['file-hashes/ is a file', async (root) => (await rm(join(root, 'file-hashes'), { recursive: true }), await writeFile(join(root, 'file-hashes'), 'x'), join(root, 'file-hashes'))],
  ];

  it('a file where a cache directory belongs: eval exits 2 naming it before any work; verify lists it; compact repairs it', async () => {
    const base = await mkdtemp(join(tmpdir(), 'zs-cache-layout-'));
    const args = (cache: string): string[] => ['eval', '--dataset', 'shapes:standard?n=4', '--prompts', 'shapes-shape', '--out', join(base, 'out'), '--cache-dir', cache, '--no-progress'];
    const seed = join(base, 'seed');
    expect((await cli(args(seed))).code).toBe(0);
    const [nsName] = await readdir(join(seed, 'images'));
    for (const [name, damage] of layouts) {
      const root = join(base, name.replace(/\W+/g, '-'));
      await (await import('node:fs/promises')).cp(seed, root, { recursive: true });
      const path = await damage(root, join(root, 'images', nsName));
      const r = await cli(args(root));
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toContain(`zeroshift: the cache at ${root} is damaged: ${path} is a file where a directory belongs`);
      expect(r.stderr, name).toContain(`zeroshift cache compact --cache-dir ${root}`);
      expect(r.stderr, name).not.toMatch(/internal error|^zeroshift eval: /m);
      const v = await cli(['cache', 'verify', '--cache-dir', root]);
      expect(v.code, name).toBe(1);
      expect(v.stdout, name).toContain(`damaged layout: ${path} is a file where a directory belongs`);
      expect((await cli(['cache', 'compact', '--cache-dir', root])).code, name).toBe(0);
      expect((await cli(['cache', 'verify', '--cache-dir', root])).code, name).toBe(0);
      const again = await cli(args(root));
      expect(again.code, `${name}: ${again.stderr}`).toBe(0);
    }
  });

  it('a directory named *.pack is skipped with a warning (it was an EISDIR internal error); compact removes it', async () => {
    const { root, dir } = await filledCache(3);
    await mkdir(join(dir, 'evil.pack'));
    const { cache, warnings } = await reopen(root);
    expect(cache.size).toBe(3);
    expect(warnings).toEqual([`embedding cache: ${join(dir, 'evil.pack')} is not a pack file (a directory or special file); ignored`]);
    await cache.close();
    const v = await verifyCache(root);
    expect(v.healthy).toBe(false);
    expect(v.namespaces[0].notPacks).toEqual([join(dir, 'evil.pack')]);
    await compactCache(root);
    expect(await stat(join(dir, 'evil.pack')).catch(() => null)).toBeNull();
    expect((await verifyCache(root)).healthy).toBe(true);
  });
});
