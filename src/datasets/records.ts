import { open } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';

/**
 * Reads fixed-size records [first, first + count) of a file that starts with `headerBytes`,
 * with positional reads of about 1 MiB, so memory stays bounded whatever the file size.
 * Each yielded record is a view into a reused buffer, valid until the next iteration.
 */
export async function* readRecords(
  path: string,
  headerBytes: number,
  recordSize: number,
  first: number,
  count: number,
  signal?: AbortSignal,
): AsyncGenerator<{ index: number; bytes: Uint8Array }> {
  const perRead = Math.max(1, Math.floor((1 << 20) / recordSize));
  const buffer = Buffer.alloc(perRead * recordSize);
  const fh = await open(path, 'r');
  try {
    for (let i = 0; i < count; i += perRead) {
      signal?.throwIfAborted();
      const n = Math.min(perRead, count - i);
      const want = n * recordSize;
      const { bytesRead } = await fh.read(buffer, 0, want, headerBytes + (first + i) * recordSize);
      if (bytesRead < want) {
        const record = first + i + Math.floor(bytesRead / recordSize);
        const offset = headerBytes + record * recordSize;
        throw new ZeroshiftError('DATASET', `${path}: truncated: record ${record} (byte offset ${offset}) needs ${recordSize} bytes, the file ends ${offset + recordSize - (headerBytes + (first + i) * recordSize + bytesRead)} bytes short`, {
          hint: 'the file changed or was cut short after it was opened; download or prepare it again',
        });
      }
      for (let k = 0; k < n; k++) yield { index: first + i + k, bytes: buffer.subarray(k * recordSize, (k + 1) * recordSize) };
    }
  } finally {
    await fh.close();
  }
}

/** Reads `length` bytes at `position` (fewer at end of file). */
export async function readBytesAt(path: string, position: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
