import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Parser, type ReadEntry } from 'tar';

/** One regular file of a tar archive, held in memory. The name is never used as a path. */
export interface TarFile {
  name: string;
  bytes: Uint8Array;
}

/** What reading a tar yields: files in archive order, then at most one `damaged` at the end. */
export type TarEvent = { kind: 'file'; file: TarFile } | { kind: 'damaged'; reason: string };

const TAR_BLOCK = 512;

/** Collects a regular file's bytes; other entry types (directories, links) are drained unread. */
function collect(entry: ReadEntry, done: (file: TarFile) => void): void {
  if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
    entry.resume();
    return;
  }
  const chunks: Buffer[] = [];
  entry.on('data', (c: Buffer) => chunks.push(c));
  entry.on('end', () => done({ name: entry.path, bytes: new Uint8Array(Buffer.concat(chunks)) }));
}

/**
 * Streams the regular files of an uncompressed tar without extracting anything to disk.
 * Memory holds one read chunk plus the files completed since the last yield. A damaged
 * archive (truncated, bad header checksum, not a tar) ends with one `damaged` event; files
 * completed before the damage are still yielded, the file being read when it hit is not.
 */
export async function* readTarEntries(path: string, signal?: AbortSignal): AsyncGenerator<TarEvent> {
  const ready: TarFile[] = [];
  let damage: string | null = null;
  const parser = new Parser({
    strict: false,
    onReadEntry: (entry) => collect(entry, (f) => {
      if (damage === null) ready.push(f);
    }),
    onwarn: (code, message) => {
      damage ??= `${code}: ${message}`;
    },
  });
  const finished = new Promise<void>((resolve) => parser.on('end', () => resolve()));
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
    parser.end();
    await finished;
  }
  yield* ready.splice(0).map((file) => ({ kind: 'file' as const, file }));
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
