/**
 * A full --cache-dir (a 64 KB tmpfs): the cache is an optimisation, so writing stops with one
 * warning and the run goes on; nothing half-written stays behind taking space.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { readClassifier, writeClassifier } from '../../src/cache/classifierCache.js';
import { memoryLogger } from '../../src/util/log.js';
import { mountTmpfs } from '../helpers/tmpfs.js';
import { cli } from '../helpers/cli.js';
import { writeFileSync } from 'node:fs';

const root = mkdtempSync(join(tmpdir(), 'zs-cache-full-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ns = { visionModelHash: 'v', preprocessorHash: 'p', decode: { exifRotate: false, decoder: 'sharp-rgb8-v1' }, embedDim: 512 };
const entry = (i: number): { key: string; embedding: Float32Array } => ({ key: i.toString(16).padStart(64, '0'), embedding: new Float32Array(512).fill(i) });

/** Every file under `dir` with its size. */
function files(dir: string): Array<[string, number]> {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), statSync(join(e.parentPath, e.name)).size] as [string, number]);
}

describe('a full cache disk', () => {
  it('embedding cache: one warning, the run goes on, the pack keeps only whole records', async (ctx) => {
    const mnt = join(root, 'emb');
    if (!mountTmpfs(mnt, 'size=64k')) return ctx.skip('this machine forbids mounts, so no small file system can be filled');
    try {
      const log = memoryLogger();
      const cache = await EmbeddingCache.open(mnt, ns, log);
      // 8 records of 2,084 bytes fit; 100 in one batch do not (it was "internal error: ENOSPC").
      await cache.putMany(Array.from({ length: 8 }, (_, i) => entry(i)));
      await cache.putMany(Array.from({ length: 100 }, (_, i) => entry(100 + i)));
      await cache.putMany([entry(1000)]);
      await cache.close();
      const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/embedding cache .*: the disk is full \(ENOSPC\); this run goes on without caching new embeddings/);
      // The pack holds the header and the 8 whole records, nothing of the failed batch.
      const packs = files(mnt).filter(([f]) => f.endsWith('.pack'));
      expect(packs).toHaveLength(1);
      expect(packs[0][1]).toBe(8 + 8 * (32 + 512 * 4 + 4));
      const reopened = await EmbeddingCache.open(mnt, ns, memoryLogger());
      expect(reopened.size).toBe(8);
      expect(reopened.stats.corrupted).toBe(0);
      await reopened.close();
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('a first batch that does not fit leaves no pack file at all', async (ctx) => {
    const mnt = join(root, 'emb0');
    if (!mountTmpfs(mnt, 'size=64k')) return ctx.skip('this machine forbids mounts, so no small file system can be filled');
    try {
      const log = memoryLogger();
      const cache = await EmbeddingCache.open(mnt, ns, log);
      await cache.putMany(Array.from({ length: 100 }, (_, i) => entry(i)));
      await cache.close();
      expect(files(mnt).filter(([f]) => f.endsWith('.pack'))).toEqual([]);
      expect(log.messages.filter((m) => m.level === 'warn')).toHaveLength(1);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('classifier cache: a warning, no temporary file, and the next read is a miss', async (ctx) => {
    const mnt = join(root, 'cls');
    if (!mountTmpfs(mnt, 'size=64k')) return ctx.skip('this machine forbids mounts, so no small file system can be filled');
    try {
      const log = memoryLogger();
      await writeClassifier(mnt, 'big', new Float32Array(1000 * 512), 1000, 512, log);
      expect(log.messages.map((m) => m.message).join('\n')).toMatch(/classifier cache: cannot write .*big\.bin: the disk is full \(ENOSPC\); the run goes on/);
      expect(files(mnt)).toEqual([]);
      expect(await readClassifier(mnt, 'big', memoryLogger())).toBeUndefined();
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('eval with a full --cache-dir: warnings, exit 0, the result written to --out, no temporary file left', async (ctx) => {
    const mnt = join(root, 'full');
    if (!mountTmpfs(mnt, 'size=64k')) return ctx.skip('this machine forbids mounts, so no small file system can be filled');
    try {
      try {
        writeFileSync(join(mnt, 'filler'), Buffer.alloc(65536));
      } catch {
        // the disk is full now, which is the point
      }
      const out = join(root, 'full-out');
      const r = await cli(['eval', '--dataset', 'shapes:standard?n=8', '--out', out, '--cache-dir', mnt, '--no-progress']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(/cannot record the facts of tiny-clip-shapes: the disk is full \(ENOSPC\); the run goes on/);
      expect(r.stderr).toMatch(/embedding cache .*: the disk is full \(ENOSPC\); this run goes on without caching new embeddings/);
      expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(1);
      expect(files(mnt).map(([f]) => f).filter((f) => !f.endsWith('filler'))).toEqual([]);
    } finally {
      execFileSync('umount', [mnt]);
    }
  }, 60_000);
});
