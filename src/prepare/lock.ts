import { hostname } from 'node:os';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ZeroshiftError } from '../errors.js';

/** Who holds a prepare lock; written whole into the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

/** Where the lock of one dataset lives: next to the staging directories, inside the data dir. */
export function lockPath(dataDir: string, id: string): string {
  return join(dataDir, '.zeroshift-tmp', `${id.replace(/[^A-Za-z0-9.-]/g, '_')}.lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** A lock whose holder is a dead process on this host (or unreadable) can be taken over. */
function isStale(holder: LockHolder | undefined): boolean {
  return holder === undefined || (holder.host === hostname() && !isAlive(holder.pid));
}

/** Creates `path` holding `text` only if it does not exist: link(2) of a complete temp file is atomic. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text);
  try {
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Removes a stale lock. A `.takeover` guard (itself a lock) makes sure that of two processes
 * finding the same stale lock, only one removes it, and never a fresh lock made meanwhile.
 */
async function takeOver(path: string, staleText: string, me: string): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await createExclusive(guard, me))) {
    const text = await readText(guard);
    if (text !== undefined && isStale(parseHolder(text))) await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    if ((await readText(path)) === staleText) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * Takes the prepare lock of dataset `id` in `dataDir`, so two processes never download into
 * the same `.part` file or swap the same layout. A lock held by a live process (or by another
 * host, which cannot be checked) is a DATASET error naming the holder; a lock left by a dead
 * process on this host is taken over. Returns the function that releases it.
 */
export async function acquirePrepareLock(dataDir: string, id: string): Promise<() => Promise<void>> {
  const path = lockPath(dataDir, id);
  await mkdir(join(dataDir, '.zeroshift-tmp'), { recursive: true });
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(1).join(' ').slice(0, 500) };
  const me = `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(path, me)) {
      return async () => {
        if ((await readText(path)) === me) await unlink(path).catch(() => undefined);
      };
    }
    const text = await readText(path);
    if (text === undefined) continue; // released between our attempt and the read
    const other = parseHolder(text);
    if (!isStale(other)) throw heldError(id, dataDir, path, other!);
    await takeOver(path, text, me);
  }
  throw new ZeroshiftError('DATASET', `could not take the prepare lock ${path} for '${id}': other processes keep taking it`, {
    hint: 'run prepare for this dataset from one process at a time',
  });
}

function heldError(id: string, dataDir: string, path: string, h: LockHolder): ZeroshiftError {
  const where = h.host === hostname() ? `pid ${h.pid}` : `pid ${h.pid} on host ${h.host}`;
  return new ZeroshiftError('DATASET', `'${id}' is being prepared in ${dataDir} by ${where} since ${h.startedAt} (${h.command || 'unknown command'}); lock file ${path}`, {
    hint:
      h.host === hostname()
        ? 'wait for it to finish, then run again: the dataset will be ready'
        : `wait for it to finish; if that process is gone, delete ${path} and run again`,
  });
}
