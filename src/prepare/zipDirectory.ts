import type { FileHandle } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  isDirectory: boolean;
  isSymlink: boolean;
  encrypted: boolean;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const MAX_U32 = 0xffffffff;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZeroshiftError('DATASET', 'zip field exceeds 2^53');
  return Number(v);
}

/** Locates the central directory (offset, size, count), following the ZIP64 records when present. */
async function findCentralDirectory(fh: FileHandle, fileSize: number, path: string): Promise<{ offset: number; size: number; count: number }> {
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const tailStart = Math.max(0, fileSize - 22 - 65535);
  const tail = await readAt(fh, tailStart, fileSize - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD_SIG) { at = i; break; }
  if (at < 0) throw new ZeroshiftError('DATASET', `${path} is not a zip file (no end of central directory record)`);
  let count = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  const locAt = at - 20;
  if (locAt >= 0 && tail.readUInt32LE(locAt) === ZIP64_LOCATOR_SIG) {
    const rec = await readAt(fh, u64(tail, locAt + 8), 56);
    if (rec.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ZeroshiftError('DATASET', `${path}: broken ZIP64 end record`);
    count = u64(rec, 32);
    size = u64(rec, 40);
    offset = u64(rec, 48);
  }
  return { offset, size, count };
}

/** Applies the ZIP64 extra field (id 1): 64-bit values replace the 0xFFFFFFFF placeholders in order. */
function applyZip64(extra: Buffer, e: ZipEntry): void {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 1) {
      let p = i + 4;
      if (e.size === MAX_U32) { e.size = u64(extra, p); p += 8; }
      if (e.compressedSize === MAX_U32) { e.compressedSize = u64(extra, p); p += 8; }
      if (e.localHeaderOffset === MAX_U32) e.localHeaderOffset = u64(extra, p);
    }
    i += 4 + len;
  }
}

function parseEntry(cd: Buffer, at: number): { entry: ZipEntry; next: number } {
  const nameLen = cd.readUInt16LE(at + 28);
  const extraLen = cd.readUInt16LE(at + 30);
  const commentLen = cd.readUInt16LE(at + 32);
  const flags = cd.readUInt16LE(at + 8);
  const unixMode = cd.readUInt32LE(at + 38) >>> 16;
  const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLen);
  const entry: ZipEntry = {
    name,
    method: cd.readUInt16LE(at + 10),
    crc32: cd.readUInt32LE(at + 16),
    compressedSize: cd.readUInt32LE(at + 20),
    size: cd.readUInt32LE(at + 24),
    localHeaderOffset: cd.readUInt32LE(at + 42),
    isDirectory: name.endsWith('/'),
    isSymlink: (unixMode & S_IFMT) === S_IFLNK,
    encrypted: (flags & 1) === 1,
  };
  applyZip64(cd.subarray(at + 46 + nameLen, at + 46 + nameLen + extraLen), entry);
  return { entry, next: at + 46 + nameLen + extraLen + commentLen };
}

/** Reads a zip's central directory (ZIP64 included) without touching the entry data. */
export async function readZipDirectory(fh: FileHandle, path: string): Promise<ZipEntry[]> {
  const { size: fileSize } = await fh.stat();
  const { offset, size, count } = await findCentralDirectory(fh, fileSize, path);
  const cd = await readAt(fh, offset, size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL_SIG) {
      throw new ZeroshiftError('DATASET', `${path}: central directory entry ${i} is damaged`);
    }
    const { entry, next } = parseEntry(cd, at);
    entries.push(entry);
    at = next;
  }
  return entries;
}
