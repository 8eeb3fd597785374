import type { Sample, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { RawImage } from '../image/rawImage.js';
import { decodeImage } from '../image/decode.js';
import { cropBorder } from '../image/crop.js';
import { fileAliasKey, imageKey, sourceBytes, type PreCrop } from './imageKey.js';
import { mapLimit } from '../util/concurrency.js';

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
  /** Decoded (and pre-cropped) image, read and decoded once for every lane that missed. */
  image?: RawImage;
}

export interface PreparedChunk {
  samples: PreparedSample[];
  /** Per lane: cache hits by content whose file alias is new, stored so the next run skips the read. */
  aliases: { key: string; embedding: Float32Array }[][];
}

export interface DecodeSettings {
  decodeConcurrency: number;
  exifRotate: boolean;
  limitInputPixels?: number;
}

/**
 * Cache lookups and decoding of one chunk for every lane: each lane's embedding is looked up
 * (stat alias first, then the content key, so a file every lane has cached is not even read);
 * a sample that some lane misses is read and decoded once, whatever the number of lanes.
 * A failed read or decode skips the sample in the lanes that needed it (`onSkip`).
 */
export async function prepareChunk(
  samples: Sample[], lanes: readonly StreamLane[], crop: PreCrop, settings: DecodeSettings,
  onSkip: (lane: number, item: SkippedItem) => void,
): Promise<PreparedChunk> {
  const aliases: PreparedChunk['aliases'] = lanes.map(() => []);
  const anyCache = lanes.some((l) => l.cache);
  const prepared = await mapLimit(samples, settings.decodeConcurrency, async (sample): Promise<PreparedSample> => {
    const out: (LaneItem | null)[] = lanes.map(() => null);
    const open = new Set(lanes.keys());
    try {
      const aliasOf = memo((shift: ShiftRequest | null) => (sample.image.kind === 'path' ? fileAliasKey(sample.image.path, shift, sample.id, crop) : null));
      if (anyCache && sample.image.kind === 'path') {
        for (const [i, lane] of lanes.entries()) {
          const alias = lane.cache ? aliasOf(lane.shift) : null;
          const hit = alias ? await lane.cache!.get(alias) : undefined;
          if (hit) {
            out[i] = { key: alias!, embedding: hit };
            open.delete(i);
          }
        }
        if (open.size === 0) return { sample, lanes: out };
      }
      const bytes = await sourceBytes(sample.image);
      const keyOf = memo((shift: ShiftRequest | null) => imageKey(sample.image, bytes, shift, sample.id, crop));
      for (const i of [...open]) {
        const lane = lanes[i];
        const key = keyOf(lane.shift);
        const cached = await lane.cache?.get(key);
        const alias = lane.cache ? aliasOf(lane.shift) : null;
        if (cached) {
          if (alias) aliases[i].push({ key: alias, embedding: cached });
          out[i] = { key, embedding: cached };
          open.delete(i);
        } else {
          out[i] = { key, alias };
        }
      }
      if (open.size === 0) return { sample, lanes: out };
      // Decode from the bytes already read for the key, so a file is read once.
      const source = sample.image.kind === 'path' && bytes ? { kind: 'bytes' as const, bytes, name: sample.image.path } : sample.image;
      const full = await decodeImage(source, { exifRotate: settings.exifRotate, limitInputPixels: settings.limitInputPixels });
      return { sample, lanes: out, image: crop ? cropBorder(full, crop.border, sample.id) : full };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      for (const i of open) {
        out[i] = null;
        onSkip(i, { id: sample.id, reason });
      }
      return { sample, lanes: out };
    }
  });
  return { samples: prepared, aliases };
}

/** Memoises a function of a shift (null or corruption:severity) within one sample. */
function memo<T>(f: (shift: ShiftRequest | null) => T): (shift: ShiftRequest | null) => T {
  const seen = new Map<string, T>();
  return (shift) => {
    const k = shift ? `${shift.corruption}:${shift.severity}` : '';
    if (!seen.has(k)) seen.set(k, f(shift));
    return seen.get(k)!;
  };
}
