import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ZeroshiftError } from '../errors.js';

/** Kernel file systems: files there are not storage (creating /proc/self/x spun at 100 % CPU). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** What to do about each empty flag (a cache example for --cache-dir: it once suggested `results`). */
const EMPTY_ADVICE: Record<string, string | undefined> = {
  '--out': 'give a directory (e.g. --out results)',
  '--cache-dir': 'give a directory (e.g. --cache-dir ~/.cache/zeroshift), or leave the flag out for the default cache',
};

/**
 * The kernel file system `abs` (an absolute path) lies under, if any: Node's recursive mkdir
 * there never returns. /dev/shm is ordinary memory-backed storage and is not one.
 */
export function kernelFsRoot(abs: string): string | undefined {
  const under = (root: string): boolean => abs === root || abs.startsWith(`${root}/`);
  return under('/dev/shm') ? undefined : VIRTUAL_ROOTS.find(under);
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return 'it is on a read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'it is not writable by this user';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way';
  return `${code ?? (e as Error).message}`;
}

/**
 * `dir` as an absolute path. Callers work with that, not the relative path: once the current
 * directory is deleted (a test's temporary directory removed under a run), Node's recursive
 * mkdir of a relative path with two or more components loops forever at 100 % CPU.
 * @throws ZeroshiftError('USAGE') when `dir` is relative and the current directory is gone.
 */
export function absoluteDir(dir: string, flag: string): string {
  if (isAbsolute(dir)) return resolve(dir);
  try {
    return resolve(process.cwd(), dir);
  } catch (e) {
    throw new ZeroshiftError('USAGE', `${flag} ${dir}: is relative, and the current directory no longer exists (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: it was deleted)`, {
      hint: `cd to an existing directory, or give an absolute path: ${flag} /path/to/${dir}`,
    });
  }
}

/**
 * Checks, before any work, that `dir` (the value of `flag`) is a directory this process can
 * create files in, creating it if needed, and returns it as an absolute path for the run to
 * use (see absoluteDir). An unusable directory used to fail only after a unit was computed,
 * as "internal error" (or ENOENT for a read-only file system).
 * @throws ZeroshiftError('USAGE') naming the flag, the path and the reason.
 */
export async function ensureWritableDir(dir: string, flag: string): Promise<string> {
  if (dir.trim() === '') throw new ZeroshiftError('USAGE', `${flag} is empty; ${EMPTY_ADVICE[flag] ?? 'give a directory'}`);
  const abs = absoluteDir(dir, flag);
  const kernelFs = kernelFsRoot(abs);
  if (kernelFs) throw new ZeroshiftError('USAGE', `${flag} ${dir}: under ${kernelFs}, a kernel file system, not storage; give a normal directory`);
  const s = await stat(abs).catch(() => null);
  if (s && !s.isDirectory()) throw new ZeroshiftError('USAGE', `${flag} ${dir}: is a file, not a directory`);
  try {
    await mkdir(abs, { recursive: true });
    const probe = join(abs, `.zeroshift-write-test.${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (e) {
    throw new ZeroshiftError('USAGE', `${flag} ${dir}: cannot write there: ${why(await realCause(abs, e))}`);
  }
  return abs;
}

/**
 * Recursive mkdir reports ENOENT for a read-only file system; a plain mkdir of the first
 * missing component, under its nearest existing ancestor, gives the real error (EROFS, EACCES).
 */
async function realCause(abs: string, e: unknown): Promise<unknown> {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return e;
  let child = abs;
  let parent = dirname(abs);
  while (parent !== child && !(await stat(parent).then(() => true, () => false))) [child, parent] = [parent, dirname(parent)];
  try {
    await mkdir(child);
    await rm(child, { recursive: true, force: true });
    return e;
  } catch (inner) {
    return inner;
  }
}
