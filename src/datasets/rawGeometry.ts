import { ZeroshiftError } from '../errors.js';
import { DEFAULT_LIMIT_INPUT_PIXELS, DEFAULT_MAX_ASPECT_RATIO } from '../image/decode.js';
import { intOption } from './options.js';
import type { DatasetSpec } from './types.js';

/** The spec option that raises the pixel limit of raw-pixel formats (npy, mnist). */
export const MAX_PIXELS_OPTION = {
  'max-pixels': `largest image (H x W) accepted, default ${DEFAULT_LIMIT_INPUT_PIXELS} (as for encoded images); raise it for unusually large arrays`,
};

/**
 * Checks the geometry every record of a raw-pixel array shares, at open: zero dimensions, the
 * pixel limit and the aspect-ratio limit that encoded images get from their headers. Raw
 * arrays would otherwise bypass both (a 1 x 200000 record took 18 s and 2.9 GB to embed).
 */
export function checkRawGeometry(path: string, count: number, height: number, width: number, spec: DatasetSpec): void {
  if (count === 0 || height === 0 || width === 0) {
    throw new ZeroshiftError('DATASET', `${path}: ${count === 0 ? 'holds no images' : `images of ${height} x ${width} pixels have a zero dimension`} (N=${count}, H=${height}, W=${width})`);
  }
  const limit = intOption(spec, 'max-pixels', DEFAULT_LIMIT_INPUT_PIXELS, 1, Number.MAX_SAFE_INTEGER)!;
  if (height * width > limit) {
    throw new ZeroshiftError('DATASET', `${path}: images of ${height} x ${width} = ${height * width} pixels exceed the pixel limit (max-pixels=${limit})`, {
      hint: `raise it with ?max-pixels=N in the dataset spec if the images are meant to be this large`,
    });
  }
  if (Math.max(height, width) > DEFAULT_MAX_ASPECT_RATIO * Math.min(height, width)) {
    throw new ZeroshiftError('DATASET', `${path}: images of ${height} x ${width} pixels have an extreme aspect ratio (over ${DEFAULT_MAX_ASPECT_RATIO}:1, the limit encoded images have too)`);
  }
}
