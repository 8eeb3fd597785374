/**
 * Downloads one blob into `blobs/`: into `<etag>.incomplete` first (resumed with a Range
 * request after a cut), then verified — sha256 for LFS files, git-sha1 for regular files,
 * and the size — and only then renamed to `blobs/<etag>`. A file that fails verification is
 * deleted and never enters `blobs/` or `snapshots/`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ZeroshiftError, isZeroshiftError } from '../errors.js';
import { downloadResumable, type DownloadOptions } from '../prepare/download.js';
import type { RepoCache } from './cacheLayout.js';
import type { FileMeta } from './client.js';
import { withFileLock } from './lock.js';

/** sha256 (LFS) or git blob sha1 (`sha1("blob <size>\0" + bytes)`, regular files) of a file. */
export async function blobDigest(path: string, kind: 'sha256' | 'git-sha1'): Promise<string> {
  const h = createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  if (kind === 'git-sha1') h.update(`blob ${(await stat(path)).size}\0`);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** How the blob name of a file is computed: a 64-hex etag is a sha256, a 40-hex one a git-sha1. */
export function digestKind(etag: string): 'sha256' | 'git-sha1' {
  return etag.length === 64 ? 'sha256' : 'git-sha1';
}

export interface BlobFetchOptions {
  /** Request headers for the blob URL (the token only for the endpoint's own origin). */
  headers: Record<string, string>;
  download: Omit<DownloadOptions, 'headers'>;
  /** Called once when another process is downloading the same blob. */
  onWait?: () => void;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}

/**
 * Makes sure `blobs/<etag>` exists and is verified, downloading it if needed.
 * @returns true when this call downloaded it.
 * @throws ZeroshiftError('CHECKSUM') when the bytes do not match the etag or the size.
 */
export async function fetchBlob(cache: RepoCache, meta: FileMeta, path: string, options: BlobFetchOptions): Promise<boolean> {
  const blob = cache.blobPath(meta.etag);
  if (existsSync(blob)) return false;
  await mkdir(dirname(blob), { recursive: true });
  return withFileLock(cache.lockPath(meta.etag), async () => {
    if (existsSync(blob)) return false; // another process finished it while we waited
    const part = cache.incompletePath(meta.etag);
    // A partial file longer than the blob cannot be a prefix of it.
    if ((await sizeOf(part)) > meta.size) await unlink(part);
    try {
      // Never more than the announced size reaches the disk (an endless body filled .incomplete).
      await downloadResumable(meta.url, part, {
        ...options.download,
        headers: options.headers,
        knownSize: meta.size,
        knownSizeSource: `announced by the Hub's ${meta.lfs ? 'X-Linked-Size' : 'Content-Length'}`,
        stallAdvice: 'run the same command again to resume from the bytes received',
      });
    } catch (e) {
      if (isZeroshiftError(e) && e.code === 'NETWORK') {
        throw new ZeroshiftError('NETWORK', `hf:${cache.repo}: download of ${path} failed: ${e.message}`, {
          hint: `run the command again to resume: the ${await sizeOf(part)} bytes received are kept in ${part}`,
        });
      }
      throw e;
    }
    await verify(part, meta, `hf:${cache.repo} ${path}`);
    await rename(part, blob);
    return true;
  }, { onWait: options.onWait, signal: options.download.signal });
}

async function verify(part: string, meta: FileMeta, what: string): Promise<void> {
  const size = await sizeOf(part);
  const kind = digestKind(meta.etag);
  const actual = size === meta.size ? await blobDigest(part, kind) : undefined;
  if (actual === meta.etag) return;
  await unlink(part).catch(() => undefined);
  const found = actual === undefined ? `${size} bytes, expected ${meta.size}` : `${kind} ${actual}, expected ${meta.etag}`;
  throw new ZeroshiftError('CHECKSUM', `${what}: downloaded file does not match the Hub's ${meta.lfs ? 'X-Linked-Etag' : 'ETag'} (${found}); it was deleted and not placed in the cache`, {
    hint: 'run again to download it afresh; if it keeps failing, a proxy or mirror (HF_ENDPOINT) is altering the file',
  });
}
