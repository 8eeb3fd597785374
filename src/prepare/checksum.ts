import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ZeroshiftError } from '../errors.js';
import type { Checksum } from './manifestSchema.js';

/** Digests of one file: always sha256 (recorded in markers), plus md5 when asked for. */
export interface FileDigests {
  sha256: string;
  md5?: string;
}

/** Hashes a file once, streamed, with sha256 and optionally md5. */
export async function digestFile(path: string, withMd5: boolean): Promise<FileDigests> {
  const sha = createHash('sha256');
  const md5 = withMd5 ? createHash('md5') : undefined;
  for await (const chunk of createReadStream(path)) {
    sha.update(chunk as Buffer);
    md5?.update(chunk as Buffer);
  }
  return { sha256: sha.digest('hex'), md5: md5?.digest('hex') };
}

/**
 * Verifies `path` against the published checksum (null: nothing to verify against).
 * Returns the digests; throws CHECKSUM naming the file, URL, expected and actual values.
 */
export async function verifyChecksum(path: string, expected: Checksum | null, url: string): Promise<FileDigests> {
  const digests = await digestFile(path, expected?.algorithm === 'md5');
  if (expected === null) return digests;
  const actual = expected.algorithm === 'md5' ? digests.md5 : digests.sha256;
  if (actual !== expected.value) {
    throw new ZeroshiftError(
      'CHECKSUM',
      `${url}: ${expected.algorithm} is ${actual}, expected ${expected.value} (source: ${expected.source}); the file was removed and nothing was extracted`,
      { hint: 'run prepare again; if it keeps failing the upstream file changed or a proxy altered it' },
    );
  }
  return digests;
}
