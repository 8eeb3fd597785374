import type { Sample, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { RawImage } from '../image/rawImage.js';
import { hashValue } from '../util/hash.js';
import type { ShiftPixels } from './pixelWork.js';

// The data that flows between the decode step (decodeChunk.ts) and the infer step
// (inferChunk.ts): both import it from here, so neither imports the other.

/** One consumer of a dataset stream: a model (with its embedding cache) under a shift. */
export interface StreamLane {
  model: ClipModel;
  cache?: EmbeddingCache | null;
  shift: ShiftRequest | null;
}

/** A sample's state in one lane: served from the cache (`embedding`), or a miss to infer. */
export interface LaneItem {
  key: string;
  /** The file's stat alias, stored with a computed embedding so the next run skips the read. */
  alias?: string | null;
  embedding?: Float32Array;
}

/** One sample of a chunk: its state per lane (null = skipped in that lane) and, when a lane missed, its decoded pixels. */
export interface PreparedSample {
  sample: Sample;
  lanes: (LaneItem | null)[];
  /** Decoded (and pre-cropped) image, read and decoded once for every lane that missed (with decode workers it stays in the worker). */
  image?: RawImage;
}

export interface PreparedChunk {
  samples: PreparedSample[];
  /** Per lane: cache hits by content whose file alias is new, stored so the next run skips the read. */
  aliases: { key: string; embedding: Float32Array }[][];
  /** Samples a failed read or decode left out, in sample order: reported when the chunk is consumed, so their order never depends on which chunk finished decoding first. */
  skips: { lane: number; item: SkippedItem }[];
  /** With decode workers: the id under which one worker holds this chunk's decoded images (released once consumed). */
  poolChunk?: number;
  /** Shift jobs started ahead on the decode workers, by index in `pixelGroups(lanes)` (see `startShifts`). */
  started?: Map<number, Promise<ShiftPixels>>;
  /** Shift jobs with index below this have been started (or needed none). */
  startedUpTo?: number;
  /** The lanes' shift groups (`pixelGroups`), computed once per chunk. */
  shifts?: ShiftGroups;
}

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
export interface PixelGroup {
  shift: ShiftRequest | null;
  lanes: number[];
  /** The model whose preprocess fills the shared buffer (all lanes' configs hash the same). */
  model: ClipModel;
}

/** Lanes by shift (in lane order), each split into groups that share preprocessed pixels. */
export type ShiftGroups = { shift: ShiftRequest | null; groups: PixelGroup[] }[];

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
export function pixelGroups(lanes: readonly StreamLane[]): ShiftGroups {
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

