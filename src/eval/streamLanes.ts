import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { Result } from '../results/schema.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { embedLanes, type EmbeddedBatch } from '../embed/embedStream.js';
import type { EvalUnit, RunSettings } from '../tasks/unit.js';
import { ZeroshiftError } from '../errors.js';

/** What units that share a dataset stream need from the surrounding run. */
export interface LanesContext {
  dataset: Dataset;
  settings: RunSettings;
  signal?: AbortSignal;
  /** Per lane (parallel to the lanes), after each chunk; a stream's images are counted in `computed`/`cached` of its first lane only. */
  onProgress?(counts: { done: number[]; computed: number[]; cached: number[] }): void;
}

/** One lane of a shared dataset stream, as the stream sees it: who embeds, and who takes the batches. */
export interface StreamedLane {
  unit: EvalUnit;
  model: ClipModel;
  cache: EmbeddingCache | null;
  add(batch: EmbeddedBatch): void;
  skip(item: SkippedItem): void;
}

/**
 * Streams one dataset (range, pre-crop) once for lanes of any task, models and shifts (see
 * `embedLanes`), handing each lane its batches in dataset order. Lanes that differ only in
 * their text shift (same model, cache and image shift) read the same image embeddings: those
 * are embedded once and handed to each. Throws INTERRUPTED after Ctrl-C, so no partial result
 * is ever scored. Returns each lane's timings: the first lane of each image stream (in plan
 * order: the one without a text shift) counts the images the stream embedded and read from the
 * cache; the other lanes of that stream count 0 of each and record them as `imagesShared`, so
 * summing results never counts an image twice.
 */
export async function streamLanes(lanes: StreamedLane[], ctx: LanesContext): Promise<{ timings: Result['timings'][] }> {
  const started = performance.now();
  const first = lanes[0].unit;
  const { streams, of } = imageStreams(lanes);
  const leads = lanes.map((_, l) => streams[of[l]] === l);
  const perLane = (xs: number[]): number[] => lanes.map((_, l) => xs[of[l]]);
  // Embedded and cached images count once, on the stream's first lane; the others share them.
  const leadOnly = (xs: number[]): number[] => lanes.map((_, l) => (leads[l] ? xs[of[l]] : 0));
  let counts = { done: lanes.map(() => 0), computed: lanes.map(() => 0), cached: lanes.map(() => 0) };
  let shared = lanes.map(() => 0);
  for await (const batches of embedLanes({
    dataset: ctx.dataset, settings: ctx.settings, crop: first.target.scoringProtocol.crop, range: first.range, signal: ctx.signal,
    lanes: streams.map((l) => ({ model: lanes[l].model, cache: lanes[l].cache, shift: lanes[l].unit.shift })),
    onSkip: (stream, s) => lanes.forEach((l, i) => (stream === undefined || of[i] === stream ? l.skip(s) : undefined)),
    onBatch: (info) => {
      counts = { done: perLane(info.done), computed: leadOnly(info.computed), cached: leadOnly(info.cached) };
      shared = lanes.map((_, l) => (leads[l] ? 0 : info.computed[of[l]] + info.cached[of[l]]));
      ctx.onProgress?.(counts);
    },
  })) {
    lanes.forEach((lane, l) => lane.add(batches[of[l]]));
  }
  if (ctx.signal?.aborted) {
    // Embeddings computed so far are in the cache; a partial result must never be written.
    const shift = lanes.length === 1 && first.shift ? ` (${first.shift.corruption}:${first.shift.severity})` : '';
    throw new ZeroshiftError('INTERRUPTED', `stopped during ${ctx.dataset.name}${shift}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    timings: lanes.map((_, l) => {
      const [computed, cached, fromStream] = [counts.computed[l], counts.cached[l], shared[l]];
      // imagesShared only where a lane shared another's stream: other results stay byte-identical.
      return { totalSeconds: round(seconds, 3), imagesComputed: computed, imagesFromCache: cached, ...(fromStream > 0 ? { imagesShared: fromStream } : {}), imagesPerSecond: round((computed + cached + fromStream) / Math.max(seconds, 1e-9), 1) };
    }),
  };
}

/** The distinct image streams of `lanes` (the first lane of each model, cache and image shift) and each lane's stream index. */
function imageStreams(lanes: readonly StreamedLane[]): { streams: number[]; of: number[] } {
  const models = new Map<ClipModel, number>();
  const caches = new Map<EmbeddingCache, number>();
  const byKey = new Map<string, number>();
  const streams: number[] = [];
  const of = lanes.map((lane, l) => {
    if (!models.has(lane.model)) models.set(lane.model, models.size);
    if (lane.cache && !caches.has(lane.cache)) caches.set(lane.cache, caches.size);
    const key = JSON.stringify([models.get(lane.model), lane.cache ? caches.get(lane.cache) : null, lane.unit.shift]);
    let s = byKey.get(key);
    if (s === undefined) {
      s = streams.length;
      byKey.set(key, s);
      streams.push(l);
    }
    return s;
  });
  return { streams, of };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
