import { mapHsv } from './hsv.js';
import { fromFloat, toFloat } from './pixels.js';
import type { Corruption } from './types.js';

// ImageNet-C severities; photometric, so independent of the image size.
const BRIGHTNESS = [0.1, 0.2, 0.3, 0.4, 0.5];
const CONTRAST = [0.4, 0.3, 0.2, 0.1, 0.05];
const SATURATE: readonly (readonly [number, number])[] = [[0.3, 0], [0.1, 0], [2, 0], [5, 0.1], [20, 0.2]];

const clip01 = (v: number): number => Math.min(1, Math.max(0, v));

export const brightness: Corruption = {
  id: 'brightness',
  family: 'weather',
  summary: 'adds c to the HSV value channel (clipped to 1)',
  parameters: BRIGHTNESS.map((c) => `V += ${c}`),
  apply(image, severity) {
    const x = toFloat(image);
    const c = BRIGHTNESS[severity - 1];
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
  parameters: CONTRAST.map((c) => `c = ${c}`),
  apply(image, severity) {
    const x = toFloat(image);
    const c = CONTRAST[severity - 1];
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
  parameters: SATURATE.map(([a, b]) => `S·${a} + ${b}`),
  apply(image, severity) {
    const x = toFloat(image);
    const [a, b] = SATURATE[severity - 1];
    mapHsv(x.data, (hsv) => {
      hsv[1] = clip01(hsv[1] * a + b);
    });
    return fromFloat(x);
  },
};
