import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import * as tar from 'tar';
import { ZeroshiftError } from '../errors.js';

/** Entry types that may be extracted; devices, FIFOs and the like are refused. */
const ALLOWED_TYPES: ReadonlySet<string> = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** True when a relative POSIX path stays inside its root after normalisation. */
function staysInside(path: string): boolean {
  const normal = posix.normalize(path);
  return normal !== '..' && !normal.startsWith('../') && !posix.isAbsolute(normal);
}

/** Why an entry is unsafe to extract, or undefined when it is fine. */
export function unsafeReason(path: string, type: string, linkpath?: string): string | undefined {
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) return 'absolute path';
  if (path.split(/[\\/]/).includes('..')) return "path has a '..' component";
  if (!ALLOWED_TYPES.has(type)) return `entry type ${type} is not allowed`;
  if (type === 'SymbolicLink') {
    const target = linkpath ?? '';
    if (posix.isAbsolute(target) || !staysInside(posix.join(posix.dirname(path), target))) {
      return `symbolic link to '${target}' points outside the archive`;
    }
  }
  // Hard-link targets are archive-root relative.
  if (type === 'Link' && !staysInside(linkpath ?? '')) return `hard link to '${linkpath ?? ''}' points outside the archive`;
  return undefined;
}

/** Reads every header of the archive (no data written) and throws on the first unsafe entry. */
async function checkEntries(archive: string): Promise<number> {
  let count = 0;
  let problem: string | undefined;
  await tar.t({
    file: archive,
    strict: true,
    onReadEntry: (entry) => {
      count++;
      const reason = unsafeReason(entry.path, entry.type, entry.linkpath);
      if (reason !== undefined && problem === undefined) problem = `entry '${entry.path}': ${reason}`;
    },
  });
  if (problem !== undefined) {
    throw new ZeroshiftError('DATASET', `refusing archive ${archive}: ${problem}; nothing was extracted`);
  }
  return count;
}

/**
 * Extracts a tar or tar.gz (compression detected) into `dest`, streamed. Every header is
 * checked first, so an archive with one unsafe entry (absolute path, `..`, a link leading
 * outside, a device) is refused whole before anything is written. Returns the entry count.
 */
export async function extractTarSafe(archive: string, dest: string): Promise<number> {
  const count = await checkEntries(archive);
  await mkdir(dest, { recursive: true });
  try {
    // The tar package's own path checks stay on as a second line of defence.
    await tar.x({ file: archive, cwd: dest, strict: true, preserveOwner: false });
  } catch (e) {
    throw new ZeroshiftError('DATASET', `cannot extract ${archive}: ${(e as Error).message}`);
  }
  return count;
}
