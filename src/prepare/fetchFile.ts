import { existsSync } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { verifyChecksum } from './checksum.js';
import { downloadResumable, type DownloadOptions } from './download.js';
import type { Checksum } from './manifestSchema.js';
import type { MarkerFile } from './marker.js';

/** One file to fetch into the download area. */
export interface FetchRequest {
  url: string;
  fileName: string;
  checksum: Checksum | null;
  /** Published size in bytes; the download stops there (null or absent: the unknown-size cap). */
  size?: number | null;
}

export interface FetchOptions extends DownloadOptions {
  /** Download area (`<data-dir>/.downloads`). */
  downloadDir: string;
  trustUnverified: boolean;
}

/** A verified (or knowingly trusted) file in the download area. */
export interface FetchedFile {
  path: string;
  record: MarkerFile;
}

async function checkedExisting(path: string, req: FetchRequest): Promise<FetchedFile | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const d = await verifyChecksum(path, req.checksum, req.url);
    return { path, record: { name: req.fileName, url: req.url, ...d, verified: req.checksum !== null } };
  } catch {
    await unlink(path).catch(() => undefined);
    return undefined;
  }
}

/**
 * Downloads one file (resuming a `.part`), verifies it against its published checksum before
 * anything uses it, and moves it to `<downloadDir>/<fileName>`. A mismatch removes the file
 * and throws CHECKSUM. A file without a published checksum is kept as `.unverified` and
 * refused (CHECKSUM, printing its sha256) unless `trustUnverified`.
 */
export async function fetchVerified(req: FetchRequest, options: FetchOptions): Promise<FetchedFile> {
  await mkdir(options.downloadDir, { recursive: true });
  const final = join(options.downloadDir, req.fileName);
  const part = `${final}.part`;
  const unverified = `${final}.unverified`;
  // A file placed by hand without a published checksum goes through the same refusal.
  if (req.checksum === null && !options.trustUnverified && existsSync(final)) await rename(final, unverified);
  const existing = await checkedExisting(final, req);
  if (existing) return existing;
  if (req.checksum === null && existsSync(unverified)) await rename(unverified, part);
  else await downloadResumable(req.url, part, { ...options, knownSize: req.size ?? null });
  let digests;
  try {
    digests = await verifyChecksum(part, req.checksum, req.url);
  } catch (e) {
    await unlink(part).catch(() => undefined);
    throw e;
  }
  if (req.checksum === null && !options.trustUnverified) {
    await rename(part, unverified);
    throw new ZeroshiftError(
      'CHECKSUM',
      `${req.url} has no published checksum; the downloaded file has sha256 ${digests.sha256} and was not used`,
      { hint: 'compare that sha256 with a trusted source, then run again with --trust-unverified (the file is kept, no second download)' },
    );
  }
  await rename(part, final);
  return { path: final, record: { name: req.fileName, url: req.url, ...digests, verified: req.checksum !== null } };
}
