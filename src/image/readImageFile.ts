import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';

/**
 * Largest image file read (2 GiB - 1, Node's largest Buffer): an uncompressed TIFF at the pixel
 * limit is about 537 MB, so no real image comes near it. It bounds what a sparse file can cost.
 */
export const MAX_IMAGE_FILE_BYTES = 2 ** 31 - 1;

/**
 * Seconds one image read may take before the item is skipped. A hung network file system
 * otherwise blocks the run forever; a healthy disk reads even a 500 MB TIFF well within it.
 */
export const DEFAULT_READ_TIMEOUT_S = 120;

export interface ReadImageOptions {
  /** Abandon the read (the item is skipped) after this many seconds. */
  timeoutS?: number;
  signal?: AbortSignal;
}

/**
 * The file's bytes as of its fstat size, in one read call for a regular file (FileHandle.readFile
 * would fstat again first). Size 0 reads to end of file, as files in /proc report 0.
 */
async function readSized(fh: FileHandle, size: number): Promise<Uint8Array> {
  if (size === 0) return fh.readFile();
  const buf = Buffer.allocUnsafeSlow(size);
  let n = 0;
  while (n < size) {
    const { bytesRead } = await fh.read(buf, n, size - n, null);
    if (bytesRead === 0) return buf.subarray(0, n);
    n += bytesRead;
  }
  return buf;
}

function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a file';
}

/**
 * Reads an image file whole. Opened non-blocking and checked with fstat first: a FIFO named
 * like an image (which would block open() forever, with signals unable to end the run) or a
 * device such as /dev/zero (endless) is refused without reading. The read has a timeout and
 * honours `signal`, so a stuck file system skips the item instead of hanging the run.
 * @throws ZeroshiftError('IMAGE') naming the file; callers skip the item.
 */
export async function readImageFile(path: string, options: ReadImageOptions = {}): Promise<Uint8Array> {
  const timeoutS = options.timeoutS ?? DEFAULT_READ_TIMEOUT_S;
  options.signal?.throwIfAborted();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ZeroshiftError('IMAGE', `${path}: read did not finish within ${timeoutS} s (a stalled file system?); skipped`)), timeoutS * 1000);
    timer.unref();
    onAbort = () => reject(options.signal!.reason instanceof Error ? options.signal!.reason : new ZeroshiftError('INTERRUPTED', 'interrupted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  stop.catch(() => undefined);
  const work = (async () => {
    let fh;
    try {
      fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ZeroshiftError('IMAGE', code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${code ?? String(e)})`);
    }
    try {
      const s = await fh.stat();
      if (!s.isFile()) throw new ZeroshiftError('IMAGE', `${path}: not a regular file (${kindOf(s)}); skipped without reading`);
      if (s.size > MAX_IMAGE_FILE_BYTES) throw new ZeroshiftError('IMAGE', `${path}: ${s.size} bytes, over the ${MAX_IMAGE_FILE_BYTES}-byte image file limit`);
      return await readSized(fh, s.size);
    } catch (e) {
      if (e instanceof ZeroshiftError) throw e;
      throw new ZeroshiftError('IMAGE', `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    } finally {
      await fh.close();
    }
  })();
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    work.catch(() => undefined);
  }
}
