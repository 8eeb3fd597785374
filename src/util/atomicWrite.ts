import { open, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ZeroshiftError } from '../errors.js';
import { absoluteDir, kernelFsRoot } from './writableDir.js';

/**
 * Writes a file atomically: a temporary file in the same directory, fsync, rename over
 * the target, fsync of the directory. A reader sees the old file or the new one, never
 * half of either, even after a crash or SIGKILL.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(absoluteDir(path, 'output file'));
  // Node's recursive mkdir under /proc or /sys loops forever (embed --out /proc/x/y hung).
  const kernelFs = kernelFsRoot(dir);
  if (kernelFs) throw new ZeroshiftError('INPUT', `cannot write ${path}: it is under ${kernelFs}, a kernel file system, not storage; give a path on a normal disk`);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    // A failed write (a full disk) must not leave its temporary file behind keeping the disk full.
    await unlink(tmp).catch(() => undefined);
    throw describeWriteError(path, e);
  }
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable; some file systems refuse it, which is harmless.
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* not supported here */
  }
}

/** The user-fixable write failures as typed errors naming the file (they were "internal error"). */
function describeWriteError(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exceeded',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EISDIR: 'a directory is in the way',
    ENOTDIR: 'a file is in the way of its directory',
  };
  if (code === undefined || !(code in why)) return e;
  return new ZeroshiftError('INPUT', `cannot write ${path}: ${why[code]} (${code})`, {
    hint: 'free space or fix the path, then run the same command again: finished results and cached embeddings are kept',
    cause: e,
  });
}

/**
 * Why a write failed for lack of room (`the disk is full`, `the disk quota is exceeded`), or
 * undefined for any other failure; also sees through the typed error writeFileAtomic throws.
 */
export function diskFullReason(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') return 'the disk is full (ENOSPC)';
  if (code === 'EDQUOT') return 'the disk quota is exceeded (EDQUOT)';
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  return cause !== undefined && cause !== e ? diskFullReason(cause) : undefined;
}
