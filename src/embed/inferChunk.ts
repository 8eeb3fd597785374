import type { SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { pixelGroups, type EmbeddedBatch, type PixelGroup, type PreparedChunk, type ShiftGroups, type StreamLane } from './lanes.js';
import type { PixelPool } from './pixelPool.js';
import type { BatchBuffers } from './batchBuffers.js';
import { inputSize } from '../model/preprocess.js';
import { shiftAndPreprocess, type PreprocessInto, type ShiftPixels } from './pixelWork.js';

/** What the shift and preprocess steps read from the stream's settings. */
export interface PixelSettings {
  decodeConcurrency: number;
  shiftAssets?: ShiftAssets;
  /** Decode workers: shift jobs run there, several shifts ahead of inference. */
  pixelPool?: PixelPool;
  /** Input buffers reused across the stream's chunks (in-process preprocessing only). */
  batchBuffers?: BatchBuffers;
}

/**
 * Shift → preprocess → infer for one prepared chunk, one shift at a time (in process, only one
 * shift's pixels are held; with decode workers, as many shifts ahead as there are workers),
 * then assembles each lane's batch in sample order from cached and computed embeddings and
 * stores the computed ones in the lane's cache. A lane's inference batch is exactly its misses
 * of this chunk, in sample order, whatever other lanes need.
 * @returns one batch per lane, parallel to `lanes`, and the cache writes, started but not
 *   awaited (the caller awaits them); null when `hooks.signal` stopped the chunk part-way (what
 *   it computed is in the caches)
 */
export async function inferChunk(
  chunk: PreparedChunk, lanes: readonly StreamLane[], settings: PixelSettings,
  onSkip: (lane: number, item: SkippedItem) => void,
  hooks: InferHooks = {},
): Promise<{ batches: EmbeddedBatch[]; computed: number[]; writes: Promise<void> } | null> {
  const computedRows: Map<number, Float32Array>[] = lanes.map(() => new Map());
  const shifts = shiftsOf(chunk, lanes);
  const ahead = settings.pixelPool ? settings.pixelPool.size : 1;
  for (const [k, { groups }] of shifts.entries()) {
    if (hooks.signal?.aborted) return keepPartial(chunk, lanes, settings, computedRows, hooks.after);
    startShifts(chunk, lanes, settings, k + ahead);
    const job = chunk.started?.get(k);
    if (!job) continue;
    chunk.started!.delete(k);
    const { failures, groups: ready } = await job;
    const shiftLanes = groups.flatMap((g) => g.lanes);
    failures.forEach((reason, i) => {
      if (reason === null) return;
      const s = chunk.samples[i];
      for (const l of shiftLanes) {
        if (!isMiss(s.lanes[l])) continue;
        s.lanes[l] = null;
        onSkip(l, { id: s.sample.id, reason });
      }
    });
    for (const [gi, g] of groups.entries()) {
      if (!(await inferGroup(chunk, g, ready[gi], lanes, computedRows, hooks))) return keepPartial(chunk, lanes, settings, computedRows, hooks.after);
    }
    // Every inference of this shift has returned: its input buffers are free for the next job.
    for (const r of ready) settings.batchBuffers?.give(r.pixels);
  }
  releaseChunk(chunk, settings);
  const computed = computedRows.map((m) => m.size);
  const batches: EmbeddedBatch[] = [];
  // One durable write per cache and chunk: lanes of one model under different shifts share a cache.
  const puts = new Map<EmbeddingCache, { key: string; embedding: Float32Array }[]>();
  for (const [l, lane] of lanes.entries()) {
    const { batch, fresh } = assemble(chunk, l, lane, computedRows[l]);
    batches.push(batch);
    if (lane.cache && fresh.length > 0) puts.set(lane.cache, [...(puts.get(lane.cache) ?? []), ...fresh]);
  }
  return { batches, computed, writes: storeAfter(hooks.after, puts) };
}

/**
 * The chunk's cache writes, after the previous chunk's (one pack writer per cache appends in
 * order); the caches of different models write in parallel. Each write ends in an fsync (~5 ms
 * here), so the stream lets them run while the next chunk infers rather than waiting for them.
 */
function storeAfter(after: Promise<void> | undefined, puts: Map<EmbeddingCache, { key: string; embedding: Float32Array }[]>): Promise<void> {
  const store = async (): Promise<void> => {
    await Promise.all([...puts].map(([cache, entries]) => cache.putMany(entries)));
  };
  return after ? after.then(store) : store();
}

/** What a stream asks of `inferChunk` besides the work: when to stop, and each lane's inferences as they finish. */
export interface InferHooks {
  /**
   * Checked before each shift and each lane's inference: once aborted, the chunk stops there,
   * and the embeddings it did compute go into the caches (a rerun resumes from them).
   */
  signal?: AbortSignal;
  /** After each lane's inference of `count` images, so progress moves within a chunk of many lanes. */
  onInferred?(lane: number, count: number): void;
  /** The previous chunk's cache writes, still running: this chunk's writes start after them. */
  after?: Promise<void>;
}

/**
 * A chunk stopped part-way (Ctrl-C): stores the embeddings it computed, in one write per cache,
 * and yields no batches (a partial chunk is never scored). Returns null, the stopped marker.
 */
async function keepPartial(chunk: PreparedChunk, lanes: readonly StreamLane[], settings: PixelSettings, computed: Map<number, Float32Array>[], after?: Promise<void>): Promise<null> {
  releaseChunk(chunk, settings);
  // The previous chunk's writes go first (their failure is the stream's to report).
  await after?.catch(() => undefined);
  const puts = new Map<EmbeddingCache, { key: string; embedding: Float32Array }[]>();
  for (const [l, lane] of lanes.entries()) {
    if (!lane.cache || computed[l].size === 0) continue;
    const entries = puts.get(lane.cache) ?? [];
    for (const [i, embedding] of computed[l]) {
      const item = chunk.samples[i].lanes[l];
      if (!item) continue;
      entries.push({ key: item.key, embedding });
      if (item.alias) entries.push({ key: item.alias, embedding });
    }
    puts.set(lane.cache, entries);
  }
  for (const [cache, entries] of puts) await cache.putMany(entries);
  return null;
}

/**
 * Starts the shift jobs of a chunk with index below `upTo` (in `pixelGroups(lanes)` order) that
 * have not started: each shifts the images some lane of the shift missed and preprocesses them
 * per group. The stream calls it as soon as a chunk is decoded, so with decode workers a
 * chunk's first shift is ready before inference reaches it.
 */
export function startShifts(chunk: PreparedChunk, lanes: readonly StreamLane[], settings: PixelSettings, upTo: number): void {
  const shifts = shiftsOf(chunk, lanes);
  chunk.started ??= new Map();
  for (let k = chunk.startedUpTo ?? 0; k < Math.min(upTo, shifts.length); k++) {
    const job = shiftJob(chunk, shifts[k], settings);
    if (!job) continue;
    // Awaited in order by inferChunk; this only keeps a failure of a job started ahead from being reported as unhandled first.
    job.catch(() => undefined);
    chunk.started.set(k, job);
  }
  chunk.startedUpTo = Math.max(chunk.startedUpTo ?? 0, Math.min(upTo, shifts.length));
}

/** The lanes' shift groups, computed once per chunk (grouping hashes every lane's preprocessor config). */
function shiftsOf(chunk: PreparedChunk, lanes: readonly StreamLane[]): ShiftGroups {
  chunk.shifts ??= pixelGroups(lanes);
  return chunk.shifts;
}

function shiftJob(chunk: PreparedChunk, shift: { shift: ShiftRequest | null; groups: PixelGroup[] }, settings: PixelSettings): Promise<ShiftPixels> | null {
  const needs = shift.groups.map((g) => chunk.samples.flatMap((s, i) => (g.lanes.some((l) => isMiss(s.lanes[l])) ? [i] : [])));
  const used = [...new Set(needs.flat())].sort((a, b) => a - b);
  if (used.length === 0) return null;
  // Jobs see only the images they use; their row numbers are mapped back to the chunk's.
  const local = new Map(used.map((i, j) => [i, j]));
  const ids = used.map((i) => chunk.samples[i].sample.id);
  const requests = shift.groups.map((g, gi) => ({ rows: needs[gi].map((i) => local.get(i)!), plane: planeOf(g.model) }));
  const pool = settings.pixelPool;
  const job = pool && chunk.poolChunk !== undefined
    ? pool.pixels(chunk.poolChunk, used, ids, shift.shift, requests, shift.groups.map((g) => g.model.preprocessor), settings.decodeConcurrency)
    : shiftAndPreprocess(used.map((i) => chunk.samples[i].image!), ids, shift.shift, requests, shift.groups.map((g) => preprocessOf(g.model)), {
      concurrency: settings.decodeConcurrency, assets: settings.shiftAssets, alloc: allocator(shift.groups, settings.batchBuffers),
    });
  return job.then((r) => ({
    failures: chunk.samples.map((_, i) => (local.has(i) ? r.failures[local.get(i)!] : null)),
    groups: r.groups.map((g) => ({ rows: g.rows.map((j) => used[j]), pixels: g.pixels })),
  }));
}

/** Lets the decode worker holding a chunk's images drop them (consumed, or abandoned by a stopped stream). */
export function releaseChunk(chunk: PreparedChunk, settings: PixelSettings): void {
  if (chunk.poolChunk !== undefined) settings.pixelPool?.release(chunk.poolChunk);
}

/**
 * Where a group's input buffer comes from: a reused one (old values and all) only where the
 * model's preprocessing writes every float of each row's slot: `preprocessInto` with an output
 * size fixed by the config and equal to the crop. Elsewhere a fresh, zeroed buffer, as before.
 */
function allocator(groups: readonly PixelGroup[], buffers: BatchBuffers | undefined): ((length: number, group: number) => Float32Array) | undefined {
  if (!buffers) return undefined;
  const whole = groups.map(({ model }) => {
    const size = inputSize(model.preprocessor);
    return model.preprocessInto !== undefined && size !== undefined && size.height === model.preprocessor.cropSize.height && size.width === model.preprocessor.cropSize.width;
  });
  return (length, group) => (whole[group] ? buffers.take(length) : new Float32Array(length));
}

function planeOf(model: ClipModel): number {
  const { height, width } = model.preprocessor.cropSize;
  return 3 * height * width;
}

function preprocessOf(model: ClipModel): PreprocessInto {
  return model.preprocessInto ? (image, out, offset) => model.preprocessInto!(image, out, offset) : (image, out, offset) => out.set(model.preprocess(image), offset);
}

function isMiss(item: { embedding?: Float32Array } | null | undefined): boolean {
  return item !== null && item !== undefined && item.embedding === undefined;
}

/** Infers a group's preprocessed rows for each of its lanes that missed them; false when the signal stopped it between lanes. */
async function inferGroup(chunk: PreparedChunk, g: PixelGroup, ready: { rows: number[]; pixels: Float32Array }, lanes: readonly StreamLane[], out: Map<number, Float32Array>[], hooks: InferHooks): Promise<boolean> {
  const { rows, pixels } = ready;
  if (rows.length === 0) return true;
  const plane = planeOf(g.model);
  for (const l of g.lanes) {
    const mine = rows.filter((i) => isMiss(chunk.samples[i].lanes[l]));
    if (mine.length === 0) continue;
    if (hooks.signal?.aborted) return false;
    // The shared buffer as is when this lane missed every row, else a copy of its rows.
    const input = mine.length === rows.length ? pixels : gather(pixels, plane, rows, mine);
    const model = lanes[l].model;
    const dim = model.info.embedDim;
    const emb = await model.encodePixels(input, mine.length, mine.map((i) => chunk.samples[i].sample.id));
    // Copies: the cache's memory tier keeps entries, and a view would pin the whole batch buffer.
    mine.forEach((i, r) => out[l].set(i, emb.slice(r * dim, (r + 1) * dim)));
    hooks.onInferred?.(l, mine.length);
  }
  return true;
}

function gather(pixels: Float32Array, plane: number, rows: number[], mine: number[]): Float32Array {
  const slotOf = new Map(rows.map((i, slot) => [i, slot]));
  const out = new Float32Array(mine.length * plane);
  mine.forEach((i, r) => {
    const slot = slotOf.get(i)!;
    out.set(pixels.subarray(slot * plane, (slot + 1) * plane), r * plane);
  });
  return out;
}

function assemble(chunk: PreparedChunk, l: number, lane: StreamLane, computed: Map<number, Float32Array>): { batch: EmbeddedBatch; fresh: { key: string; embedding: Float32Array }[] } {
  const dim = lane.model.info.embedDim;
  const present = chunk.samples.flatMap((s, i) => (s.lanes[l] ? [i] : []));
  const embeddings = new Float32Array(present.length * dim);
  const fresh: { key: string; embedding: Float32Array }[] = [];
  present.forEach((i, row) => {
    const item = chunk.samples[i].lanes[l]!;
    const embedding = item.embedding ?? computed.get(i)!;
    embeddings.set(embedding, row * dim);
    if (item.embedding) return;
    fresh.push({ key: item.key, embedding });
    if (item.alias) fresh.push({ key: item.alias, embedding });
  });
  fresh.push(...chunk.aliases[l]);
  const items = present.map((i) => ({ id: chunk.samples[i].sample.id, label: chunk.samples[i].sample.label }));
  return { batch: { items, embeddings }, fresh };
}
