import type { Dataset, Sample, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { decodeImage } from '../image/decode.js';
import { applyShift } from '../shifts/registry.js';
import { imageKey, sourceBytes } from './imageKey.js';
import { mapLimit } from '../util/concurrency.js';

/** One embedded item, in dataset order. */
export interface EmbeddedItem {
  id: string;
  label: number;
  /** (D) L2-normalised. */
  embedding: Float32Array;
}

export interface EmbedStreamOptions {
  dataset: Dataset;
  model: ClipModel;
  cache?: EmbeddingCache;
  shift: ShiftRequest | null;
  batchSize: number;
  /** Parallel decodes (sharp runs them on libuv's thread pool). */
  decodeConcurrency: number;
  exifRotate: boolean;
  limitInputPixels?: number;
  /** Only items with index in [start, end) (shards split large datasets by range). */
  range?: { start: number; end: number };
  signal?: AbortSignal;
  onSkip(item: SkippedItem): void;
  onBatch?(info: { done: number; computed: number; cached: number }): void;
}

interface Prepared {
  items: { sample: Sample; key: string; embedding?: Float32Array; slot?: number }[];
  pixels: Float32Array;
  misses: number;
}

/**
 * Streams a dataset through decode → shift → preprocess → batch → infer, reading cached
 * embeddings instead of inferring where possible. The next chunk is decoded while the
 * current one is in inference, so decoding overlaps ORT. Memory is bounded by two chunks.
 */
export async function* embedStream(opts: EmbedStreamOptions): AsyncGenerator<EmbeddedItem[]> {
  const iterator = rangeFilter(opts.dataset.samples({ signal: opts.signal, onSkip: opts.onSkip }), opts.range)[Symbol.asyncIterator]();
  const counters = { done: 0, computed: 0, cached: 0 };
  let pending: Promise<Prepared | null> | null = prepareChunk(iterator, opts);
  while (pending) {
    const prepared = await pending;
    if (!prepared) break;
    pending = opts.signal?.aborted ? null : prepareChunk(iterator, opts);
    const out = await inferChunk(prepared, opts);
    counters.done += out.length;
    counters.computed += prepared.misses;
    counters.cached += prepared.items.length - prepared.misses;
    opts.onBatch?.({ ...counters });
    if (out.length > 0) yield out;
  }
  if (pending) await pending.catch(() => null);
}

async function* rangeFilter(samples: AsyncIterable<Sample>, range?: { start: number; end: number }): AsyncIterable<Sample> {
  let i = 0;
  for await (const s of samples) {
    if (range && i >= range.end) return;
    if (!range || i >= range.start) yield s;
    i++;
  }
}

async function prepareChunk(iterator: AsyncIterator<Sample>, opts: EmbedStreamOptions): Promise<Prepared | null> {
  const samples: Sample[] = [];
  while (samples.length < opts.batchSize) {
    const r = await iterator.next();
    if (r.done) break;
    samples.push(r.value);
  }
  if (samples.length === 0) return null;
  const [c, h, w] = [3, opts.model.preprocessor.cropSize.height, opts.model.preprocessor.cropSize.width];
  const plane = c * h * w;
  const pixels = new Float32Array(samples.length * plane);
  let misses = 0;
  const items = await mapLimit(samples, opts.decodeConcurrency, async (sample) => {
    try {
      const bytes = await sourceBytes(sample.image);
      const key = imageKey(sample.image, bytes, opts.shift, sample.id);
      const cached = await opts.cache?.get(key);
      if (cached) return { sample, key, embedding: cached };
      // Decode from the bytes already read for the key, so a file is read once.
      const source = sample.image.kind === 'path' && bytes ? { kind: 'bytes' as const, bytes, name: sample.image.path } : sample.image;
      const decoded = await decodeImage(source, { exifRotate: opts.exifRotate, limitInputPixels: opts.limitInputPixels });
      const shifted = opts.shift ? await applyShift(decoded, opts.shift, sample.id) : decoded;
      const slot = misses++;
      pixels.set(opts.model.preprocess(shifted), slot * plane);
      return { sample, key, slot };
    } catch (e) {
      opts.onSkip({ id: sample.id, reason: e instanceof Error ? e.message : String(e) });
      return null;
    }
  });
  return { items: items.filter((x): x is NonNullable<typeof x> => x !== null), pixels: pixels.subarray(0, misses * plane), misses };
}

async function inferChunk(prepared: Prepared, opts: EmbedStreamOptions): Promise<EmbeddedItem[]> {
  const dim = opts.model.info.embedDim;
  if (prepared.misses > 0) {
    const emb = await opts.model.encodePixels(prepared.pixels, prepared.misses);
    const fresh: { key: string; embedding: Float32Array }[] = [];
    for (const item of prepared.items) {
      if (item.slot === undefined) continue;
      item.embedding = emb.slice(item.slot * dim, (item.slot + 1) * dim);
      fresh.push({ key: item.key, embedding: item.embedding });
    }
    await opts.cache?.putMany(fresh);
  }
  return prepared.items.map((it) => ({ id: it.sample.id, label: it.sample.label, embedding: it.embedding! }));
}
