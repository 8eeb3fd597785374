/**
 * What the hub cache holds: every model repository, each snapshot with the revisions that
 * point at it, its size and the dtypes whose graphs are present. Works on caches written by
 * huggingface_hub as well as by zeroshift.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { RepoCache, repoFromFolderName } from './cacheLayout.js';
import { dtypesPresent } from './select.js';

/** One cached snapshot of one repository. */
export interface CachedSnapshot {
  repo: string;
  commit: string;
  /** Branches and tags whose refs/ entry names this commit. */
  revisions: string[];
  /** Bytes of its files (each blob counted once). */
  size: number;
  dtypes: string[];
  files: string[];
}

/** Every snapshot of every model repository in `cacheDir`, sorted by repository then commit. */
export function scanHubCache(cacheDir: string): CachedSnapshot[] {
  if (!existsSync(cacheDir)) return [];
  const out: CachedSnapshot[] = [];
  for (const folder of readdirSync(cacheDir).sort()) {
    const repo = repoFromFolderName(folder);
    if (repo === undefined) continue;
    const cache = new RepoCache(cacheDir, repo);
    const refs = cache.refs();
    for (const commit of cache.snapshots()) {
      const files = cache.snapshotFiles(commit);
      const blobs = new Map(files.map((f) => {
        const real = realpathSync(cache.pointerPath(commit, f));
        return [real, statSync(real).size] as const;
      }));
      out.push({
        repo,
        commit,
        revisions: refs.filter(([, c]) => c === commit).map(([r]) => r),
        size: [...blobs.values()].reduce((a, b) => a + b, 0),
        dtypes: dtypesPresent(files),
        files,
      });
    }
  }
  return out;
}
