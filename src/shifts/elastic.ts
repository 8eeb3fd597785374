import type { RawImage } from '../image/rawImage.js';
import type { Rng } from '../util/rng.js';
import { gaussianPlane, makePlane, reflectIndex, type Plane } from './planes.js';
import { row } from './paramSets.js';
import { fromFloat, reflect101, toFloat, type FloatImage } from './pixels.js';
import type { Corruption } from './types.js';

// ImageNet-C (α, σ, affine jitter) per severity; their code multiplies by 244 where it meant
// 224 ("ultimately nothing is incorrect"), and the published data used these values.
// Tiny-ImageNet-C and CIFAR-10-C write theirs as IMSIZE·c with IMSIZE 64 and 32, computed the same way here.
type Triple = readonly [number, number, number];
const ELASTIC: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Triple[]> = {
  'imagenet-c': [
    [244 * 2, 244 * 0.7, 244 * 0.1],
    [244 * 2, 244 * 0.08, 244 * 0.2],
    [244 * 0.05, 244 * 0.01, 244 * 0.02],
    [244 * 0.07, 244 * 0.01, 244 * 0.02],
    [244 * 0.12, 244 * 0.01, 244 * 0.02],
  ],
  'tiny-imagenet-c': [
    [64 * 0, 64 * 0, 64 * 0.08],
    [64 * 0.05, 64 * 0.3, 64 * 0.06],
    [64 * 0.1, 64 * 0.08, 64 * 0.06],
    [64 * 0.1, 64 * 0.03, 64 * 0.03],
    [64 * 0.16, 64 * 0.03, 64 * 0.02],
  ],
  'cifar-10-c': [
    [32 * 0, 32 * 0, 32 * 0.08],
    [32 * 0.05, 32 * 0.2, 32 * 0.07],
    [32 * 0.08, 32 * 0.06, 32 * 0.06],
    [32 * 0.1, 32 * 0.04, 32 * 0.05],
    [32 * 0.1, 32 * 0.03, 32 * 0.03],
  ],
};

/** A 2×3 affine matrix, row-major: x' = m0·x + m1·y + m2, y' = m3·x + m4·y + m5. */
export type Affine = [number, number, number, number, number, number];

/** ImageNet-C's three control points (x, y) for an image of `width`×`height` (they put (H//2, W//2) first). */
export function controlPoints(width: number, height: number): [number, number][] {
  const c0 = Math.floor(height / 2);
  const c1 = Math.floor(width / 2);
  const sq = Math.floor(Math.min(width, height) / 3);
  return [[c0 + sq, c1 + sq], [c0 + sq, c1 - sq], [c0 - sq, c1 - sq]];
}

/** cv2.getAffineTransform: the affine map taking the three `from` points to `to` (solved in doubles). */
export function affineFromPoints(from: readonly [number, number][], to: readonly [number, number][]): Affine {
  const [[x0, y0], [x1, y1], [x2, y2]] = from;
  const det = x0 * (y1 - y2) - y0 * (x1 - x2) + (x1 * y2 - x2 * y1);
  const solve = (v0: number, v1: number, v2: number): [number, number, number] => [
    (v0 * (y1 - y2) - y0 * (v1 - v2) + (v1 * y2 - v2 * y1)) / det,
    (x0 * (v1 - v2) - v0 * (x1 - x2) + (x1 * v2 - x2 * v1)) / det,
    (x0 * (y1 * v2 - y2 * v1) - y0 * (x1 * v2 - x2 * v1) + v0 * (x1 * y2 - x2 * y1)) / det,
  ];
  const [a, b, c] = solve(to[0][0], to[1][0], to[2][0]);
  const [d, e, f] = solve(to[0][1], to[1][1], to[2][1]);
  return [a, b, c, d, e, f];
}

/** cv2.invertAffineTransform. */
export function invertAffine(m: Affine): Affine {
  let D = m[0] * m[4] - m[1] * m[3];
  D = D !== 0 ? 1 / D : 0;
  const a11 = m[4] * D;
  const a22 = m[0] * D;
  const a12 = -m[1] * D;
  const a21 = -m[3] * D;
  return [a11, a12, -a11 * m[2] - a12 * m[5], a21, a22, -a21 * m[2] - a22 * m[5]];
}

