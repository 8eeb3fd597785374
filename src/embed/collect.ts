import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { embedStream } from './embedStream.js';
import type { PixelPool } from './pixelPool.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import { ZeroshiftError } from '../errors.js';

/** Image embeddings of a whole dataset, in dataset order. */
export interface EmbeddedSet {
  ids: string[];
  /** (N,) labels (−1 for captioned items). */
  labels: Int32Array;
  /** (N, D) L2-normalised, row-major. */
  x: Float32Array;
  dim: number;
  skipped: SkippedItem[];
  computed: number;
  cached: number;
}

export interface CollectOptions {
  model: ClipModel;
  cache: EmbeddingCache | null;
  batchSize: number;
  decodeConcurrency: number;
  exifRotate: boolean;
  /** Decode workers (`--decode-workers`), shared by every dataset of the run. */
  pixelPool?: PixelPool;
  /** The corruption applied to every image (absent = none). */
  shift?: ShiftRequest | null;
  /** Files some shifts need (frost's photographs). */
  shiftAssets?: ShiftAssets;
  /** Once tripped, the pass stops after its batch and throws INTERRUPTED (what it embedded stays in the cache). */
  signal?: AbortSignal;
  /** After each batch: items done, the dataset's size, and how many were embedded or read from the cache so far. */
  onProgress?(done: number, total?: number, counts?: { computed: number; cached: number }): void;
}

/**
 * Streams `dataset` through the one embed path (cache, decode, preprocess, infer) and keeps every
 * embedding. Throws INTERRUPTED when `signal` stopped the stream: a part of a dataset is never
 * returned as the whole (a probe fitted on it would be a different probe).
 */
export async function collectImageEmbeddings(dataset: Dataset, o: CollectOptions): Promise<EmbeddedSet> {
  const dim = o.model.info.embedDim;
  const ids: string[] = [];
  const labels: number[] = [];
  const chunks: Float32Array[] = [];
  const skipped: SkippedItem[] = [];
  let computed = 0;
  let cached = 0;
  for await (const batch of embedStream({
    dataset, model: o.model, cache: o.cache, shift: o.shift ?? null, signal: o.signal,
    settings: { batchSize: o.batchSize, decodeConcurrency: o.decodeConcurrency, exifRotate: o.exifRotate, pixelPool: o.pixelPool, shiftAssets: o.shiftAssets },
    onSkip: (s) => skipped.push(s),
    onBatch: (info) => {
      computed = info.computed;
      cached = info.cached;
      o.onProgress?.(info.done, dataset.size, { computed, cached });
    },
  })) {
    for (const item of batch.items) {
      ids.push(item.id);
      labels.push(item.label);
    }
    chunks.push(batch.embeddings);
  }
  if (o.signal?.aborted) throw new ZeroshiftError('INTERRUPTED', `stopped during ${dataset.name}`);
  const x = new Float32Array(ids.length * dim);
  let row = 0;
  for (const c of chunks) {
    x.set(c, row * dim);
    row += c.length / dim;
  }
  return { ids, labels: Int32Array.from(labels), x, dim, skipped, computed, cached };
}
