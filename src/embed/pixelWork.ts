import type { ImageSource } from '../image/imageSource.js';
import type { RawImage } from '../image/rawImage.js';
import type { ShiftAssets, ShiftRequest } from '../shifts/types.js';
import { decodeImage } from '../image/decode.js';
import { cropBorder } from '../image/crop.js';
import { applyShift } from '../shifts/registry.js';
import { mapLimit } from '../util/concurrency.js';
import type { PreCrop } from './imageKey.js';

/**
 * The pixel work of the embedding stream (decode → pre-crop, then shift → preprocess), as
 * functions of plain data. The in-process path and the decode workers (`pixelWorker.ts`) both
 * call exactly these, so where the work runs cannot change a byte of the result.
 */

export interface DecodeSettings {
  exifRotate: boolean;
  limitInputPixels?: number;
}

/** Decodes one image (a failure throws, with the message the stream records as the skip reason), then cuts the protocol's border. */
export async function decodeCropped(source: ImageSource, crop: PreCrop, sampleId: string, settings: DecodeSettings): Promise<RawImage> {
  const full = await decodeImage(source, { exifRotate: settings.exifRotate, limitInputPixels: settings.limitInputPixels });
  return crop ? cropBorder(full, crop.border, sampleId) : full;
}

/** Writes one preprocessed image, (3, H, W) float32, at `offset` of `out`. */
export type PreprocessInto = (image: RawImage, out: Float32Array, offset: number) => void;

/** One preprocessing of a shift's images: the rows (indices into the shift's images) it needs. */
export interface PixelGroupRequest {
  rows: number[];
  /** Floats per image: 3 × crop height × crop width. */
  plane: number;
}

/** A shift's images turned into inference input: per group, its rows that survived the shift, packed in order. */
export interface ShiftPixels {
  /** Per image: the shift's failure message, or null. */
  failures: (string | null)[];
  groups: { rows: number[]; pixels: Float32Array }[];
}

/**
 * Shifts each image once (seeded from its sample id), then preprocesses it for every group
 * that needs it. A failed shift leaves the image out of every group, with its message.
 * @param images decoded (pre-cropped) images; `ids[i]` is images[i]'s sample id
 * @param options.alloc the buffer for group `group` (`length` floats): absent, a new one; a
 *   reused buffer is fine where the group's preprocessing writes every element of its rows
 * @returns per group, (rows.length, 3, H, W) float32 over the rows whose shift succeeded
 */
export async function shiftAndPreprocess(
  images: readonly RawImage[], ids: readonly string[], shift: ShiftRequest | null, groups: readonly PixelGroupRequest[],
  preprocess: readonly PreprocessInto[], options: { concurrency: number; assets?: ShiftAssets; alloc?: (length: number, group: number) => Float32Array },
): Promise<ShiftPixels> {
  const needed = [...new Set(groups.flatMap((g) => g.rows))].sort((a, b) => a - b);
  const shifted = new Map<number, RawImage>();
  const failures: (string | null)[] = images.map(() => null);
  await mapLimit(needed, options.concurrency, async (i) => {
    try {
      shifted.set(i, shift ? await applyShift(images[i], shift, ids[i], options.assets) : images[i]);
    } catch (e) {
      failures[i] = e instanceof Error ? e.message : String(e);
    }
  });
  return {
    failures,
    groups: groups.map((g, k) => {
      const rows = g.rows.filter((i) => shifted.has(i));
      const pixels = options.alloc ? options.alloc(rows.length * g.plane, k) : new Float32Array(rows.length * g.plane);
      rows.forEach((i, slot) => preprocess[k](shifted.get(i)!, pixels, slot * g.plane));
      return { rows, pixels };
    }),
  };
}
