import { readFile, stat } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { mapLimit } from '../util/concurrency.js';
import { ZeroshiftError } from '../errors.js';
import { hashValue } from '../util/hash.js';

/** Reads a text file that must exist; a missing file is a DATASET error naming it. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new ZeroshiftError('DATASET', `cannot read ${what} '${path}': ${(e as Error).message}`, { cause: e });
  }
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

/** Non-empty lines of a text file (BOM and CR stripped, trailing blank lines dropped). */
export function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
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
