import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingCache, type ImageNamespace } from '../../src/cache/embeddingCache.js';
import { memoryLogger } from '../../src/util/log.js';

const ns: ImageNamespace = { visionModelHash: 'v', preprocessorHash: 'p', decode: { exifRotate: false }, embedDim: 4 };
const key = (i: number) => i.toString(16).padStart(64, '0');
const vec = (i: number) => new Float32Array([i, i + 0.5, -i, 1]);

describe('EmbeddingCache', () => {
  it('round-trips entries across reopen and keeps namespaces apart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-cache-'));
    const log = memoryLogger();
    const a = await EmbeddingCache.open(root, ns, log);
    await a.putMany([{ key: key(1), embedding: vec(1) }, { key: key(2), embedding: vec(2) }]);
    await a.close();
    const b = await EmbeddingCache.open(root, ns, log);
    expect(b.size).toBe(2);
    expect(Array.from((await b.get(key(2)))!)).toEqual(Array.from(vec(2)));
    expect(await b.get(key(3))).toBeUndefined();
    expect(b.stats).toMatchObject({ hits: 1, misses: 1 });
    const other = await EmbeddingCache.open(root, { ...ns, visionModelHash: 'w' }, log);
    expect(other.size).toBe(0);
    await b.close();
    await other.close();
  });

  it('detects a corrupted entry and ignores a torn tail', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-cache-'));
    const log = memoryLogger();
    const a = await EmbeddingCache.open(root, ns, log);
    await a.putMany([1, 2, 3].map((i) => ({ key: key(i), embedding: vec(i) })));
    await a.close();
    const dir = a.dir;
    const [pack] = await readdir(dir);
    const file = join(dir, pack);
    const fh = await open(file, 'r+');
    // Flip one payload byte of the second record, then append half a record.
    const recordBytes = 32 + 16 + 4;
    await fh.write(Buffer.from([0xff]), 0, 1, 8 + recordBytes + 32 + 3);
    const size = (await stat(file)).size;
    await fh.write(Buffer.alloc(20, 7), 0, 20, size);
    await fh.close();
    const b = await EmbeddingCache.open(root, ns, log);
    expect(b.size).toBe(2);
    expect(b.stats.corrupted).toBe(1);
    expect(await b.get(key(2))).toBeUndefined();
    expect(log.messages.filter((m) => m.level === 'warn')).toHaveLength(1);
    await b.close();
  });

  it('lets two writers share a directory without interleaving', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-cache-'));
    const log = memoryLogger();
    const [a, b] = await Promise.all([EmbeddingCache.open(root, ns, log), EmbeddingCache.open(root, ns, log)]);
    await Promise.all([
      a.putMany([1, 2, 3].map((i) => ({ key: key(i), embedding: vec(i) }))),
      b.putMany([3, 4, 5].map((i) => ({ key: key(i), embedding: vec(i) }))),
    ]);
    await a.close();
    await b.close();
    const c = await EmbeddingCache.open(root, ns, log);
    expect(c.size).toBe(5);
    expect(c.stats.corrupted).toBe(0);
    for (const i of [1, 2, 3, 4, 5]) expect(Array.from((await c.get(key(i)))!)).toEqual(Array.from(vec(i)));
    await c.close();
  });
});
