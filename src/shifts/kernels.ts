import { clampIndex, reflect101, type FloatImage } from './pixels.js';

/**
 * scipy.ndimage.gaussian_filter1d weights: radius int(truncate·σ + 0.5), exp(−x²/2σ²),
 * normalised to sum 1. Length 2·radius + 1.
 */
export function gaussianWeights(sigma: number, truncate = 4): Float64Array {
  const radius = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    w[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
    sum += w[k + radius];
  }
  for (let k = 0; k < w.length; k++) w[k] /= sum;
  return w;
}

/**
 * Separable Gaussian blur of each channel with scipy's default border (mode 'nearest'),
 * as `skimage.filters.gaussian(x, sigma, multichannel=True)`.
 */
export function gaussianBlurFloat(img: FloatImage, sigma: number): FloatImage {
  const w = gaussianWeights(sigma);
  const r = (w.length - 1) / 2;
  const { width: W, height: H } = img;
  const tmp = new Float64Array(img.data.length);
  const out = new Float64Array(img.data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += w[k + r] * img.data[(y * W + clampIndex(x + k, W)) * 3 + c];
        tmp[(y * W + x) * 3 + c] = s;
      }
    }
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += w[k + r] * tmp[(clampIndex(y + k, H) * W + x) * 3 + c];
        out[(y * W + x) * 3 + c] = s;
      }
    }
  }
  return { width: W, height: H, data: out };
}

/** A square 2-D kernel of odd side, row-major. */
export interface Kernel2D {
  size: number;
  weights: Float64Array;
}

/** cv2.filter2D on each channel: correlation with the kernel, BORDER_REFLECT_101. */
export function filter2D(img: FloatImage, kernel: Kernel2D): FloatImage {
  const { width: W, height: H } = img;
  const r = (kernel.size - 1) / 2;
  const out = new Float64Array(img.data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let ky = 0; ky < kernel.size; ky++) {
        const row = reflect101(y + ky - r, H) * W;
        for (let kx = 0; kx < kernel.size; kx++) {
          const k = kernel.weights[ky * kernel.size + kx];
          if (k === 0) continue;
          const p = (row + reflect101(x + kx - r, W)) * 3;
          s0 += k * img.data[p];
          s1 += k * img.data[p + 1];
          s2 += k * img.data[p + 2];
        }
      }
      const q = (y * W + x) * 3;
      out[q] = s0;
      out[q + 1] = s1;
      out[q + 2] = s2;
    }
  }
  return { width: W, height: H, data: out };
}
