import { mapHsv } from './hsv.js';
import { fromFloat, toFloat } from './pixels.js';
import { row } from './paramSets.js';
import type { Corruption } from './types.js';

// ImageNet-C severities; photometric, so independent of the image size.
// Per published set (make_imagenet_c.py, make_tinyimagenet_c.py, make_cifar_c.py); `scaled` uses ImageNet-C's.
const BRIGHTNESS = { 'imagenet-c': [0.1, 0.2, 0.3, 0.4, 0.5], 'tiny-imagenet-c': [0.1, 0.2, 0.3, 0.4, 0.5], 'cifar-10-c': [0.05, 0.1, 0.15, 0.2, 0.3] };
const CONTRAST = { 'imagenet-c': [0.4, 0.3, 0.2, 0.1, 0.05], 'tiny-imagenet-c': [0.4, 0.3, 0.2, 0.1, 0.05], 'cifar-10-c': [0.75, 0.5, 0.4, 0.3, 0.15] };
type Pair = readonly [number, number];
const SATURATE: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Pair[]> = {
  'imagenet-c': [[0.3, 0], [0.1, 0], [2, 0], [5, 0.1], [20, 0.2]],
  'tiny-imagenet-c': [[0.3, 0], [0.1, 0], [2, 0], [5, 0.1], [30, 0.2]],
  'cifar-10-c': [[0.3, 0], [0.1, 0], [1.5, 0], [2, 0.1], [2.5, 0.2]],
};

const clip01 = (v: number): number => Math.min(1, Math.max(0, v));

export const brightness: Corruption = {
  id: 'brightness',
  family: 'weather',
  summary: 'adds c to the HSV value channel (clipped to 1)',
  parameters: BRIGHTNESS['imagenet-c'].map((c) => `V += ${c}`),
  apply(image, severity, _rng, params) {
    const x = toFloat(image);
    const c = row(BRIGHTNESS, params, severity);
    mapHsv(x.data, (hsv) => {
      hsv[2] = clip01(hsv[2] + c);
    });
    return fromFloat(x);
  },
};

export const contrast: Corruption = {
  id: 'contrast',
  family: 'digital',
  summary: 'scales each channel about its image mean: (x − mean)·c + mean',
  parameters: CONTRAST['imagenet-c'].map((c) => `c = ${c}`),
  apply(image, severity, _rng, params) {
    const x = toFloat(image);
    const c = row(CONTRAST, params, severity);
    const n = x.data.length / 3;
    for (let ch = 0; ch < 3; ch++) {
      let mean = 0;
      for (let i = ch; i < x.data.length; i += 3) mean += x.data[i];
      mean /= n;
      for (let i = ch; i < x.data.length; i += 3) x.data[i] = (x.data[i] - mean) * c + mean;
    }
    return fromFloat(x);
  },
};

export const saturate: Corruption = {
  id: 'saturate',
  family: 'digital',
  summary: 'HSV saturation S ← clip(S·a + b)',
  parameters: SATURATE['imagenet-c'].map(([a, b]) => `S·${a} + ${b}`),
  apply(image, severity, _rng, params) {
    const x = toFloat(image);
    const [a, b] = row(SATURATE, params, severity);
    mapHsv(x.data, (hsv) => {
      hsv[1] = clip01(hsv[1] * a + b);
    });
    return fromFloat(x);
  },
};
