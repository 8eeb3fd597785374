import type { RawImage } from '../image/rawImage.js';
import { gaussianBlurFloat } from './kernels.js';
import { row } from './paramSets.js';
import { fromFloat, toFloat, type FloatImage } from './pixels.js';
import type { Corruption } from './types.js';

// (σ, max_delta, iterations) per severity and published set; `scaled` multiplies ImageNet-C's lengths by s.
type Triple = readonly [number, number, number];
const GLASS: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Triple[]> = {
  'imagenet-c': [[0.7, 1, 2], [0.9, 2, 1], [1, 2, 3], [1.1, 3, 2], [1.5, 4, 2]],
  'tiny-imagenet-c': [[0.1, 1, 1], [0.5, 1, 1], [0.6, 1, 2], [0.7, 2, 1], [0.9, 2, 2]],
  'cifar-10-c': [[0.05, 1, 1], [0.25, 1, 1], [0.4, 1, 1], [0.25, 1, 2], [0.4, 1, 2]],
};

/** The shuffle distance in whole pixels at scale s: round(δ·s), at least 1 (64 px: 1, 1, 1, 1, 1). */
export function glassDelta(delta: number, s: number): number {
  return Math.max(1, Math.round(delta * s));
}

/**
 * ImageNet-C's local pixel shuffle, in place on 8-bit pixels: `iterations` passes over rows
 * H−δ…δ+1 and, within a row, columns W−δ…δ+1 (both descending), each pixel taking the value
 * of the pixel (dy, dx) away, dx then dy drawn by `offset()` in [−δ, δ − 1] (numpy's
 * randint(−δ, δ)). Published ImageNet-C writes `x[h, w], x[h', w'] = x[h', w'], x[h, w]`, which
 * on numpy views copies x[h', w'] into x[h, w] and leaves x[h', w'] as it was (the right-hand
 * side is a view of the pixel just overwritten): so this copies rather than swaps, as the
 * published data was made.
 */
export function glassShuffle(image: RawImage, delta: number, iterations: number, offset: () => number): void {
  const { width: W, height: H } = image;
  const px = image.data;
  for (let it = 0; it < iterations; it++) {
    for (let h = H - delta; h > delta; h--) {
      for (let w = W - delta; w > delta; w--) {
        const dx = offset();
        const dy = offset();
        const to = (h * W + w) * 3;
        const from = ((h + dy) * W + w + dx) * 3;
        px[to] = px[from];
        px[to + 1] = px[from + 1];
        px[to + 2] = px[from + 2];
      }
    }
  }
}

/** The first step: Gaussian blur of σ, truncated to bytes (`np.uint8(gaussian(x/255, σ)·255)`). */
export function glassFirstBlur(image: RawImage, sigma: number): RawImage {
  return fromFloat(gaussianBlurFloat(toFloat(image), sigma));
}

/**
 * The deterministic part of ImageNet-C's glass blur: `glassFirstBlur`, `glassShuffle`, and the
 * same Gaussian blur again. Returns floats (unclipped) in [0, 1].
 */
export function glassBlurFloat(image: RawImage, sigma: number, delta: number, iterations: number, offset: () => number): FloatImage {
  const blurred = glassFirstBlur(image, sigma);
  glassShuffle(blurred, delta, iterations, offset);
  return gaussianBlurFloat(toFloat(blurred), sigma);
}

export const glassBlur: Corruption = {
  id: 'glass_blur',
  family: 'blur',
  summary: 'Gaussian blur, local pixel shuffle within ±δ, Gaussian blur again (frosted glass)',
  parameters: GLASS['imagenet-c'].map(([g, d, n]) => `σ = ${g}·s, δ = round(${d}·s) ≥ 1, ${n} pass(es)`),
  apply(image, severity, rng, params) {
    const s = params.scale;
    const [sigma, d, iterations] = row(GLASS, params, severity);
    const delta = glassDelta(d, s);
    return fromFloat(glassBlurFloat(image, sigma * s, delta, iterations, () => rng.int(-delta, delta - 1)));
  },
};
