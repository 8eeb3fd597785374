/**
 * A cross-process lock on one blob download (`.locks/models--ORG--NAME/<etag>.lock`, where
 * huggingface_hub puts its own), so two jobs sharing a cache (a Slurm array, say) never
 * append to the same `.incomplete` file. Created with O_EXCL; the holder refreshes its
 * mtime while it works, and a lock left untouched for `staleMs` (a killed process, on any
 * host) is taken over.
 */
import { mkdir, open, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export interface LockOptions {
  /** A lock whose mtime is older than this is abandoned. */
  staleMs?: number;
  /** Poll interval while another process holds the lock. */
  pollMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: () => void;
  signal?: AbortSignal;
}

/** Runs `work` holding the lock at `path`. */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const staleMs = options.staleMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  await mkdir(dirname(path), { recursive: true });
  let waited = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${hostname()} ${process.pid}\n`);
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (!waited) options.onWait?.();
    waited = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const beat = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
  }, Math.max(1000, staleMs / 4));
  beat.unref();
  try {
    return await work();
  } finally {
    clearInterval(beat);
    await unlink(path).catch(() => undefined);
  }
}
