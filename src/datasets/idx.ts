import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { ZeroshiftError } from '../errors.js';
import { readBytesAt, readRecords } from './records.js';

/** A parsed IDX header (LeCun's MNIST format): unsigned-byte data, big-endian int32 dims. */
export interface IdxHeader {
  path: string;
  gzip: boolean;
  dims: number[];
  /** Bytes before the data: 4 (magic) + 4 per dimension. */
  dataOffset: number;
}

const UBYTE = 0x08;

/** Decompressed bytes [0, n) of a gzip file, reading only as much as needed. */
async function gunzipPrefix(path: string, n: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let have = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      have += (c as Buffer).length;
      if (have >= n) break;
    }
  } catch (e) {
    throw new ZeroshiftError('DATASET', `${path}: not a readable gzip file (${(e as Error).message})`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

/** Reads and checks the header: magic 0x0000 08 NN with NN = `rank`, and the file long enough. */
export async function readIdxHeader(path: string, rank: number): Promise<IdxHeader> {
  const gzip = path.endsWith('.gz');
  const headerLen = 4 + 4 * rank;
  const head = gzip ? await gunzipPrefix(path, headerLen) : await readBytesAt(path, 0, headerLen);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = head.length >= 4 ? view.getUint32(0, false) : -1;
  const expected = (UBYTE << 8) | rank;
  if (magic !== expected || head.length < headerLen) {
    throw new ZeroshiftError('DATASET', `${path}: bad IDX magic 0x${magic.toString(16).padStart(8, '0')} (expected 0x${expected.toString(16).padStart(8, '0')}: unsigned bytes, ${rank} dimension${rank > 1 ? 's' : ''})`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (!gzip) {
    const need = headerLen + dims.reduce((a, b) => a * b, 1);
    const size = (await stat(path)).size;
    if (size !== need) throw new ZeroshiftError('DATASET', `${path}: ${size < need ? 'truncated: ' : ''}${size} bytes but the header (${dims.join('x')}) needs ${need} (data from byte offset ${headerLen})`);
  }
  return { path, gzip, dims, dataOffset: headerLen };
}

/** Streams records of `recordSize` bytes after the header; gzip files are decompressed as a stream. */
export async function* idxRecords(h: IdxHeader, recordSize: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const count = h.dims[0];
  if (!h.gzip) {
    for await (const r of readRecords(h.path, h.dataOffset, recordSize, 0, count, signal)) yield r.bytes;
    return;
  }
  let skip = h.dataOffset;
  // Chunks are gathered until a record is complete and joined once: joining the pending bytes
  // with every 64 KiB chunk is quadratic in the record size (minutes for one large record).
  let parts: Buffer[] = [];
  let have = 0;
  let emitted = 0;
  const stream = createReadStream(h.path, { signal }).pipe(createGunzip());
  try {
    for await (const c of stream) {
      let chunk = c as Buffer;
      if (skip > 0) {
        const drop = Math.min(skip, chunk.length);
        chunk = chunk.subarray(drop);
        skip -= drop;
      }
      if (chunk.length === 0) continue;
      parts.push(chunk);
      have += chunk.length;
      if (have < recordSize) continue;
      const pending = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
      let at = 0;
      for (; at + recordSize <= pending.length && emitted < count; at += recordSize, emitted++) yield pending.subarray(at, at + recordSize);
      const rest = Buffer.from(pending.subarray(at));
      parts = rest.length ? [rest] : [];
      have = rest.length;
      if (emitted >= count && have > 0) break; // trailing bytes: reported below, not accumulated
    }
  } catch (e) {
    if (e instanceof ZeroshiftError || (e as Error).name === 'AbortError') throw e;
    throw new ZeroshiftError('DATASET', `${h.path}: gzip data is damaged after record ${emitted} (${(e as Error).message})`);
  } finally {
    stream.destroy();
  }
  if (emitted < count || have > 0) {
    throw new ZeroshiftError('DATASET', `${h.path}: truncated or padded: decompressed data holds ${emitted} records of ${recordSize} bytes${have ? ` and ${have} stray bytes` : ''} (data from offset ${h.dataOffset} of the decompressed stream), header says ${count}`);
  }
}
