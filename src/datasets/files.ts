import { readFile, stat } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { mapLimit } from '../util/concurrency.js';
import { ZeroshiftError } from '../errors.js';
import { hashValue } from '../util/hash.js';

/**
 * Largest manifest or text file read whole (1 GiB: ImageNet-21k's 14M-row manifest is about
 * 700 MB). Bounds what a path to a device or an endless file can make us hold.
 */
export const MAX_TEXT_FILE_BYTES = 1 << 30;

/**
 * Reads a whole file that must be a regular file (not a FIFO, device or directory) of at most
 * `maxBytes`; anything else is a DATASET error naming it. Devices such as /dev/zero would
 * otherwise be read until memory runs out, and a FIFO would block forever.
 */
export async function readRegularFile(path: string, what: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<Buffer> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ZeroshiftError('DATASET', `${what} '${path}' is not a regular file (${s.isDirectory() ? 'a directory' : 'a device, FIFO or socket'})`);
    size = s.size;
  } catch (e) {
    if (e instanceof ZeroshiftError) throw e;
    throw new ZeroshiftError('DATASET', `cannot read ${what} '${path}': ${(e as Error).message}`, { cause: e });
  }
  if (size > maxBytes) throw new ZeroshiftError('DATASET', `${what} '${path}' is ${size} bytes, over the ${maxBytes}-byte limit for files read whole`);
  try {
    return await readFile(path);
  } catch (e) {
    throw new ZeroshiftError('DATASET', `cannot read ${what} '${path}': ${(e as Error).message}`, { cause: e });
  }
}

/** Reads a text file that must exist; a missing file is a DATASET error naming it. */
export async function readTextFile(path: string, what: string): Promise<string> {
  return (await readRegularFile(path, what)).toString('utf8');
}

/** True when `path` exists (file or directory). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** True when `path` is a regular file (following links); false when absent or anything else. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Non-empty lines of a text file (BOM and CR stripped, trailing blank lines dropped). */
export function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/** Class names from a one-per-line file; a blank line inside the list is an error naming the line. */
export async function readClassNames(path: string): Promise<string[]> {
  const lines = splitLines(await readTextFile(path, 'class-name file'));
  lines.forEach((line, i) => {
    if (line.trim() === '') throw new ZeroshiftError('DATASET', `${path}:${i + 1}: empty class name`);
  });
  if (lines.length === 0) throw new ZeroshiftError('DATASET', `class-name file '${path}' is empty`);
  return lines.map((l) => l.trim());
}

/**
 * Cheap content identity: names (relative to `root`), sizes and mtimes of `files`, plus
 * `extra` (the options that change what is read). Never reads file contents.
 */
export async function fingerprintFiles(root: string, files: readonly string[], extra: unknown): Promise<string> {
  // Bounded concurrency: one promise per file at once would hold 50,000 stat requests in memory.
  const entries = await mapLimit(files, 64, async (f) => {
    const s = await stat(f);
    return [relative(root, f) || basename(f), s.size, Math.floor(s.mtimeMs)];
  });
  return hashValue({ entries, extra });
}
