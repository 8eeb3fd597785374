import type { Rng } from '../util/rng.js';
import { fromFloat, toFloat } from './pixels.js';
import { row } from './paramSets.js';
import type { Corruption } from './types.js';

// (strength, wibble decay) per severity and published set; photometric, so `scaled` uses ImageNet-C's.
type Pair = readonly [number, number];
const FOG: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Pair[]> = {
  'imagenet-c': [[1.5, 2], [2, 2], [2.5, 1.7], [2.5, 1.5], [3, 1.4]],
  'tiny-imagenet-c': [[0.4, 3], [0.7, 3], [1, 2.5], [1.5, 2], [2, 1.75]],
  'cifar-10-c': [[0.2, 3], [0.5, 3], [0.75, 2.5], [1, 2], [1.5, 1.75]],
};

/**
 * Diamond-square plasma on a `mapsize`² torus (a power of two), normalised to [0, 1]:
 * ImageNet-C's `plasma_fractal`, including its wibble·U(−wibble, wibble) perturbation
 * (wibble starts at 100 and is divided by `decay` per octave), drawn in row-major order.
 */
export function plasmaFractal(mapsize: number, decay: number, rng: Rng): Float64Array {
  const m = mapsize;
  const a = new Float64Array(m * m);
  let step = m;
  let wibble = 100;
  const jitter = (sum: number): number => sum / 4 + wibble * rng.uniform(-wibble, wibble);
  while (step >= 2) {
    const n = m / step;
    const h = step / 2;
    const ul = (i: number, j: number): number => a[((((i % n) + n) % n) * step) * m + (((j % n) + n) % n) * step];
    // squares: centre of each cell = mean of its 4 corners (wrapping)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[(i * step + h) * m + j * step + h] = jitter(ul(i, j) + ul(i + 1, j) + ul(i, j + 1) + ul(i + 1, j + 1));
    }
    const dr = (i: number, j: number): number => a[((((i % n) + n) % n) * step + h) * m + (((j % n) + n) % n) * step + h];
    // diamonds on the top edges of cells, then on the left edges
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * step * m + j * step + h] = jitter(dr(i, j) + dr(i - 1, j) + ul(i, j) + ul(i, j + 1));
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[(i * step + h) * m + j * step] = jitter(dr(i, j) + dr(i, j - 1) + ul(i, j) + ul(i + 1, j));
    }
    step /= 2;
    wibble /= decay;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  for (let i = 0; i < a.length; i++) a[i] = (a[i] - lo) / (hi - lo);
  return a;
}

/** Smallest power of two ≥ n: the published map sizes (256 for ImageNet-C's 224 px, 64 for Tiny-ImageNet-C, 32 for CIFAR-10-C). */
export function fogMapSize(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, n)));
}

export const fog: Corruption = {
  id: 'fog',
  family: 'weather',
  summary: 'adds a plasma-fractal haze, then rescales: (x + t·plasma)·max/(max + t)',
  parameters: FOG['imagenet-c'].map(([t, d]) => `t = ${t}, decay = ${d}`),
  apply(image, severity, rng, params) {
    const x = toFloat(image);
    const [t, decay] = row(FOG, params, severity);
    const m = fogMapSize(Math.max(image.width, image.height));
    const plasma = plasmaFractal(m, decay, rng);
    let maxVal = 0;
    for (const v of x.data) maxVal = Math.max(maxVal, v);
    for (let y = 0; y < image.height; y++) {
      for (let px = 0; px < image.width; px++) {
        const add = t * plasma[y * m + px];
        for (let c = 0; c < 3; c++) {
          const i = (y * image.width + px) * 3 + c;
          x.data[i] = ((x.data[i] + add) * maxVal) / (maxVal + t);
        }
      }
    }
    return fromFloat(x);
  },
};
