import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ZeroshiftError } from '../errors.js';

/** Scratch space inside the data dir, so the final renames never cross file systems. */
export async function makeStaging(dataDir: string, id: string): Promise<string> {
  const dir = join(dataDir, '.zeroshift-tmp', `${id.replace(/[^A-Za-z0-9.-]/g, '_')}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Moves every child of `from` into `to` (created if needed). */
export async function moveChildren(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) await rename(join(from, name), join(to, name));
}

/** Throws DATASET when an extracted archive lacks its expected top-level directory. */
export async function requireArchiveRoot(extracted: string, root: string, archiveName: string): Promise<string> {
  const dir = root === '' ? extracted : join(extracted, root);
  if (!existsSync(dir)) {
    const found = (await readdir(extracted)).join(', ') || '(nothing)';
    throw new ZeroshiftError('DATASET', `archive ${archiveName} does not unpack to '${root}/' as the manifest says; its top level holds: ${found}`);
  }
  return dir;
}

/** Throws DATASET listing the required paths missing from a layout directory. */
export function requirePaths(dir: string, paths: readonly string[], what: string): void {
  const missing = paths.filter((p) => !existsSync(join(dir, p)));
  if (missing.length > 0) throw new ZeroshiftError('DATASET', `${what} is incomplete: missing ${missing.join(', ')} in ${dir}`);
}

/**
 * Puts the finished `built` directory at `target` with renames only: an existing target is
 * first moved aside into `staging` and deleted afterwards, so readers see the old layout or
 * the new one.
 */
export async function swapIntoPlace(built: string, target: string, staging: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  if (existsSync(target)) await rename(target, join(staging, 'previous'));
  await rename(built, target);
}

/** Removes a staging directory, ignoring errors (best effort after failures). */
export async function removeStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true }).catch(() => undefined);
}
