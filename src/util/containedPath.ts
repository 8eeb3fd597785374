/**
 * Paths that come from a file (a result's `predictionsFile`, a merge manifest's `results[]`,
 * a Hub repository's file list) are data written by someone else: each must name a place
 * inside the directory it was read for, never `..`, an absolute path or a device name.
 * One check for all of them, so no reader forgets a case.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ZeroshiftError, type ErrorCode } from '../errors.js';

/**
 * Why `name` is not a plain relative path of '/'-separated segments, or undefined when it is.
 * Refused: empty, absolute (`/x`, `C:x`), a backslash, a NUL or other control character, an
 * empty, `.` or `..` segment.
 */
export function unsafeRelativePath(name: string): string | undefined {
  if (name === '') return 'it is empty';
  // Control characters (NUL truncates paths in C APIs; CR/LF forge log lines).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it holds a control character';
  if (name.includes('\\')) return 'it holds a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || isAbsolute(name)) return 'it is an absolute path';
  for (const segment of name.split('/')) {
    if (segment === '..') return "it has a '..' segment";
    if (segment === '' || segment === '.') return "it has an empty or '.' segment";
  }
  return undefined;
}

/** True when the absolute path `path` is `dir` itself or below it (both resolved). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves `name`, read from `source` (a file, for the message), against `dir`, and checks
 * that it stays inside `dir`. The message names the file, the key and the value, never the
 * file's other content.
 * @throws ZeroshiftError(code, default INPUT) when `name` is unsafe or leaves `dir`.
 */
export function resolveInside(dir: string, name: string, context: { source: string; key: string; code?: ErrorCode }): string {
  const why = unsafeRelativePath(name);
  const target = resolve(dir, ...name.split('/'));
  if (why === undefined && isInside(dir, target)) return target;
  throw new ZeroshiftError(context.code ?? 'INPUT', `${context.source}: ${context.key} ${JSON.stringify(name)} is not a path inside ${dir} (${why ?? 'it leaves the directory'}); the file is refused`, {
    hint: 'paths in this file must be relative to its own directory, without .. or absolute paths; was it edited by hand or written elsewhere?',
  });
}
