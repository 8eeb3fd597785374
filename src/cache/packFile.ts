import { open, readdir, mkdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Append-only pack files of fixed-size records: [key 32 bytes | payload | crc32 4 bytes].
 * Each writer process appends to a pack file of its own (pid + random name), so concurrent
 * runs and shards sharing one cache directory never interleave bytes in a file, and no lock
 * is needed. Readers index every pack in the directory. A record is durable once its batch
 * is fsync'd; a torn tail (SIGKILL mid-write) fails its length or crc check and is ignored.
 */
export const KEY_BYTES = 32;
export const PACK_MAGIC = Buffer.from('ZSPACK1\n');
const MAGIC = PACK_MAGIC;

export interface RecordLocation {
  file: string;
  offset: number;
}

/** A record slot that cannot be trusted: its checksum failed, or its pack's header is damaged. */
export interface DamagedRecord {
  file: string;
  offset: number;
  /** The key bytes as stored (hex); they may be damaged too. */
  key: string;
}

export interface PackScan {
  index: Map<string, RecordLocation>;
  /** Damaged records, one per record slot (a pack with a damaged header counts every slot). */
  corrupted: DamagedRecord[];
  /** Bytes at the end of a file too short for a record (torn write). */
  tornBytes: number;
  /** Pack files with a torn tail, and how many bytes it has. */
  torn: { file: string; bytes: number }[];
  /** Entries named `*.pack` that are not regular files (a directory): ignored. */
  notPacks: string[];
  /** Float32 payloads by key, when `memoryLimit` allowed keeping them; else null. */
  payloads: Map<string, Float32Array> | null;
}

/**
 * Distinct keys of damaged records that no valid record holds: the images a run must embed
 * again. A damaged key is counted as stored (it may be garbage; then it is counted too).
 */
export function lostEntries(scan: Pick<PackScan, 'index' | 'corrupted'>): number {
  return new Set(scan.corrupted.map((c) => c.key).filter((k) => !scan.index.has(k))).size;
}

/** Bytes of one record holding `payloadBytes`. */
export function recordSize(payloadBytes: number): number {
  return KEY_BYTES + payloadBytes + 4;
}

/**
 * Reads every `*.pack` in `dir` and indexes valid records by hex key. When the packs hold at
 * most `memoryLimit` bytes, the float32 payloads are kept too (the scan reads them anyway),
 * so lookups need no further I/O.
 */
export async function scanPacks(dir: string, payloadBytes: number, memoryLimit = 0): Promise<PackScan> {
  const scan: PackScan = { index: new Map(), corrupted: [], tornBytes: 0, torn: [], notPacks: [], payloads: null };
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.pack')).sort();
  } catch {
    scan.payloads = memoryLimit > 0 ? new Map() : null;
    return scan;
  }
  let total = 0;
  const packs: string[] = [];
  for (const name of names) {
    const s = await stat(join(dir, name));
    // A directory named like a pack (a damaged layout) was read as one: EISDIR, an internal error.
    if (!s.isFile()) {
      scan.notPacks.push(join(dir, name));
      continue;
    }
    packs.push(name);
    total += s.size;
  }
  names = packs;
  scan.payloads = total <= memoryLimit ? new Map() : null;
  for (const name of names) await scanOne(join(dir, name), payloadBytes, scan);
  return scan;
}

async function scanOne(file: string, payloadBytes: number, scan: PackScan): Promise<void> {
  const size = recordSize(payloadBytes);
  const fh = await open(file, 'r');
  try {
    const { size: total } = await fh.stat();
    const head = Buffer.alloc(MAGIC.length);
    await fh.read(head, 0, MAGIC.length, 0);
    // With a damaged header no record of the file is trusted: each slot counts as one damaged
    // record (it was counted as a single entry however many the pack held).
    const headerOk = head.equals(MAGIC);
    const chunkRecords = 4096;
    const buf = Buffer.alloc(size * chunkRecords);
    let offset = MAGIC.length;
    while (offset + size <= total) {
      const want = Math.min(chunkRecords, Math.floor((total - offset) / size));
      const { bytesRead } = await fh.read(buf, 0, want * size, offset);
      const got = Math.floor(bytesRead / size);
      for (let r = 0; r < got; r++) {
        const rec = buf.subarray(r * size, (r + 1) * size);
        const recOffset = offset + r * size;
        const key = rec.subarray(0, KEY_BYTES).toString('hex');
        if (!headerOk || crc32(rec.subarray(0, size - 4)) !== rec.readUInt32LE(size - 4)) {
          scan.corrupted.push({ file, offset: recOffset, key });
          continue;
        }
        scan.index.set(key, { file, offset: recOffset + KEY_BYTES });
        if (scan.payloads) {
          const payload = new Float32Array(payloadBytes / 4);
          new Uint8Array(payload.buffer).set(rec.subarray(KEY_BYTES, KEY_BYTES + payloadBytes));
          scan.payloads.set(key, payload);
        }
      }
      if (got === 0) break;
      offset += got * size;
    }
    // A file shorter than its header is torn too (killed before the header was written).
    const tail = total < MAGIC.length ? total : total - offset;
    scan.tornBytes += tail;
    if (tail > 0) scan.torn.push({ file, bytes: tail });
  } finally {
    await fh.close();
  }
}

/**
 * Writes all of `buf` at `position`. A positional write on a nearly full disk writes part of
 * the buffer and reports no error (the next record then went past a hole); the rest is written
 * until the file system reports its error (ENOSPC).
 */
async function writeFully(fh: FileHandle, buf: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < buf.length; ) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error(`no byte written at offset ${position + done}`), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Appends records to a pack file owned by this process. */
export class PackWriter {
  private fh?: FileHandle;
  private position = 0;
  readonly file: string;

  constructor(readonly dir: string, private readonly payloadBytes: number) {
    this.file = join(dir, `${process.pid}-${randomBytes(6).toString('hex')}.pack`);
  }

  /** Appends records (hex keys with payloads) and fsyncs; returns their locations. */
  async append(records: { key: string; payload: Uint8Array }[]): Promise<RecordLocation[]> {
    if (records.length === 0) return [];
    if (!this.fh) await this.openFile();
    const size = recordSize(this.payloadBytes);
    const buf = Buffer.alloc(size * records.length);
    const locations: RecordLocation[] = [];
    records.forEach((r, i) => {
      const rec = buf.subarray(i * size, (i + 1) * size);
      Buffer.from(r.key, 'hex').copy(rec, 0);
      Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength).copy(rec, KEY_BYTES);
      rec.writeUInt32LE(crc32(rec.subarray(0, size - 4)), size - 4);
      locations.push({ file: this.file, offset: this.position + i * size + KEY_BYTES });
    });
    try {
      await writeFully(this.fh!, buf, this.position);
      await this.fh!.sync();
    } catch (e) {
      await this.undo();
      throw e;
    }
    this.position += buf.length;
    return locations;
  }

  private async openFile(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.fh = await open(this.file, 'wx');
    try {
      await writeFully(this.fh, MAGIC, 0);
    } catch (e) {
      await this.undo();
      throw e;
    }
    this.position = MAGIC.length;
  }

  /**
   * After a failed write (a full disk): the pack goes back to its last complete record, and a
   * pack without one is removed, so the failure leaves nothing behind taking space.
   */
  private async undo(): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    if (this.position > MAGIC.length) {
      await fh.truncate(this.position).catch(() => undefined);
      return;
    }
    this.fh = undefined;
    await fh.close().catch(() => undefined);
    await unlink(this.file).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}
