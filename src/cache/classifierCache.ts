import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { diskFullReason, writeFileAtomic } from '../util/atomicWrite.js';
import type { Logger } from '../util/log.js';
import { CACHE_DIRS } from './layout.js';

/**
 * Cache of text classifiers ((C, D) float32, rows L2-normalised) keyed by a hash of the text
 * tower, tokenizer, class names, templates and ensembling rule. One file per classifier:
 * header (magic, C, D), payload, crc32; written atomically.
 */
const MAGIC = 0x5a53434c; // "ZSCL"

/** Why a classifier file's bytes are not a valid entry, or null when they are. */
export function classifierDamage(buf: Buffer): string | null {
  if (buf.length < 16 || buf.readUInt32LE(0) !== MAGIC) return 'is damaged (bad header)';
  const bytes = buf.readUInt32LE(4) * buf.readUInt32LE(8) * 4;
  if (buf.length !== 16 + bytes || crc32(buf.subarray(16)) !== buf.readUInt32LE(12)) return 'fails its checksum';
  return null;
}

export async function readClassifier(root: string, key: string, log: Logger): Promise<{ weights: Float32Array; rows: number; dim: number } | undefined> {
  const file = join(root, CACHE_DIRS.classifiers, `${key}.bin`);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    return undefined;
  }
  const damage = classifierDamage(buf);
  if (damage) {
    log.warn(`classifier cache entry ${file} ${damage}; recomputing it`);
    return undefined;
  }
  const rows = buf.readUInt32LE(4);
  const dim = buf.readUInt32LE(8);
  const weights = new Float32Array(rows * dim);
  new Uint8Array(weights.buffer).set(buf.subarray(16));
  return { weights, rows, dim };
}

/**
 * Stores a classifier. A full disk is told once through `log` and otherwise ignored: the cache
 * is an optimisation, and the run goes on with the classifier in memory.
 */
export async function writeClassifier(root: string, key: string, weights: Float32Array, rows: number, dim: number, log: Logger): Promise<void> {
  const payload = Buffer.from(weights.buffer, weights.byteOffset, rows * dim * 4);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(rows, 4);
  head.writeUInt32LE(dim, 8);
  head.writeUInt32LE(crc32(payload), 12);
  const file = join(root, CACHE_DIRS.classifiers, `${key}.bin`);
  try {
    await writeFileAtomic(file, Buffer.concat([head, payload]));
  } catch (e) {
    const full = diskFullReason(e);
    if (full === undefined) throw e;
    log.warn(`classifier cache: cannot write ${file}: ${full}; the run goes on without caching it (free space in --cache-dir)`);
  }
}
