/**
 * Entry of a decode worker (`PixelPool`): runs the stream's pixel work (`pixelWork.ts`) on
 * plain data and posts the outcome back. A chunk's decoded images stay here until released;
 * preprocessed batches are transferred, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { preprocessImage } from '../model/preprocess.js';
import type { ShiftAssets } from '../shifts/types.js';
import { mapLimit } from '../util/concurrency.js';
import type { DecodedItem, PixelRequest, PixelResponse } from './pixelPool.js';
import { decodeCropped, shiftAndPreprocess } from './pixelWork.js';

const assets = (workerData as { assets: ShiftAssets }).assets;
const port = parentPort!;
/** Decoded images per chunk id, by item index (failed decodes are absent). */
const held = new Map<number, Map<number, RawImage>>();

port.on('message', (request: PixelRequest) => {
  if (request.kind === 'release') {
    held.delete(request.chunk);
    return;
  }
  void handle(request).then(
    ({ value, transfer }) => port.postMessage({ id: request.id, ok: true, value } satisfies PixelResponse, transfer),
    (e: unknown) => port.postMessage({ id: request.id, ok: false, error: describe(e) } satisfies PixelResponse),
  );
});

async function handle(request: Exclude<PixelRequest, { kind: 'release' }>): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (request.kind === 'decode') {
    const images = new Map<number, RawImage>();
    held.set(request.chunk, images);
    const value = await mapLimit(request.items, request.concurrency, async (item): Promise<DecodedItem> => {
      try {
        const image = 'image' in item ? item.image : await decodeCropped({ kind: 'bytes', bytes: item.bytes, name: item.name }, request.crop, item.sampleId, request.settings);
        images.set(item.index, image);
        return { width: image.width, height: image.height };
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    });
    return { value, transfer: [] };
  }
  const chunk = held.get(request.chunk);
  const images = request.indices.map((i) => {
    const image = chunk?.get(i);
    if (!image) throw new ZeroshiftError('INTERNAL', `decode worker: image ${i} of chunk ${request.chunk} is not held here`);
    return image;
  });
  const preprocess = request.preprocessors.map((cfg) => (image: RawImage, out: Float32Array, offset: number) => void preprocessImage(image, cfg, out, offset));
  const value = await shiftAndPreprocess(images, request.ids, request.shift, request.groups, preprocess, { concurrency: request.concurrency, assets });
  return { value, transfer: value.groups.map((g) => g.pixels.buffer as ArrayBuffer) };
}

function describe(e: unknown): { code: ZeroshiftError['code'] | null; message: string; hint?: string } {
  if (e instanceof ZeroshiftError) return { code: e.code, message: e.message, hint: e.hint };
  return { code: null, message: e instanceof Error ? e.message : String(e) };
}
