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

async function persisted(dir: string, key: string, compute: () => Promise<string>): Promise<string> {
  const file = join(dir, 'file-hashes', `${sha256(key).slice(0, 40)}.txt`);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(stored)) return stored;
  } catch {
    /* not recorded yet */
  }
  const digest = await compute();
  await writeFileAtomic(file, `${digest}\n`);
  return digest;
}

/** sha256 hex of a file; recomputed only when the file's metadata changes. */
export function hashFileCached(path: string, cacheDir?: string): Promise<string> {
  const abs = resolve(path);
  const key = statKey(abs);
  let hit = memo.get(key);
  if (!hit) {
    hit = cacheDir ? persisted(cacheDir, key, () => sha256File(abs)) : sha256File(abs);
    hit.catch(() => memo.delete(key));
    memo.set(key, hit);
  }
  return hit;
}
