import { correlateLine, gaussianWeights, padLine } from './kernels.js';
import { clampIndex } from './pixels.js';

/** One channel of doubles, row-major (height rows of width values). */
export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

/** scipy.ndimage border modes used by ImageNet-C: 'nearest' (edge repeated), 'reflect' (dcba|abcd). */
export type BorderMode = 'nearest' | 'reflect';

/** scipy's 'reflect' (half-sample symmetric): −1 → 0, n → n − 1, period 2n. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * n;
  let k = ((i % p) + p) % p;
  if (k >= n) k = p - 1 - k;
  return k;
}

const borderIndex = (mode: BorderMode): ((i: number, n: number) => number) => (mode === 'nearest' ? clampIndex : reflectIndex);

export function makePlane(width: number, height: number): Plane {
  return { width, height, data: new Float64Array(width * height) };
}

/**
 * scipy.ndimage.gaussian_filter of one plane (axis 0, then axis 1, as scipy), weights of
 * `gaussianWeights(sigma, truncate)`, borders by `mode`, scipy's order of operations.
 */
export function gaussianPlane(p: Plane, sigma: number, mode: BorderMode = 'nearest', truncate = 4): Plane {
  // scipy's gaussian_filter leaves an axis of σ ≤ 1e-15 alone (Tiny-ImageNet-C's and CIFAR-10-C's elastic severity 1 has σ = 0)
  if (sigma <= 1e-15) return { width: p.width, height: p.height, data: Float64Array.from(p.data) };
  const w = gaussianWeights(sigma, truncate);
  const r = (w.length - 1) / 2;
  const border = borderIndex(mode);
  const { width: W, height: H } = p;
  const tmp = new Float64Array(W * H);
  const line = new Float64Array(Math.max(W, H) + 2 * r);
  for (let x = 0; x < W; x++) {
    padLine(p.data, x, W, H, r, border, line);
    correlateLine(w, line, H, tmp, x, W);
  }
  const out = makePlane(W, H);
  for (let y = 0; y < H; y++) {
    padLine(tmp, y * W, 1, W, r, border, line);
    correlateLine(w, line, W, out.data, y * W, 1);
  }
  return out;
}

/**
 * scipy.ndimage.zoom(p, ·, order=1) to `outW`×`outH` (scipy ≥ 1.6, grid_mode False):
 * output pixel k samples input coordinate k·(n_in − 1)/(n_out − 1), linearly interpolated.
 */
export function zoomLinear(p: Plane, outW: number, outH: number): Plane {
  const ratio = (nin: number, nout: number): number => (nout > 1 ? (nin - 1) / (nout - 1) : 1);
  const taps = (nin: number, nout: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } => {
    const z = ratio(nin, nout);
    const i0 = new Int32Array(nout);
    const i1 = new Int32Array(nout);
    const f = new Float64Array(nout);
    for (let k = 0; k < nout; k++) {
      const c = k * z;
      const lo = Math.floor(c);
      i0[k] = Math.min(lo, nin - 1);
      i1[k] = Math.min(lo + 1, nin - 1);
      f[k] = c - lo;
    }
    return { i0, i1, f };
  };
  const ty = taps(p.height, outH);
  const tx = taps(p.width, outW);
  const out = makePlane(outW, outH);
  for (let y = 0; y < outH; y++) {
    const r0 = ty.i0[y] * p.width;
    const r1 = ty.i1[y] * p.width;
    const fy = ty.f[y];
    for (let x = 0; x < outW; x++) {
      const fx = tx.f[x];
      const top = (1 - fx) * p.data[r0 + tx.i0[x]] + fx * p.data[r0 + tx.i1[x]];
      const bottom = (1 - fx) * p.data[r1 + tx.i0[x]] + fx * p.data[r1 + tx.i1[x]];
      out.data[y * outW + x] = (1 - fy) * top + fy * bottom;
    }
  }
  return out;
}

/**
 * Zooms `crop` by z with `zoomLinear` (output side round(side·z)) and keeps the centre
 * `width`×`height`: the second half of ImageNet-C's `clipped_zoom`.
 */
export function zoomCentre(crop: Plane, z: number, width: number, height: number): Plane {
  const zoomed = zoomLinear(crop, pyRound(crop.width * z), pyRound(crop.height * z));
  const trimTop = Math.floor((zoomed.height - height) / 2);
  const trimLeft = Math.floor((zoomed.width - width) / 2);
  const out = makePlane(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out.data[y * width + x] = zoomed.data[(trimTop + y) * zoomed.width + trimLeft + x];
  }
  return out;
}

/** Python's round(): halves to even (scipy rounds the zoomed shape with it). */
export function pyRound(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
