import type { Sample, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { ShiftRequest } from '../shifts/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { RawImage } from '../image/rawImage.js';
import type { ImageSource } from '../image/imageSource.js';
import { decodeCropped, type DecodeSettings, type ShiftPixels } from './pixelWork.js';
import type { DecodedItem, PixelPool, PoolItem } from './pixelPool.js';
import type { LaneItem, PreparedChunk, PreparedSample, StreamLane } from './lanes.js';
import { fileAliasKey, imageKey, sourceBytes, type PreCrop } from './imageKey.js';
import { mapLimit } from '../util/concurrency.js';

export interface ChunkDecodeSettings extends DecodeSettings {
  decodeConcurrency: number;
  /** Decode workers; absent = decode in this thread (sharp still runs on libuv's threads). */
  pixelPool?: PixelPool;
}

/** A sample after its cache lookups: what each lane has, and the bytes to decode when some lane missed. */
interface LookedUp {
  sample: Sample;
  lanes: (LaneItem | null)[];
  /** Lanes still open (missed every cache): the sample must be decoded for them. */
  open: Set<number>;
  bytes: Uint8Array | null;
  image?: RawImage;
  error?: string;
}

/**
 * Cache lookups and decoding of one chunk for every lane: each lane's embedding is looked up
 * (stat alias first, then the content key, so a file every lane has cached is not even read);
 * a sample that some lane misses is read and decoded once, whatever the number of lanes.
 * A failed read or decode skips the sample in the lanes that needed it (`skips`, in sample order).
 */
export async function prepareChunk(samples: Sample[], lanes: readonly StreamLane[], crop: PreCrop, settings: ChunkDecodeSettings): Promise<PreparedChunk> {
  const aliases: PreparedChunk['aliases'] = lanes.map(() => []);
  const looked = await mapLimit(samples, settings.decodeConcurrency, (sample) => lookUp(sample, lanes, crop, aliases));
  const toDecode = looked.filter((s) => s.open.size > 0 && !s.error);
  const { decoded, poolChunk } = await decodeAll(toDecode, crop, settings);
  toDecode.forEach((s, i) => {
    const d = decoded[i];
    if ('error' in d) s.error = d.error;
    else if ('image' in d) s.image = d.image;
  });
  const skips: PreparedChunk['skips'] = [];
  const prepared = looked.map((s): PreparedSample => {
    if (s.error === undefined) return s.image ? { sample: s.sample, lanes: s.lanes, image: s.image } : { sample: s.sample, lanes: s.lanes };
    for (const i of s.open) {
      s.lanes[i] = null;
      skips.push({ lane: i, item: { id: s.sample.id, reason: s.error } });
    }
    return { sample: s.sample, lanes: s.lanes };
  });
  return { samples: prepared, aliases, skips, ...(poolChunk === undefined ? {} : { poolChunk }) };
}

async function lookUp(sample: Sample, lanes: readonly StreamLane[], crop: PreCrop, aliases: PreparedChunk['aliases']): Promise<LookedUp> {
  const out: (LaneItem | null)[] = lanes.map(() => null);
  const open = new Set(lanes.keys());
  const done = (bytes: Uint8Array | null = null): LookedUp => ({ sample, lanes: out, open, bytes });
  try {
    const aliasOf = memo((shift: ShiftRequest | null) => (sample.image.kind === 'path' ? fileAliasKey(sample.image.path, shift, sample.id, crop) : null));
    if (lanes.some((l) => l.cache) && sample.image.kind === 'path') {
      for (const [i, lane] of lanes.entries()) {
        const alias = lane.cache ? aliasOf(lane.shift) : null;
        const hit = alias ? await lane.cache!.get(alias) : undefined;
        if (hit) {
          out[i] = { key: alias!, embedding: hit };
          open.delete(i);
        }
      }
      if (open.size === 0) return done();
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
    return done(open.size > 0 ? bytes : null);
  } catch (e) {
    return { ...done(), error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Decodes the samples some lane missed, in order. With decode workers, the chunk goes to one
 * worker, which keeps the pixels for the chunk's shift jobs (`PreparedChunk.poolChunk`); raw
 * and generated images (no codec involved) are made here and handed over.
 */
async function decodeAll(looked: LookedUp[], crop: PreCrop, settings: ChunkDecodeSettings): Promise<{ decoded: (DecodedItem | { image: RawImage })[]; poolChunk?: number }> {
  // Decode from the bytes already read for the key, so a file is read once.
  const source = (s: LookedUp): ImageSource => (s.sample.image.kind === 'path' && s.bytes ? { kind: 'bytes', bytes: s.bytes, name: s.sample.image.path } : s.sample.image);
  const inline = (s: LookedUp) => decodeCropped(source(s), crop, s.sample.id, settings);
  const pool = settings.pixelPool;
  if (!pool) {
    return { decoded: await mapLimit(looked, settings.decodeConcurrency, async (s) => inline(s).then((image) => ({ image }), (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }))) };
  }
  const transfer: ArrayBuffer[] = [];
  const out = new Array<DecodedItem>(looked.length);
  const items: PoolItem[] = [];
  await mapLimit(looked, settings.decodeConcurrency, async (s, index) => {
    const src = source(s);
    if (src.kind === 'bytes') {
      // Files read here are handed over; bytes a dataset holds are copied (a view would clone its whole buffer).
      const bytes = s.sample.image.kind === 'path' && src.bytes.byteOffset === 0 && src.bytes.byteLength === src.bytes.buffer.byteLength ? src.bytes : src.bytes.slice();
      transfer.push(bytes.buffer as ArrayBuffer);
      items.push({ index, sampleId: s.sample.id, bytes, name: src.name });
      return;
    }
    try {
      items.push({ index, sampleId: s.sample.id, image: await inline(s) });
    } catch (e) {
      out[index] = { error: e instanceof Error ? e.message : String(e) };
    }
  });
  const { chunk, decoded } = await pool.decode(items, crop, settings, settings.decodeConcurrency, transfer);
  items.forEach((item, k) => (out[item.index] = decoded[k]));
  return { decoded: out, poolChunk: chunk };
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
