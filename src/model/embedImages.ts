/** Decode → preprocess → vision tower for a list of image files, in batches. */
import { decodeImage, type DecodeOptions } from '../image/decode.js';
import type { ClipModel } from './types.js';

/** Images per vision-tower run. */
const IMAGE_BATCH = 32;

/**
 * Embeds image files in order.
 * @returns (N, D) L2-normalised image embeddings.
 * @throws ZeroshiftError('IMAGE') naming the first file that cannot be decoded.
 */
export async function embedImageFiles(model: ClipModel, paths: readonly string[], decode: DecodeOptions = {}): Promise<Float32Array> {
  const d = model.info.embedDim;
  const out = new Float32Array(paths.length * d);
  for (let start = 0; start < paths.length; start += IMAGE_BATCH) {
    const chunk = paths.slice(start, start + IMAGE_BATCH);
    const tensors: Float32Array[] = [];
    for (const path of chunk) tensors.push(model.preprocess(await decodeImage({ kind: 'path', path }, decode)));
    const per = tensors[0]!.length;
    const batch = new Float32Array(chunk.length * per);
    tensors.forEach((t, i) => batch.set(t, i * per));
    out.set(await model.encodePixels(batch, chunk.length), start * d);
  }
  return out;
}
