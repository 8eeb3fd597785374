import type { Kernel2D } from './kernels.js';

/** Sub-samples per pixel side when measuring how much of a pixel the disk covers. */
const SUPERSAMPLE = 8;

function coveredFraction(px: number, py: number, radius: number): number {
  let hits = 0;
  for (let j = 0; j < SUPERSAMPLE; j++) {
    const y = py - 0.5 + (j + 0.5) / SUPERSAMPLE;
    for (let i = 0; i < SUPERSAMPLE; i++) {
      const x = px - 0.5 + (i + 0.5) / SUPERSAMPLE;
      if (x * x + y * y <= radius * radius) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

/** cv2.getGaussianKernel(3, σ): the 3-tap kernel ImageNet-C anti-aliases its disk with. */
function gauss3(sigma: number): [number, number, number] {
  const e = Math.exp(-1 / (2 * sigma * sigma));
  return [e / (1 + 2 * e), 1 / (1 + 2 * e), e / (1 + 2 * e)];
}

/**
 * The defocus point-spread function: a disk of `radius` pixels, normalised, then smoothed
 * by a 3×3 Gaussian of σ = `aliasBlur` (ImageNet-C's `disk`). ImageNet-C marks grid points
 * inside the disk; at 224 px radii of 3–10 that is a fair disk, but scaled to 64 px (radius
 * 0.86–2.9) it would collapse to a point, so each weight here is the fraction of its pixel
 * the disk covers (8×8 samples), the same disk drawn without aliasing.
 */
export function diskKernel(radius: number, aliasBlur: number): Kernel2D {
  const r = Math.ceil(radius) + 1;
  const size = 2 * r + 1;
  const disk = new Float64Array(size * size);
  let sum = 0;
  for (let y = -r; y <= r; y++) {
    for (let x = -r; x <= r; x++) {
      const v = coveredFraction(x, y, radius);
      disk[(y + r) * size + x + r] = v;
      sum += v;
    }
  }
  const g = gauss3(aliasBlur);
  const tmp = new Float64Array(size * size);
  const out = new Float64Array(size * size);
  // The disk is zero on the outer ring, so zero padding equals OpenCV's border here.
  const at = (a: Float64Array, x: number, y: number): number => (x < 0 || y < 0 || x >= size || y >= size ? 0 : a[y * size + x]);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) tmp[y * size + x] = (g[0] * at(disk, x - 1, y) + g[1] * at(disk, x, y) + g[2] * at(disk, x + 1, y)) / sum;
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out[y * size + x] = g[0] * at(tmp, x, y - 1) + g[1] * at(tmp, x, y) + g[2] * at(tmp, x, y + 1);
  }
  return { size, weights: out };
}
