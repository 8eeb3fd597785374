/** sha256 of model files, memoised per (path, size, mtime) so reloading a model is cheap. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256File } from '../util/hash.js';

const cache = new Map<string, Promise<string>>();

/** sha256 hex of a file; recomputed only when its size or mtime changes. */
export function hashFileCached(path: string): Promise<string> {
  const abs = resolve(path);
  const st = statSync(abs);
  const key = `${abs}\0${st.size}\0${st.mtimeMs}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = sha256File(abs);
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}
