import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Parser, type ReadEntry } from 'tar';

/** One regular file of a tar archive, held in memory. The name is never used as a path. */
export interface TarFile {
  name: string;
  /** Size from the tar header. */
  size: number;
  /** The content; empty when `unread` is set. */
  bytes: Uint8Array;
  /** Set when the content was streamed past without being kept: not wanted, or over the member limit. */
  unread?: 'unused' | 'too-large';
}

/**
 * Largest tar member read into memory (512 MiB). Images in real WebDataset shards are a few MB
 * (the largest ImageNet JPEG is under 20 MB); a PNG at the pixel limit compresses to less than
 * this. Raise it per dataset with `?max-member-size=BYTES`.
 */
export const DEFAULT_MAX_MEMBER_BYTES = 512 * 1024 * 1024;

export interface TarReadOptions {
  /** Members to read into memory, by name; the others are streamed past unread (default: all). */
  wanted?: (name: string) => boolean;
  /** Larger wanted members are streamed past and marked `too-large` (default DEFAULT_MAX_MEMBER_BYTES). */
  maxMemberBytes?: number;
}

/** What reading a tar yields: files in archive order, then at most one `damaged` at the end. */
export type TarEvent = { kind: 'file'; file: TarFile } | { kind: 'damaged'; reason: string };

const TAR_BLOCK = 512;

/**
 * Collects a regular file's bytes when it is wanted and within the limit; other entry types
 * (directories, links) are drained unread, and so are unwanted or oversized files, which are
 * reported without their content: a 4.4 GB `.mp4` member no longer has to fit in memory.
 */
function collect(entry: ReadEntry, options: Required<TarReadOptions>, done: (file: TarFile) => void): void {
  if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
    entry.resume();
    return;
  }
  const name = entry.path;
  const size = entry.size;
  const unread = !options.wanted(name) ? 'unused' : size > options.maxMemberBytes ? 'too-large' : undefined;
  if (unread !== undefined) {
    entry.on('end', () => done({ name, size, bytes: new Uint8Array(0), unread }));
    entry.resume();
    return;
  }
  const chunks: Buffer[] = [];
  entry.on('data', (c: Buffer) => chunks.push(c));
  entry.on('end', () => done({ name, size, bytes: new Uint8Array(Buffer.concat(chunks)) }));
}

/** gzip and zstd shards are decompressed by the parser; their file size says nothing about tar blocks. */
async function isCompressed(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    const gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    const zstd = bytesRead === 4 && head.readUInt32LE(0) === 0xfd2fb528;
    return gzip || zstd;
  } finally {
    await fh.close();
  }
}

/**
 * Streams the regular files of a tar (plain, gzip or zstd) without extracting anything to disk.
 * Memory holds one read chunk plus the wanted files completed since the last yield; unwanted
 * and oversized members are streamed past and yielded without content (see TarFile.unread). A
 * damaged archive (truncated, bad header checksum, not a tar, a broken gzip stream) ends with
 * one `damaged` event; files completed before the damage are still yielded, the file being read
 * when it hit is not.
 */
export async function* readTarEntries(path: string, signal?: AbortSignal, options: TarReadOptions = {}): AsyncGenerator<TarEvent> {
  const read: Required<TarReadOptions> = { wanted: options.wanted ?? (() => true), maxMemberBytes: options.maxMemberBytes ?? DEFAULT_MAX_MEMBER_BYTES };
  const ready: TarFile[] = [];
  let damage: string | null = null;
  const parser = new Parser({
    strict: false,
    onReadEntry: (entry) => collect(entry, read, (f) => {
      if (damage === null) ready.push(f);
    }),
    onwarn: (code, message) => {
      damage ??= `${code}: ${message}`;
    },
  });
  // A broken gzip stream aborts the parser ('abort', no 'end'), or throws from end().
  const finished = new Promise<void>((resolve) => {
    parser.on('end', () => resolve());
    parser.on('abort', () => resolve());
  });
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
  try {
    for await (const chunk of stream) {
      if (!parser.write(chunk as Buffer)) await new Promise<void>((r) => parser.once('drain', () => r()));
      yield* ready.splice(0).map((file) => ({ kind: 'file' as const, file }));
      if (damage !== null) break;
    }
  } finally {
    stream.destroy();
  }
  if (damage === null) {
    try {
      parser.end();
      await finished;
    } catch (e) {
      damage ??= (e as Error).message;
    }
  }
  yield* ready.splice(0).map((file) => ({ kind: 'file' as const, file }));
  // A compressed shard's integrity is the decompressor's (a cut gzip stream is a TAR_ABORT warning above).
  if (damage === null && (await isCompressed(path))) return;
  // A cut exactly inside a header block leaves no entry in progress, so the parser says nothing.
  const size = (await stat(path)).size;
  if (damage === null && size % TAR_BLOCK !== 0) damage = `truncated input (size ${size} is not a multiple of ${TAR_BLOCK})`;
  // A cut at a block boundary between entries leaves a well-formed prefix the parser accepts
  // as the whole archive; only the missing end-of-archive zero block tells it apart.
  if (damage === null && size >= TAR_BLOCK && !(await endsWithZeroBlock(path, size))) damage = 'truncated input (no end-of-archive zero block)';
  if (damage !== null) yield { kind: 'damaged', reason: damage };
}

async function endsWithZeroBlock(path: string, size: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const block = Buffer.alloc(TAR_BLOCK);
    await fh.read(block, 0, TAR_BLOCK, size - TAR_BLOCK);
    return block.every((b) => b === 0);
  } finally {
    await fh.close();
  }
}
