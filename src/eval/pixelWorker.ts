/**
 * Entry of a decode worker (`PixelPool`): runs the stream's pixel work (`pixelWork.ts`) on
 * plain data and posts the outcome back. Decoded images go back in SharedArrayBuffers (any
 * worker may shift them next); preprocessed batches are transferred, not copied.
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

port.on('message', (request: PixelRequest) => {
  void handle(request).then(
    ({ value, transfer }) => port.postMessage({ id: request.id, ok: true, value } satisfies PixelResponse, transfer),
    (e: unknown) => port.postMessage({ id: request.id, ok: false, error: describe(e) } satisfies PixelResponse),
  );
});

async function handle(request: PixelRequest): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (request.kind === 'decode') {
    const value = await mapLimit(request.items, request.concurrency, async (item): Promise<DecodedItem> => {
      try {
        const image = await decodeCropped({ kind: 'bytes', bytes: item.bytes, name: item.name }, request.crop, item.sampleId, request.settings);
        return { image: shared(image) };
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    });
    return { value, transfer: [] };
  }
  const preprocess = request.preprocessors.map((cfg) => (image: RawImage, out: Float32Array, offset: number) => void preprocessImage(image, cfg, out, offset));
  const value = await shiftAndPreprocess(request.images, request.ids, request.shift, request.groups, preprocess, { concurrency: request.concurrency, assets });
  return { value, transfer: value.groups.map((g) => g.pixels.buffer as ArrayBuffer) };
}

/** The image's pixels copied once into shared memory, so later jobs on any worker read them in place. */
function shared(image: RawImage): RawImage {
  const data = new Uint8Array(new SharedArrayBuffer(image.data.length));
  data.set(image.data);
  return { width: image.width, height: image.height, data };
}

function describe(e: unknown): { code: ZeroshiftError['code'] | null; message: string; hint?: string } {
  if (e instanceof ZeroshiftError) return { code: e.code, message: e.message, hint: e.hint };
  return { code: null, message: e instanceof Error ? e.message : String(e) };
}
