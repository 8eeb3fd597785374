import { makeRawImage, type RawImage } from '../image/rawImage.js';

/** Float planes in [0, 1], interleaved like RawImage: the `np.array(x) / 255.` of ImageNet-C. */
export interface FloatImage {
  width: number;
  height: number;
  data: Float64Array;
}

/** Divides every byte by 255, as ImageNet-C does before corrupting. */
export function toFloat(image: RawImage): FloatImage {
  const data = new Float64Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i] / 255;
  return { width: image.width, height: image.height, data };
}

/**
 * Back to bytes the way ImageNet-C's images were saved: `np.clip(x, 0, 1) * 255` then
 * `np.uint8(...)`, which truncates towards zero (so 254.9 becomes 254).
 */
export function fromFloat(image: FloatImage): RawImage {
  const out = makeRawImage(image.width, image.height);
  for (let i = 0; i < image.data.length; i++) {
    const v = image.data[i];
    out.data[i] = v >= 1 ? 255 : v > 0 ? Math.floor(v * 255) : 0;
  }
  return out;
}

/** Image size relative to ImageNet-C's 224 px, the factor for spatial parameters. */
export function spatialScale(image: { width: number; height: number }): number {
  return Math.min(image.width, image.height) / 224;
}

/** Clamps an index into [0, n − 1]: scipy's mode 'nearest', ImageMagick's 'edge'. */
export function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba). */
export function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  let k = i;
  while (k < 0 || k >= n) k = k < 0 ? -k : 2 * n - 2 - k;
  return k;
}
