import type { Dataset, Sample, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { PreCrop } from './imageKey.js';
import { prepareChunk } from './decodeChunk.js';
import { inferChunk, releaseChunk, startShifts, type PixelSettings } from './inferChunk.js';
import type { EmbeddedBatch, EmbeddedItem, PreparedChunk, StreamLane } from './lanes.js';
import type { PixelPool } from './pixelPool.js';
import { BatchBuffers } from './batchBuffers.js';

export type { EmbeddedBatch, EmbeddedItem, StreamLane };

/** How images are read and batched: one object, passed down from the run's settings. */
export interface StreamSettings {
  batchSize: number;
  /** Parallel decodes (sharp runs them on libuv's thread pool). */
  decodeConcurrency: number;
  exifRotate: boolean;
  limitInputPixels?: number;
  /** Files some shifts need (frost's photographs). */
  shiftAssets?: ShiftAssets;
  /**
   * Decode workers (`--decode-workers`): decode, shift and preprocess run there while this
   * thread infers. Absent, all of it runs here (sharp's decodes on libuv's threads).
   */
  pixelPool?: PixelPool;
}

/** Per-lane counts after each chunk, parallel to the lanes. */
export interface LaneCounts {
  /** Samples taken from the dataset so far. */
  samples: number;
  done: number[];
  computed: number[];
  cached: number[];
}

export interface EmbedLanesOptions {
  dataset: Dataset;
  /** The consumers: every (model, shift) that needs this dataset's images. */
  lanes: readonly StreamLane[];
  settings: StreamSettings;
  /** The scoring protocol's pre-crop, applied right after decoding (before the shift). */
  crop?: PreCrop;
  /** Only items with index in [start, end) (shards split large datasets by range). */
  range?: { start: number; end: number };
  signal?: AbortSignal;
  /** An item left out: `lane` undefined = by the dataset itself, so in every lane. */
  onSkip(lane: number | undefined, item: SkippedItem): void;
  /** After each lane's inference and after each chunk: counts so far, never going back. */
  onBatch?(info: LaneCounts): void;
}

export interface EmbedStreamOptions {
  dataset: Dataset;
  model: ClipModel;
  cache?: EmbeddingCache | null;
  settings: StreamSettings;
  shift: ShiftRequest | null;
  crop?: PreCrop;
  range?: { start: number; end: number };
  signal?: AbortSignal;
  onSkip(item: SkippedItem): void;
  onBatch?(info: { done: number; computed: number; cached: number }): void;
}

/**
 * Chunks prepared ahead of the one in inference. ONNX Runtime's node binding runs a session
 * synchronously on the main thread, so file reads and sharp decodes only advance one step
 * (open, read, decode...) per gap between batches; several chunks in flight keep enough of
 * that native work queued for libuv's threads to stay busy while ORT holds the main thread.
 */
const PREFETCH_CHUNKS = 4;

/**
 * Streams a dataset once for several lanes (models × shifts): each image is read and decoded
 * once for every lane that misses the cache, shifted once per shift and preprocessed once per
 * (shift, preprocessor config), then inferred by each lane's model. Yields, per chunk of
 * `batchSize` samples, one batch per lane (parallel to `lanes`; a lane's batch may be empty).
 * Memory: decoded images of PREFETCH_CHUNKS + 1 chunks, plus one shift's pixels of one chunk.
 */
export async function* embedLanes(opts: EmbedLanesOptions): AsyncGenerator<EmbeddedBatch[]> {
  const { batchSize } = opts.settings;
  const lanes = opts.lanes;
  // Workers preprocess with preprocessImage(model.preprocessor): only models built that way (loadModel's) can use them.
  const pool = lanes.every((l) => l.model.preprocessInto) ? opts.settings.pixelPool : undefined;
  // Inference inputs are reused chunk to chunk (a fresh 19 MB ViT-B/32 batch costs ~80 ms of page faults).
  const settings: StreamSettings & PixelSettings = { ...opts.settings, pixelPool: pool, batchBuffers: new BatchBuffers() };
  // Enough decoded chunks ahead that every worker has a chunk's first shift to work on.
  const prefetch = Math.max(PREFETCH_CHUNKS, (pool?.size ?? 0) + 1);
  const iterator = rangeFilter(opts.dataset.samples({ signal: opts.signal, onSkip: (s) => opts.onSkip(undefined, s) }), opts.range)[Symbol.asyncIterator]();
  const counts: LaneCounts = { samples: 0, done: lanes.map(() => 0), computed: lanes.map(() => 0), cached: lanes.map(() => 0) };
  const queue: Promise<{ chunk: PreparedChunk; taken: number } | null>[] = [];
  // Chunks take their samples in turn, so the iterator is never read concurrently and order holds.
  let taking: Promise<Sample[]> = Promise.resolve([]);
  let exhausted = false;
  const enqueue = (): void => {
    const take = taking.then(() => takeSamples(iterator, batchSize));
    taking = take;
    const prepared = take.then(async (samples) => {
      if (samples.length < batchSize) exhausted = true;
      if (samples.length === 0) return null;
      const chunk = await prepareChunk(samples, lanes, opts.crop ?? null, settings);
      if (pool) startShifts(chunk, lanes, settings, 1);
      return { chunk, taken: samples.length };
    });
    // Awaited in order below; this only keeps a failure in a later chunk from being reported as unhandled first.
    prepared.catch(() => undefined);
    queue.push(prepared);
  };
  // The previous chunk's cache writes: they run while the next chunk infers (see storeAfter).
  let writing: Promise<void> | undefined;
  let failed = false;
  try {
    for (let i = 0; i < prefetch; i++) enqueue();
    while (queue.length > 0) {
      const prepared = await queue.shift()!;
      if (prepared && opts.signal?.aborted) releaseChunk(prepared.chunk, settings);
      if (!prepared || opts.signal?.aborted) break;
      if (!exhausted && !opts.signal?.aborted) enqueue();
      for (const s of prepared.chunk.skips) opts.onSkip(s.lane, s.item);
      const snapshot = (): LaneCounts => ({ samples: counts.samples, done: [...counts.done], computed: [...counts.computed], cached: [...counts.cached] });
      // Counted as each lane's inference finishes: a chunk of many lanes (182 in the default
      // suite) takes minutes, and progress must move inside it.
      const inferred = await inferChunk(prepared.chunk, lanes, settings, opts.onSkip, {
        signal: opts.signal,
        onInferred: (l, n) => {
          counts.done[l] += n;
          counts.computed[l] += n;
          opts.onBatch?.(snapshot());
        },
        after: writing,
      });
      // Stopped part-way: its computed embeddings are cached, its samples are not scored.
      if (!inferred) break;
      // The previous chunk's writes had this chunk's inference to finish; a failure shows here.
      await writing;
      writing = inferred.writes;
      writing.catch(() => undefined);
      counts.samples += prepared.taken;
      inferred.batches.forEach((b, l) => {
        const cached = b.items.length - inferred.computed[l];
        counts.done[l] += cached;
        counts.cached[l] += cached;
      });
      opts.onBatch?.(snapshot());
      yield inferred.batches;
    }
    // Every computed embedding is durable in its cache before the stream ends.
    await writing;
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // A stream left early (a stop, the consumer's break) still finishes its writes; while
    // another error is on its way, a write failure does not replace it.
    try {
      await writing;
    } catch (e) {
      if (!failed) throw e;
    }
    // Chunks decoded ahead but never consumed (a stop, an error) free their worker's images.
    for (const p of await Promise.all(queue.map((p) => p.catch(() => null)))) if (p) releaseChunk(p.chunk, settings);
  }
}

/**
 * Streams a dataset through decode → shift → preprocess → batch → infer for one model: the
 * single-lane case of `embedLanes`, reading cached embeddings instead of inferring where possible.
 */
export async function* embedStream(opts: EmbedStreamOptions): AsyncGenerator<EmbeddedBatch> {
  for await (const [batch] of embedLanes({
    dataset: opts.dataset, lanes: [{ model: opts.model, cache: opts.cache, shift: opts.shift }], settings: opts.settings,
    crop: opts.crop, range: opts.range, signal: opts.signal,
    onSkip: (_lane, item) => opts.onSkip(item),
    onBatch: opts.onBatch ? (c) => opts.onBatch!({ done: c.done[0], computed: c.computed[0], cached: c.cached[0] }) : undefined,
  })) {
    if (batch.items.length > 0) yield batch;
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
