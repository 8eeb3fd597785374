import type { RawImage } from '../image/rawImage.js';
import { boxBlur3F32, boxBlur3U8, canny, distanceTransform5, equalizeHist, filter2DU8 } from './cvOps.js';
import { gaussianPlane, makePlane, type Plane } from './planes.js';
import { row, type ShiftParams } from './paramSets.js';
import { fromFloat, toFloat, type FloatImage } from './pixels.js';
import type { Corruption } from './types.js';

// (mean, std, σ, threshold, intensity | mud σ, 0 = water | 1 = mud) per severity and published
// set; `scaled` multiplies ImageNet-C's lengths by s.
type SpatterRow = readonly [number, number, number, number, number, 0 | 1];
const SPATTER: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly SpatterRow[]> = {
  'imagenet-c': [
    [0.65, 0.3, 4, 0.69, 0.6, 0],
    [0.65, 0.3, 3, 0.68, 0.6, 0],
    [0.65, 0.3, 2, 0.68, 0.5, 0],
    [0.65, 0.3, 1, 0.65, 1.5, 1],
    [0.67, 0.4, 1, 0.65, 1.5, 1],
  ],
  'tiny-imagenet-c': [
    [0.62, 0.1, 0.7, 0.7, 0.6, 0],
    [0.65, 0.1, 0.8, 0.7, 0.6, 0],
    [0.65, 0.3, 1, 0.69, 0.6, 0],
    [0.65, 0.1, 0.7, 0.68, 0.6, 1],
    [0.65, 0.1, 0.5, 0.67, 0.6, 1],
  ],
  'cifar-10-c': [
    [0.62, 0.1, 0.7, 0.7, 0.5, 0],
    [0.65, 0.1, 0.8, 0.7, 0.5, 0],
    [0.65, 0.3, 1, 0.69, 0.5, 0],
    [0.65, 0.1, 0.7, 0.69, 0.6, 1],
    [0.65, 0.1, 0.5, 0.68, 0.6, 1],
  ],
};

const WATER = [175 / 255, 238 / 255, 238 / 255]; // pale turquoise
const MUD = [63 / 255, 42 / 255, 20 / 255]; // mud brown
const EMBOSS = [-2, -1, 0, -1, 1, 1, 0, 1, 2];

/**
 * The water layer of ImageNet-C's spatter (severities 1–3) from the thresholded liquid field
 * (values < threshold already 0): bytes = uint8(liquid·255); dist = distance to the nearest
 * Canny(50, 150) edge, capped at `cap` px, 3×3 mean, bytes, histogram-equalised, embossed,
 * 3×3 mean; m = bytes·dist normalised to max 1, times `intensity`.
 */
export function waterLayer(liquid: Plane, cap: number, intensity: number): Float64Array {
  const { width: W, height: H } = liquid;
  const bytes = Uint8Array.from(liquid.data, (v) => Math.trunc(v * 255));
  const edges = canny(bytes, W, H, 50, 150);
  const dist = distanceTransform5(edges.map((e) => 255 - e), W, H);
  for (let i = 0; i < dist.length; i++) dist[i] = Math.min(dist[i], cap);
  const d8 = Uint8Array.from(boxBlur3F32(dist, W, H), (v) => Math.trunc(v));
  const shaded = boxBlur3U8(filter2DU8(equalizeHist(d8), W, H, EMBOSS), W, H);
  const m = new Float64Array(W * H);
  let max = 0;
  for (let i = 0; i < m.length; i++) {
    m[i] = Math.fround(bytes[i] * shaded[i]);
    max = Math.max(max, m[i]);
  }
  for (let i = 0; i < m.length; i++) m[i] = max > 0 ? (m[i] / max) * intensity : 0;
  return m;
}

/** The mud mask (severities 4–5): Gaussian blur (σ, edges repeated) of liquid > threshold, values < 0.8 set to 0. */
export function mudLayer(liquid: Plane, threshold: number, sigma: number): Float64Array {
  const mask = makePlane(liquid.width, liquid.height);
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = liquid.data[i] > threshold ? 1 : 0;
  const m = gaussianPlane(mask, sigma).data;
  for (let i = 0; i < m.length; i++) if (m[i] < 0.8) m[i] = 0;
  return m;
}

/**
 * The deterministic part of spatter: `field` is the N(mean, std²) noise, blurred by σ
 * (edges repeated) and thresholded; water adds m·turquoise, mud replaces x by
 * (1 − m)·x + m·brown. `scale` multiplies the lengths (the 20 px distance cap, the mud σ).
 * Returns floats (unclipped).
 */
export function spatterFloat(image: RawImage, field: Plane, severity: number, params: ShiftParams): FloatImage {
  const scale = params.scale;
  const [, , sigma, threshold, c4, kind] = row(SPATTER, params, severity);
  const liquid = gaussianPlane(field, sigma * scale);
  for (let i = 0; i < liquid.data.length; i++) if (liquid.data[i] < threshold) liquid.data[i] = 0;
  const x = toFloat(image);
  const n = image.width * image.height;
  if (kind === 0) {
    const m = waterLayer(liquid, 20 * scale, c4);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) x.data[i * 3 + c] += m[i] * WATER[c];
  } else {
    const m = mudLayer(liquid, threshold, c4 * scale);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) x.data[i * 3 + c] = x.data[i * 3 + c] * (1 - m[i]) + MUD[c] * m[i];
  }
  return x;
}

export const spatter: Corruption = {
  id: 'spatter',
  family: 'weather',
  summary: 'blurred, thresholded noise as liquid: embossed turquoise water (1–3) or brown mud (4–5)',
  parameters: SPATTER['imagenet-c'].map(([m, sd, g, t, c4, k]) =>
    `N(${m}, (${sd}·s)²), σ ${g}·s, threshold ${t}, ${k === 0 ? `water, intensity ${c4}` : `mud, σ ${c4}·s`}`),
  apply(image, severity, rng, params) {
    const s = params.scale;
    const [mean, std] = row(SPATTER, params, severity);
    // Blurring white noise by σ·s instead of σ multiplies its spread by 1/s, so the noise
    // spread is multiplied by s: the blurred field, and so the share of it above the
    // threshold, stays as at 224 px.
    const field = makePlane(image.width, image.height);
    for (let i = 0; i < field.data.length; i++) field.data[i] = mean + std * s * rng.normal();
    return fromFloat(spatterFloat(image, field, severity, params));
  },
};
