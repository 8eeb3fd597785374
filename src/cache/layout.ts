import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { shellQuote } from '../util/shellQuote.js';

/** Where each kind of entry lives under a cache root. */
export const CACHE_DIRS = {
  /** One directory per image namespace (model, preprocessing, decoding), holding pack files. */
  images: 'images',
  /** One directory per text namespace (text tower, tokenizer, context length): captions and prompts, keyed by sha256 of the text. */
  texts: 'texts',
  /** One file per text classifier. */
  classifiers: 'classifiers',
  /** Hashes of model files, keyed by path, size and mtime (model/fileFacts). */
  fileHashes: 'file-hashes',
  /** What a successful model load found (model/modelFacts). */
  modelFacts: 'models',
} as const;

/** The folders that hold one directory of pack files per namespace. */
export const NAMESPACE_DIRS: readonly string[] = [CACHE_DIRS.images, CACHE_DIRS.texts];

/** A path of the cache layout that should be a directory but is something else. */
export interface LayoutProblem {
  path: string;
  /** What is there instead: 'file', 'symlink to a file', … */
  found: string;
}

async function kindOf(path: string): Promise<string | null> {
  const s = await stat(path).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : e));
  if (s === null) return null;
  if (s instanceof Error) return `unreadable (${s.code ?? s.message})`;
  if (s.isDirectory()) return 'directory';
  return s.isFile() ? 'file' : 'special file';
}

/**
 * The places of a cache root that must be directories when present (`images/`, each namespace
 * under it, `classifiers/`, `file-hashes/`) but are not. Missing ones are fine (created on
 * first write). A damaged layout used to end in "internal error: ENOTDIR/EEXIST".
 */
export async function layoutProblems(root: string): Promise<LayoutProblem[]> {
  const problems: LayoutProblem[] = [];
  const rootKind = await kindOf(root);
  if (rootKind === null) return problems;
  if (rootKind !== 'directory') return [{ path: root, found: rootKind }];
  for (const dir of Object.values(CACHE_DIRS)) {
    const kind = await kindOf(join(root, dir));
    if (kind !== null && kind !== 'directory') problems.push({ path: join(root, dir), found: kind });
  }
  for (const packs of NAMESPACE_DIRS) {
    if (problems.some((p) => p.path === join(root, packs)) || (await kindOf(join(root, packs))) !== 'directory') continue;
    for (const name of (await readdir(join(root, packs))).sort()) {
      const kind = await kindOf(join(root, packs, name));
      if (kind !== 'directory') problems.push({ path: join(root, packs, name), found: kind ?? 'dangling link' });
    }
  }
  return problems;
}

/** The typed error for a damaged layout: exit 2, naming the path and the two ways out. */
export function layoutError(root: string, problems: readonly LayoutProblem[]): ZeroshiftError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new ZeroshiftError('INPUT', `the cache at ${root} is damaged: ${first.path} is a ${first.found} where a directory belongs${more}`, {
    hint: `run 'zeroshift cache compact --cache-dir ${shellQuote(root)}' to repair it (damaged entries are removed and recomputed), or pass another --cache-dir`,
  });
}

/**
 * Checks the layout of a cache root before a run uses it.
 * @throws ZeroshiftError('INPUT') naming the first misplaced path.
 */
export async function checkCacheLayout(root: string): Promise<void> {
  const problems = await layoutProblems(root);
  if (problems.length > 0) throw layoutError(root, problems);
}
