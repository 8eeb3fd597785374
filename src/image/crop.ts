import { ZeroshiftError } from '../errors.js';
import { makeRawImage, type RawImage } from './rawImage.js';

/**
 * Cuts `border` pixels from every edge, as PIL's `ImageOps.crop(image, border)` does (the box
 * (b, b, w − b, h − b)). An image with nothing left throws IMAGE, which the stream turns into
 * a per-item skip.
 */
export function cropBorder(image: RawImage, border: number, name: string): RawImage {
  const width = image.width - 2 * border;
  const height = image.height - 2 * border;
  if (width < 1 || height < 1) {
    throw new ZeroshiftError('IMAGE', `${name}: ${image.width}x${image.height} image is too small for the protocol's ${border}-pixel border crop`);
  }
  const out = makeRawImage(width, height);
  const rowBytes = width * 3;
  for (let y = 0; y < height; y++) {
    const from = ((y + border) * image.width + border) * 3;
    out.data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}
