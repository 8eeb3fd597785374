import type { Dataset, Sample, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { decodeImage } from '../image/decode.js';
import { applyShift } from '../shifts/registry.js';
import { cropBorder } from '../image/crop.js';
import { fileAliasKey, imageKey, sourceBytes, type PreCrop } from './imageKey.js';
import { mapLimit } from '../util/concurrency.js';

/** One embedded item's identity, in dataset order. */
export interface EmbeddedItem {
  id: string;
  label: number;
}

/** A batch of embedded items: row i of `embeddings` belongs to `items[i]`. */
export interface EmbeddedBatch {
  items: EmbeddedItem[];
  /** (N, D) L2-normalised, row-major, N = items.length. */
  embeddings: Float32Array;
}

/** How images are read and batched: one object, passed down from the run's settings. */
export interface StreamSettings {
  batchSize: number;
  /** Parallel decodes (sharp runs them on libuv's thread pool). */
  decodeConcurrency: number;
  exifRotate: boolean;
  limitInputPixels?: number;
  /** Files some shifts need (frost's photographs). */
  shiftAssets?: ShiftAssets;
}

export interface EmbedStreamOptions {
  dataset: Dataset;
  model: ClipModel;
  cache?: EmbeddingCache | null;
  settings: StreamSettings;
  shift: ShiftRequest | null;
  /** The scoring protocol's pre-crop, applied right after decoding (before the shift). */
  crop?: PreCrop;
  /** Only items with index in [start, end) (shards split large datasets by range). */
  range?: { start: number; end: number };
  signal?: AbortSignal;
  onSkip(item: SkippedItem): void;
  onBatch?(info: { done: number; computed: number; cached: number }): void;
}

interface Prepared {
  items: { sample: Sample; key: string; alias?: string | null; embedding?: Float32Array; slot?: number }[];
  /** Cache hits by content whose file alias is new: stored so the next run skips the read. */
  aliases: { key: string; embedding: Float32Array }[];
  pixels: Float32Array;
  misses: number;
}

/**
 * Chunks prepared ahead of the one in inference. ONNX Runtime's node binding runs a session
 * synchronously on the main thread, so file reads and sharp decodes only advance one step
 * (open, read, decode...) per gap between batches; several chunks in flight keep enough of
 * that native work queued for libuv's threads to stay busy while ORT holds the main thread.
 */
const PREFETCH_CHUNKS = 4;

/**
 * Streams a dataset through decode → shift → preprocess → batch → infer, reading cached
 * embeddings instead of inferring where possible. Up to PREFETCH_CHUNKS chunks are read and
 * decoded while the current one is in inference. Memory is bounded by PREFETCH_CHUNKS + 1 chunks.
 */
export async function* embedStream(opts: EmbedStreamOptions): AsyncGenerator<EmbeddedBatch> {
  const { batchSize } = opts.settings;
  const iterator = rangeFilter(opts.dataset.samples({ signal: opts.signal, onSkip: opts.onSkip }), opts.range)[Symbol.asyncIterator]();
  const counters = { done: 0, computed: 0, cached: 0 };
  const queue: Promise<Prepared | null>[] = [];
  // Chunks take their samples in turn, so the iterator is never read concurrently and order holds.
  let taking: Promise<Sample[]> = Promise.resolve([]);
  let exhausted = false;
  const enqueue = (): void => {
    const take = taking.then(() => takeSamples(iterator, batchSize));
    taking = take;
    const prepared = take.then((samples) => {
      if (samples.length < batchSize) exhausted = true;
      return samples.length === 0 ? null : prepareChunk(samples, opts);
    });
    // Awaited in order below; this only keeps a failure in a later chunk from being reported as unhandled first.
    prepared.catch(() => undefined);
    queue.push(prepared);
  };
  try {
    for (let i = 0; i < PREFETCH_CHUNKS; i++) enqueue();
    while (queue.length > 0) {
      const prepared = await queue.shift()!;
      if (!prepared || opts.signal?.aborted) break;
      if (!exhausted && !opts.signal?.aborted) enqueue();
      const out = await inferChunk(prepared, opts);
      counters.done += out.items.length;
      counters.computed += prepared.misses;
      counters.cached += prepared.items.length - prepared.misses;
      opts.onBatch?.({ ...counters });
      if (out.items.length > 0) yield out;
    }
  } finally {
    await Promise.all(queue.map((p) => p.catch(() => null)));
  }
}

async function takeSamples(iterator: AsyncIterator<Sample>, n: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  while (samples.length < n) {
    const r = await iterator.next();
    if (r.done) break;
    samples.push(r.value);
  }
  return samples;
}

async function* rangeFilter(samples: AsyncIterable<Sample>, range?: { start: number; end: number }): AsyncIterable<Sample> {
  let i = 0;
  for await (const s of samples) {
    if (range && i >= range.end) return;
    if (!range || i >= range.start) yield s;
    i++;
  }
}

async function prepareChunk(samples: Sample[], opts: EmbedStreamOptions): Promise<Prepared> {
  const [c, h, w] = [3, opts.model.preprocessor.cropSize.height, opts.model.preprocessor.cropSize.width];
  const plane = c * h * w;
  // Allocated on the first miss: a chunk served from the cache needs no pixel buffer.
  let pixelBuffer: Float32Array | null = null;
  let misses = 0;
  const aliases: Prepared['aliases'] = [];
  const { decodeConcurrency, exifRotate, limitInputPixels } = opts.settings;
  const items = await mapLimit(samples, decodeConcurrency, async (sample) => {
    try {
      const crop = opts.crop ?? null;
      const alias = opts.cache && sample.image.kind === 'path' ? fileAliasKey(sample.image.path, opts.shift, sample.id, crop) : null;
      const byAlias = alias ? await opts.cache!.get(alias) : undefined;
      if (byAlias) return { sample, key: alias!, embedding: byAlias };
      const bytes = await sourceBytes(sample.image);
      const key = imageKey(sample.image, bytes, opts.shift, sample.id, crop);
      const cached = await opts.cache?.get(key);
      if (cached) {
        if (alias) aliases.push({ key: alias, embedding: cached });
        return { sample, key, embedding: cached };
      }
      // Decode from the bytes already read for the key, so a file is read once.
      const source = sample.image.kind === 'path' && bytes ? { kind: 'bytes' as const, bytes, name: sample.image.path } : sample.image;
      const full = await decodeImage(source, { exifRotate, limitInputPixels });
      const decoded = crop ? cropBorder(full, crop.border, sample.id) : full;
      const shifted = opts.shift ? await applyShift(decoded, opts.shift, sample.id, opts.settings.shiftAssets) : decoded;
      const slot = misses++;
      const pixels = (pixelBuffer ??= new Float32Array(samples.length * plane));
      if (opts.model.preprocessInto) opts.model.preprocessInto(shifted, pixels, slot * plane);
      else pixels.set(opts.model.preprocess(shifted), slot * plane);
      return { sample, key, alias, slot };
    } catch (e) {
      opts.onSkip({ id: sample.id, reason: e instanceof Error ? e.message : String(e) });
      return null;
    }
  });
  return { items: items.filter((x): x is NonNullable<typeof x> => x !== null), aliases, pixels: (pixelBuffer as Float32Array | null)?.subarray(0, misses * plane) ?? new Float32Array(0), misses };
}

async function inferChunk(prepared: Prepared, opts: EmbedStreamOptions): Promise<EmbeddedBatch> {
  const dim = opts.model.info.embedDim;
  const embeddings = new Float32Array(prepared.items.length * dim);
  const computed = prepared.misses > 0 ? await opts.model.encodePixels(prepared.pixels, prepared.misses) : null;
  const fresh: { key: string; embedding: Float32Array }[] = [];
  prepared.items.forEach((item, row) => {
    if (item.slot === undefined) {
      embeddings.set(item.embedding!, row * dim);
      return;
    }
    // A copy: the cache's memory tier keeps entries, and a view would pin the whole batch buffer.
    const embedding = computed!.slice(item.slot * dim, (item.slot + 1) * dim);
    embeddings.set(embedding, row * dim);
    fresh.push({ key: item.key, embedding });
    if (item.alias) fresh.push({ key: item.alias, embedding });
  });
  if (fresh.length + prepared.aliases.length > 0) await opts.cache?.putMany([...fresh, ...prepared.aliases]);
  return { items: prepared.items.map((it) => ({ id: it.sample.id, label: it.sample.label })), embeddings };
}