const cvRound = (v: number): number => {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/**
 * cv2.warpAffine(img, M, (W, H), INTER_LINEAR, BORDER_REFLECT_101): each output pixel
 * samples the inverse map, its coordinates quantised to 1/32 px as OpenCV does (10-bit
 * fixed point, rounded), bilinear.
 */
export function warpAffine(img: FloatImage, m: Affine): FloatImage {
  const inv = invertAffine(m);
  const { width: W, height: H } = img;
  const out = new Float64Array(img.data.length);
  const AB = 1024;
  const adx = Int32Array.from({ length: W }, (_, x) => cvRound(inv[0] * x * AB));
  const ady = Int32Array.from({ length: W }, (_, x) => cvRound(inv[3] * x * AB));
  for (let y = 0; y < H; y++) {
    const X0 = cvRound((inv[1] * y + inv[2]) * AB) + 16;
    const Y0 = cvRound((inv[4] * y + inv[5]) * AB) + 16;
    for (let x = 0; x < W; x++) {
      const X = (X0 + adx[x]) >> 5;
      const Y = (Y0 + ady[x]) >> 5;
      const sx = X >> 5;
      const sy = Y >> 5;
      const fx = (X & 31) / 32;
      const fy = (Y & 31) / 32;
      const x0 = reflect101(sx, W);
      const x1 = reflect101(sx + 1, W);
      const y0 = reflect101(sy, H);
      const y1 = reflect101(sy + 1, H);
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number): number => img.data[(yy * W + xx) * 3 + c];
        out[(y * W + x) * 3 + c] = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
      }
    }
  }
  return { width: W, height: H, data: out };
}

/**
 * scipy.ndimage.map_coordinates(img, (y + dy, x + dx, c), order=1, mode='reflect'): each pixel
 * moves to the bilinear sample at its position plus the displacement.
 */
export function displace(img: FloatImage, dx: Plane, dy: Plane): FloatImage {
  const { width: W, height: H } = img;
  const out = new Float64Array(img.data.length);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const cy = y + dy.data[y * W + x];
      const cx = x + dx.data[y * W + x];
      const iy = Math.floor(cy);
      const ix = Math.floor(cx);
      const fy = cy - iy;
      const fx = cx - ix;
      const y0 = reflectIndex(iy, H);
      const y1 = reflectIndex(iy + 1, H);
      const x0 = reflectIndex(ix, W);
      const x1 = reflectIndex(ix + 1, W);
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number): number => img.data[(yy * W + xx) * 3 + c];
        out[(y * W + x) * 3 + c] = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
      }
    }
  }
  return { width: W, height: H, data: out };
}

/** The displacement field: α · (U(−1, 1) noise blurred by σ, scipy 'reflect', truncate 3), stored as float32. */
export function displacementField(noise: Plane, alpha: number, sigma: number): Plane {
  const blurred = gaussianPlane(noise, sigma, 'reflect', 3);
  for (let i = 0; i < blurred.data.length; i++) blurred.data[i] = Math.fround(blurred.data[i] * alpha);
  return blurred;
}

/**
 * The deterministic part of ImageNet-C's elastic transform: the random affine warp moving
 * the control points by `jitter` (3 × (x, y), float32 as theirs), then each pixel displaced by
 * (dx, dy). Returns floats (unclipped).
 */
export function elasticFloat(image: RawImage, jitter: readonly number[], dx: Plane, dy: Plane): FloatImage {
  const from = controlPoints(image.width, image.height);
  const to = from.map(([x, y], i): [number, number] => [Math.fround(x + Math.fround(jitter[2 * i])), Math.fround(y + Math.fround(jitter[2 * i + 1]))]);
  return displace(warpAffine(toFloat(image), affineFromPoints(from, to)), dx, dy);
}

function uniformPlane(width: number, height: number, rng: Rng): Plane {
  const p = makePlane(width, height);
  for (let i = 0; i < p.data.length; i++) p.data[i] = rng.uniform(-1, 1);
  return p;
}

export const elasticTransform: Corruption = {
  id: 'elastic_transform',
  family: 'digital',
  summary: 'random affine warp of the centre square, then a smooth random displacement field',
  parameters: ELASTIC['imagenet-c'].map(([a, g, j]) => `α = ${+a.toFixed(2)}·s², σ = ${+g.toFixed(2)}·s, affine jitter ${+j.toFixed(2)}·s`),
  apply(image, severity, rng, params) {
    const s = params.scale;
    const [alpha, sigma, affine] = row(ELASTIC, params, severity);
    const jitter = Array.from({ length: 6 }, () => rng.uniform(-affine * s, affine * s));
    // A σ·s blur of white noise has 1/s of the σ blur's spread, so α·s² gives displacements
    // s times the 224 px ones, like every other length.
    const dx = displacementField(uniformPlane(image.width, image.height, rng), alpha * s * s, sigma * s);
    const dy = displacementField(uniformPlane(image.width, image.height, rng), alpha * s * s, sigma * s);
    return fromFloat(elasticFloat(image, jitter, dx, dy));
  },
};
