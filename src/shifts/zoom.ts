import type { RawImage } from '../image/rawImage.js';
import { pyRound } from './planes.js';
import type { PublishedParamSet } from './paramSets.js';
import { fromFloat, toFloat, type FloatImage } from './pixels.js';
import type { Corruption } from './types.js';

/** numpy.arange(start, stop, step) for floats: ceil((stop − start)/step) values start + i·((start + step) − start). */
export function npArange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  const delta = start + step - start;
  return Array.from({ length: Math.max(0, n) }, (_, i) => start + i * delta);
}

// ImageNet-C's zoom factors (np.arange(1, stop, step)); relative, so no scaling with the image
// size. Float rounding in numpy's arange makes severity 1 end at 1.11 (12 factors), not 1.10.
// Tiny-ImageNet-C and CIFAR-10-C share one list (step 0.01, to 1.06 … 1.26).
type Pair = readonly [number, number];
const ZOOM: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Pair[]> = {
  'imagenet-c': [[1.11, 0.01], [1.16, 0.01], [1.21, 0.02], [1.26, 0.02], [1.31, 0.03]],
  'tiny-imagenet-c': [[1.06, 0.01], [1.11, 0.01], [1.16, 0.01], [1.21, 0.01], [1.26, 0.01]],
  'cifar-10-c': [[1.06, 0.01], [1.11, 0.01], [1.16, 0.01], [1.21, 0.01], [1.26, 0.01]],
};

/** The zoom factors of a severity in a published set's table, exactly as numpy lists them. */
export function zoomFactors(severity: number, table: PublishedParamSet = 'imagenet-c'): number[] {
  const [stop, step] = ZOOM[table][severity - 1];
  return npArange(1, stop, step);
}

/** Per output index along one axis of ImageNet-C's `clipped_zoom(·, z)`: the two source indices and the weight of the second. */
function zoomTaps(n: number, z: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const ch = Math.ceil(n / z);
  const top = Math.floor((n - ch) / 2);
  const zoomed = pyRound(ch * z);
  const trim = Math.floor((zoomed - n) / 2);
  const ratio = zoomed > 1 ? (ch - 1) / (zoomed - 1) : 1;
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const f = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const c = (trim + k) * ratio;
    const lo = Math.floor(c);
    i0[k] = top + Math.min(lo, ch - 1);
    i1[k] = top + Math.min(lo + 1, ch - 1);
    f[k] = c - lo;
  }
  return { i0, i1, f };
}

/**
 * ImageNet-C's zoom blur: the mean of the image and its centre zooms by each factor,
 * (x + Σ zoom_z(x)) / (n + 1), each zoom as their `clipped_zoom` (crop the centre ceil(n/z), scipy's
 * linear zoom, trim to the centre), taken per axis and for the three channels in one pass with
 * the same arithmetic. Returns floats in [0, 1].
 */
export function zoomBlurFloat(image: RawImage, factors: readonly number[]): FloatImage {
  const x = toFloat(image);
  const { width: W, height: H } = image;
  const acc = new Float64Array(x.data.length);
  for (const z of factors) {
    const ty = zoomTaps(H, z);
    const tx = zoomTaps(W, z);
    for (let y = 0; y < H; y++) {
      const r0 = ty.i0[y] * W;
      const r1 = ty.i1[y] * W;
      const fy = ty.f[y];
      for (let px = 0; px < W; px++) {
        const fx = tx.f[px];
        const a = (r0 + tx.i0[px]) * 3;
        const b = (r0 + tx.i1[px]) * 3;
        const c = (r1 + tx.i0[px]) * 3;
        const d = (r1 + tx.i1[px]) * 3;
        const o = (y * W + px) * 3;
        for (let ch = 0; ch < 3; ch++) {
          const top = (1 - fx) * x.data[a + ch] + fx * x.data[b + ch];
          const bottom = (1 - fx) * x.data[c + ch] + fx * x.data[d + ch];
          acc[o + ch] += (1 - fy) * top + fy * bottom;
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) acc[i] = (x.data[i] + acc[i]) / (factors.length + 1);
  return { width: W, height: H, data: acc };
}

export const zoomBlur: Corruption = {
  id: 'zoom_blur',
  family: 'blur',
  summary: 'mean of the image and its centre zooms by 1 … z_max (radial blur about the centre)',
  parameters: ZOOM['imagenet-c'].map(([stop, step], i) => `zooms 1, ${1 + step} … ${zoomFactors(i + 1).at(-1)!.toFixed(2)} (${zoomFactors(i + 1).length})`),
  apply(image, severity, _rng, params) {
    return fromFloat(zoomBlurFloat(image, zoomFactors(severity, params.table)));
  },
};
