import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { scanPacks, lostEntries, PackWriter, type RecordLocation } from './packFile.js';
import { diskFullReason } from '../util/atomicWrite.js';
import { hashValue } from '../util/hash.js';
import type { Logger } from '../util/log.js';
import { CACHE_DIRS, checkCacheLayout } from './layout.js';

/** What makes image embeddings comparable: change any of these and entries are not reused. */
export interface ImageNamespace {
  visionModelHash: string;
  preprocessorHash: string;
  /** Decoding choices that change pixels (EXIF rotation, decoder version). */
  decode: Record<string, unknown>;
  embedDim: number;
  /** Present when not the CPU (so CPU namespaces keep their directories): CUDA embeddings differ. */
  executionProvider?: 'cuda';
}

/** What makes text embeddings comparable: the text tower, its tokenizer and context length. */
export interface TextNamespace {
  kind: 'text';
  textModelHash: string;
  tokenizerHash: string;
  contextLength: number;
  embedDim: number;
  /** Present when not the CPU, as for images. */
  executionProvider?: 'cuda';
}

/** Counters for the run summary and results. */
export interface CacheStats {
  hits: number;
  misses: number;
  corrupted: number;
}

/**
 * Embeddings are kept in memory when a namespace's packs hold at most this many payload
 * bytes (50,000 ViT-B/32 embeddings are 100 MB); larger caches are read per entry from disk.
 */
const IN_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;

/**
 * Content-addressed image-embedding cache: one directory per namespace (hash of model,
 * preprocessing, decoding), holding append-only pack files of (key → (D) float32 L2-normalised
 * embedding). Keys are sha256 of the image bytes plus the shift applied (see embed/imageKey.ts).
 */
export class EmbeddingCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, corrupted: 0 };
  private readonly handles = new Map<string, FileHandle>();
  private writer?: PackWriter;
  /** Why new embeddings are no longer written (a full disk), once that happened. */
  private writesOff?: string;

  private constructor(
    readonly dir: string,
    private readonly log: Logger,
    private readonly dim: number,
    private readonly index: Map<string, RecordLocation>,
    /** Payloads by key, when the namespace is small enough to hold in memory. */
    private readonly memory: Map<string, Float32Array> | null,
  ) {}

  /**
   * Opens (scanning existing packs) the namespace directory under `root`.
   * @throws ZeroshiftError('INPUT') when the cache layout is damaged (a file where a directory belongs).
   */
  static async open(root: string, ns: ImageNamespace | TextNamespace, log: Logger): Promise<EmbeddingCache> {
    await checkCacheLayout(root);
    const dir = join(root, 'kind' in ns ? CACHE_DIRS.texts : CACHE_DIRS.images, hashValue(ns).slice(0, 32));
    const scan = await scanPacks(dir, ns.embedDim * 4, IN_MEMORY_LIMIT_BYTES);
    const cache = new EmbeddingCache(dir, log, ns.embedDim, scan.index, scan.payloads);
    cache.stats.corrupted = scan.corrupted.length;
    for (const p of scan.notPacks) log.warn(`embedding cache: ${p} is not a pack file (a directory or special file); ignored`);
    if (scan.corrupted.length > 0) {
      // Damaged records stay in their packs until compacted; once recomputed they are not lost.
      const lost = lostEntries(scan);
      const n = scan.corrupted.length;
      // Once every damaged image was recomputed (a valid copy in another record), only the
      // damaged bytes remain: saying "will be recomputed" then was untrue on every later run.
      const what = lost > 0
        ? `${lost} image${lost === 1 ? '' : 's'} not cached elsewhere will be recomputed; run 'zeroshift cache compact' to drop them`
        : `their images were recomputed since and are cached; run 'zeroshift cache compact' to drop the damaged records`;
      log.warn(`embedding cache ${dir}: ${n} corrupted record${n === 1 ? '' : 's'} ignored; ${what}`);
    }
    return cache;
  }

  get size(): number {
    return this.index.size;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** Reads the (D) embedding for `key`, or undefined. */
  async get(key: string): Promise<Float32Array | undefined> {
    const inMemory = this.memory?.get(key);
    if (inMemory) {
      this.stats.hits++;
      return inMemory;
    }
    const loc = this.index.get(key);
    if (!loc) {
      this.stats.misses++;
      return undefined;
    }
    const fh = await this.handle(loc.file);
    const out = new Float32Array(this.dim);
    await fh.read(new Uint8Array(out.buffer), 0, this.dim * 4, loc.offset);
    this.stats.hits++;
    return out;
  }

  /** Stores embeddings durably (one fsync per call: call it per batch). */
  async putMany(entries: { key: string; embedding: Float32Array }[]): Promise<void> {
    // A set, not findIndex: a chunk of many lanes puts thousands of entries at once.
    const seen = new Set<string>();
    const fresh = entries.filter((e) => !this.index.has(e.key) && !seen.has(e.key) && seen.add(e.key) !== undefined);
    if (fresh.length === 0 || this.writesOff !== undefined) return;
    this.writer ??= new PackWriter(this.dir, this.dim * 4);
    let locations: RecordLocation[];
    try {
      locations = await this.writer.append(fresh.map((e) => ({ key: e.key, payload: new Uint8Array(e.embedding.buffer, e.embedding.byteOffset, this.dim * 4) })));
    } catch (e) {
      // The cache is an optimisation: a full disk stops caching, not the run (whose results
      // go to --out). The writer has already removed what it could not finish.
      const full = diskFullReason(e);
      if (full === undefined) throw e;
      this.writesOff = full;
      this.log.warn(`embedding cache ${this.dir}: ${full}; this run goes on without caching new embeddings (free space in --cache-dir, or pass --no-cache, to silence this)`);
      return;
    }
    fresh.forEach((e, i) => {
      this.index.set(e.key, locations[i]);
      this.memory?.set(e.key, e.embedding);
    });
  }

  private async handle(file: string): Promise<FileHandle> {
    let fh = this.handles.get(file);
    if (!fh) {
      fh = await open(file, 'r');
      this.handles.set(file, fh);
    }
    return fh;
  }

  async close(): Promise<void> {
    await this.writer?.close();
    for (const fh of this.handles.values()) await fh.close();
    this.handles.clear();
  }
}
