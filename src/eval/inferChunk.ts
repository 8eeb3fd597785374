import type { SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import type { RawImage } from '../image/rawImage.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { applyShift } from '../shifts/registry.js';
import { hashValue } from '../util/hash.js';
import { mapLimit } from '../util/concurrency.js';
import type { PreparedChunk, StreamLane } from './decodeChunk.js';

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

/** Lanes that share pixels: the same shift, and a preprocessor config with the same canonical hash. */
interface PixelGroup {
  shift: ShiftRequest | null;
  lanes: number[];
  /** The model whose preprocess fills the shared buffer (all lanes' configs hash the same). */
  model: ClipModel;
}

/**
 * Canonical identity of a model's preprocessing: the hash of its parsed config (key order and
 * file formatting do not matter). Two models with equal hashes turn an image into the same
 * tensor, so one preprocessed buffer feeds both.
 */
export function preprocessorIdentity(model: ClipModel): string {
  return hashValue(model.preprocessor);
}

/**
 * Groups lanes by shift, then by preprocessor identity, in lane order: each group's images
 * are shifted once and preprocessed once.
 */
export function pixelGroups(lanes: readonly StreamLane[]): { shift: ShiftRequest | null; groups: PixelGroup[] }[] {
  const byShift = new Map<string, { shift: ShiftRequest | null; groups: Map<string, PixelGroup> }>();
  for (const [i, lane] of lanes.entries()) {
    const sk = lane.shift ? `${lane.shift.corruption}:${lane.shift.severity}` : '';
    let s = byShift.get(sk);
    if (!s) byShift.set(sk, (s = { shift: lane.shift, groups: new Map() }));
    const pk = preprocessorIdentity(lane.model);
    const g = s.groups.get(pk);
    if (g) g.lanes.push(i);
    else s.groups.set(pk, { shift: lane.shift, lanes: [i], model: lane.model });
  }
  return [...byShift.values()].map((s) => ({ shift: s.shift, groups: [...s.groups.values()] }));
}

/**
 * Shift → preprocess → infer for one prepared chunk, one shift at a time (so only one shift's
 * pixels are held), then assembles each lane's batch in sample order from cached and computed
 * embeddings and stores the computed ones in the lane's cache. A lane's inference batch is
 * exactly its misses of this chunk, in sample order, whatever other lanes need.
 * @returns one batch per lane, parallel to `lanes`
 */
export async function inferChunk(
  chunk: PreparedChunk, lanes: readonly StreamLane[], settings: { decodeConcurrency: number; shiftAssets?: ShiftAssets },
  onSkip: (lane: number, item: SkippedItem) => void,
): Promise<{ batches: EmbeddedBatch[]; computed: number[] }> {
  const computedRows: Map<number, Float32Array>[] = lanes.map(() => new Map());
  for (const { shift, groups } of pixelGroups(lanes)) {
    const shiftLanes = groups.flatMap((g) => g.lanes);
    const needed = chunk.samples.flatMap((s, i) => (shiftLanes.some((l) => isMiss(s.lanes[l])) ? [i] : []));
    if (needed.length === 0) continue;
    const shifted = new Map<number, RawImage>();
    await mapLimit(needed, settings.decodeConcurrency, async (i) => {
      const s = chunk.samples[i];
      try {
        shifted.set(i, shift ? await applyShift(s.image!, shift, s.sample.id, settings.shiftAssets) : s.image!);
      } catch (e) {
        for (const l of shiftLanes) {
          if (!isMiss(s.lanes[l])) continue;
          s.lanes[l] = null;
          onSkip(l, { id: s.sample.id, reason: e instanceof Error ? e.message : String(e) });
        }
      }
    });
    for (const g of groups) await inferGroup(chunk, g, shifted, lanes, computedRows);
  }
  const computed = computedRows.map((m) => m.size);
  const batches: EmbeddedBatch[] = [];
  // One durable write per cache and chunk: lanes of one model under different shifts share a cache.
  const puts = new Map<EmbeddingCache, { key: string; embedding: Float32Array }[]>();
  for (const [l, lane] of lanes.entries()) {
    const { batch, fresh } = assemble(chunk, l, lane, computedRows[l]);
    batches.push(batch);
    if (lane.cache && fresh.length > 0) puts.set(lane.cache, [...(puts.get(lane.cache) ?? []), ...fresh]);
  }
  for (const [cache, entries] of puts) await cache.putMany(entries);
  return { batches, computed };
}

function isMiss(item: { embedding?: Float32Array } | null | undefined): boolean {
  return item !== null && item !== undefined && item.embedding === undefined;
}

async function inferGroup(chunk: PreparedChunk, g: PixelGroup, shifted: Map<number, RawImage>, lanes: readonly StreamLane[], out: Map<number, Float32Array>[]): Promise<void> {
  const rows = chunk.samples.flatMap((s, i) => (g.lanes.some((l) => isMiss(s.lanes[l])) ? [i] : []));
  if (rows.length === 0) return;
  const { height, width } = g.model.preprocessor.cropSize;
  const plane = 3 * height * width;
  const pixels = new Float32Array(rows.length * plane);
  rows.forEach((i, slot) => {
    const image = shifted.get(i)!;
    if (g.model.preprocessInto) g.model.preprocessInto(image, pixels, slot * plane);
    else pixels.set(g.model.preprocess(image), slot * plane);
  });
  for (const l of g.lanes) {
    const mine = rows.filter((i) => isMiss(chunk.samples[i].lanes[l]));
    if (mine.length === 0) continue;
    // The shared buffer as is when this lane missed every row, else a copy of its rows.
    const input = mine.length === rows.length ? pixels : gather(pixels, plane, rows, mine);
    const model = lanes[l].model;
    const dim = model.info.embedDim;
    const emb = await model.encodePixels(input, mine.length);
    // Copies: the cache's memory tier keeps entries, and a view would pin the whole batch buffer.
    mine.forEach((i, r) => out[l].set(i, emb.slice(r * dim, (r + 1) * dim)));
  }
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
