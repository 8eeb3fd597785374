import { clampIndex, reflect101, type FloatImage } from './pixels.js';

/**
 * numpy's sum of a float64 vector (`ndarray.sum()`): the first value, plus the rest by numpy's
 * pairwise summation (8 accumulators per block of up to 128). Matches numpy bit for bit, so
 * kernels normalised here equal scipy's.
 */
export function numpySum(a: ArrayLike<number>): number {
  if (a.length === 0) return 0;
  return a[0] + pairwiseSum(a, 1, a.length - 1);
}

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * scipy.ndimage.gaussian_filter1d weights: radius int(truncate·σ + 0.5), exp((−0.5/σ²)·k²),
 * normalised by numpy's sum. Length 2·radius + 1.
 */
export function gaussianWeights(sigma: number, truncate = 4): Float64Array {
  const radius = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  const c = -0.5 / (sigma * sigma);
  for (let k = -radius; k <= radius; k++) w[k + radius] = Math.exp(c * (k * k));
  const sum = numpySum(w);
  for (let k = 0; k < w.length; k++) w[k] /= sum;
  return w;
}

/**
 * scipy's correlate1d with a symmetric kernel over one line, in its order of operations:
 * centre tap first, then the pairs (x[i − j] + x[i + j])·w[j] from the outermost in.
 * `line` holds the n values padded by r = (w.length − 1)/2 border values on each side (as
 * scipy's line buffer); the n results go to out[outStart + i·outStride].
 */
export function correlateLine(w: Float64Array, line: Float64Array, n: number, out: Float64Array, outStart: number, outStride: number): void {
  const r = (w.length - 1) / 2;
  const centre = w[r];
  for (let i = 0; i < n; i++) {
    const c = i + r;
    let s = line[c] * centre;
    for (let j = r; j >= 1; j--) s += (line[c - j] + line[c + j]) * w[r - j];
    out[outStart + i * outStride] = s;
  }
}

/**
 * Fills `line` with n values read at data[start + k·stride], padded by r values each side
 * through `border` (an index map such as clampIndex).
 */
export function padLine(data: Float64Array, start: number, stride: number, n: number, r: number, border: (k: number, n: number) => number, line: Float64Array): void {
  // The border map only for the 2r padded values: a call per interior value was most of the blurs' time.
  for (let k = -r; k < 0; k++) line[k + r] = data[start + border(k, n) * stride];
  for (let k = 0, p = start; k < n; k++, p += stride) line[k + r] = data[p];
  for (let k = n; k < n + r; k++) line[k + r] = data[start + border(k, n) * stride];
}

/**
 * Separable Gaussian blur of each channel with scipy's default border (mode 'nearest'),
 * as `skimage.filters.gaussian(x, sigma, channel_axis=-1)`: rows (axis 0) first, then columns,
 * in scipy's order of operations.
 */
export function gaussianBlurFloat(img: FloatImage, sigma: number): FloatImage {
  const w = gaussianWeights(sigma);
  const r = (w.length - 1) / 2;
  const { width: W, height: H } = img;
  const tmp = new Float64Array(img.data.length);
  const out = new Float64Array(img.data.length);
  const line = new Float64Array(Math.max(W, H) + 2 * r);
  for (let x = 0; x < W; x++) {
    for (let c = 0; c < 3; c++) {
      padLine(img.data, x * 3 + c, W * 3, H, r, clampIndex, line);
      correlateLine(w, line, H, tmp, x * 3 + c, W * 3);
    }
  }
  for (let y = 0; y < H; y++) {
    for (let c = 0; c < 3; c++) {
      padLine(tmp, y * W * 3 + c, 3, W, r, clampIndex, line);
      correlateLine(w, line, W, out, y * W * 3 + c, 3);
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
