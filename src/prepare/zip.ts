import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { ZeroshiftError } from '../errors.js';
import { unsafeReason } from './safeTar.js';
import { readZipDirectory, type ZipEntry } from './zipDirectory.js';

const LOCAL_SIG = 0x04034b50;

function entryProblem(e: ZipEntry): string | undefined {
  if (e.encrypted) return 'it is encrypted (unzip it yourself with the password)';
  if (e.isSymlink) return 'symbolic links are not allowed in zip archives';
  if (e.method !== 0 && e.method !== 8) return `compression method ${e.method} is not supported (only stored and deflate)`;
  return unsafeReason(e.name, e.isDirectory ? 'Directory' : 'File');
}

/** Start of an entry's data: after its local header, whose name/extra lengths may differ from the central ones. */
async function dataOffset(fh: FileHandle, e: ZipEntry, path: string): Promise<number> {
  const head = Buffer.alloc(30);
  await fh.read(head, 0, 30, e.localHeaderOffset);
  if (head.readUInt32LE(0) !== LOCAL_SIG) throw new ZeroshiftError('DATASET', `${path}: local header of '${e.name}' is damaged`);
  return e.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
}

/** A pass-through that computes CRC-32 and counts bytes. */
function checker(): Transform & { crc: number; bytes: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.crc = crc32(chunk, t.crc);
      t.bytes += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { crc: number; bytes: number };
  t.crc = 0;
  t.bytes = 0;
  return t;
}

async function extractEntry(fh: FileHandle, archive: string, e: ZipEntry, dest: string): Promise<void> {
  const target = join(dest, e.name);
  if (e.isDirectory) return void (await mkdir(target, { recursive: true }));
  await mkdir(dirname(target), { recursive: true });
  const start = await dataOffset(fh, e, archive);
  const check = checker();
  const source = createReadStream(archive, { start, end: start + e.compressedSize - 1 });
  const out = createWriteStream(target);
  if (e.compressedSize === 0) await pipeline(source, check, out);
  else if (e.method === 8) await pipeline(source, createInflateRaw(), check, out);
  else await pipeline(source, check, out);
  if (check.bytes !== e.size || check.crc >>> 0 !== e.crc32) {
    throw new ZeroshiftError('DATASET', `${archive}: entry '${e.name}' is corrupt (size or CRC-32 mismatch)`);
  }
}

/**
 * Extracts a zip (ZIP64 included; stored or deflate entries) into `dest`, streaming each
 * entry through inflateRaw. The whole central directory is checked first; an archive with
 * an unsafe entry (absolute path, `..`, symlink, encryption) is refused before anything is
 * written. Every entry's CRC-32 and size are verified. Returns the entry count.
 */
export async function extractZipSafe(archive: string, dest: string): Promise<number> {
  const fh = await open(archive, 'r');
  try {
    const entries = await readZipDirectory(fh, archive);
    for (const e of entries) {
      const problem = entryProblem(e);
      if (problem !== undefined) {
        throw new ZeroshiftError('DATASET', `refusing archive ${archive}: entry '${e.name}': ${problem}; nothing was extracted`);
      }
    }
    await mkdir(dest, { recursive: true });
    for (const e of entries) await extractEntry(fh, archive, e, dest);
    return entries.length;
  } finally {
    await fh.close();
  }
}
