/**
 * sha256 of model files, memoised per (path, size, inode, mtime, ctime): in memory for the
 * process, and on disk under a cache directory when one is given, so a warm run does not
 * re-read a 350 MB tower just to learn that it has not changed.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256, sha256File } from '../util/hash.js';
import { writeFileAtomic } from '../util/atomicWrite.js';

const memo = new Map<string, Promise<string>>();

function statKey(abs: string): string {
  const st = statSync(abs, { bigint: true });
  return `${abs}\0${st.size}\0${st.ino}\0${st.mtimeNs}\0${st.ctimeNs}`;
}

function recordFile(dir: string, key: string): string {
  return join(dir, 'file-hashes', `${sha256(key).slice(0, 40)}.txt`);
}

async function recorded(dir: string, key: string): Promise<string | undefined> {
  try {
    const stored = (await readFile(recordFile(dir, key), 'utf8')).trim();
    return /^[0-9a-f]{64}$/.test(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/**
 * sha256 hex of a file; recomputed only when the file's metadata changes. With `cacheDir`, a
 * digest recorded there by `recordFileHashes` is used instead of reading the file.
 */
export function hashFileCached(path: string, cacheDir?: string): Promise<string> {
  const abs = resolve(path);
  const key = statKey(abs);
  let hit = memo.get(key);
  if (!hit) {
    hit = (async () => (cacheDir ? await recorded(cacheDir, key) : undefined) ?? sha256File(abs))();
    hit.catch(() => memo.delete(key));
    memo.set(key, hit);
  }
  return hit;
}

/**
 * Records the digests of files that belong to a model which loaded and passed its checks, so
 * nothing is written to the cache for a model that fails them.
 */
export async function recordFileHashes(cacheDir: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const abs = resolve(path);
    const key = statKey(abs);
    if ((await recorded(cacheDir, key)) !== undefined) continue;
    await writeFileAtomic(recordFile(cacheDir, key), `${await hashFileCached(abs)}\n`);
  }
}
