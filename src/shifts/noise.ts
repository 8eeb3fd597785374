import type { Corruption } from './types.js';
import { fromFloat, toFloat } from './pixels.js';

// ImageNet-C severities (hendrycks/robustness corruptions.py); noise is per pixel, so
// these need no scaling with the image size.
const GAUSSIAN = [0.08, 0.12, 0.18, 0.26, 0.38];
const SHOT = [60, 25, 12, 5, 3];
const IMPULSE = [0.03, 0.06, 0.09, 0.17, 0.27];
const SPECKLE = [0.15, 0.2, 0.35, 0.45, 0.6];

export const gaussianNoise: Corruption = {
  id: 'gaussian_noise',
  family: 'noise',
  summary: 'adds N(0, σ²) to every channel of x/255',
  parameters: GAUSSIAN.map((c) => `σ = ${c}`),
  apply(image, severity, rng) {
    const x = toFloat(image);
    const c = GAUSSIAN[severity - 1];
    for (let i = 0; i < x.data.length; i++) x.data[i] += c * rng.normal();
    return fromFloat(x);
  },
};

export const shotNoise: Corruption = {
  id: 'shot_noise',
  family: 'noise',
  summary: 'Poisson photon noise: poisson(x·λ)/λ',
  parameters: SHOT.map((c) => `λ = ${c}`),
  apply(image, severity, rng) {
    const x = toFloat(image);
    const c = SHOT[severity - 1];
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.poisson(x.data[i] * c) / c;
    return fromFloat(x);
  },
};

export const impulseNoise: Corruption = {
  id: 'impulse_noise',
  family: 'noise',
  summary: "salt-and-pepper per channel value (skimage random_noise 's&p', salt:pepper 1:1)",
  parameters: IMPULSE.map((c) => `amount = ${c}`),
  apply(image, severity, rng) {
    const x = toFloat(image);
    const amount = IMPULSE[severity - 1];
    for (let i = 0; i < x.data.length; i++) {
      const flipped = rng.next() < amount;
      const salted = rng.next() < 0.5;
      if (flipped) x.data[i] = salted ? 1 : 0;
    }
    return fromFloat(x);
  },
};

export const speckleNoise: Corruption = {
  id: 'speckle_noise',
  family: 'noise',
  summary: 'multiplicative noise: x + x·N(0, σ²)',
  parameters: SPECKLE.map((c) => `σ = ${c}`),
  apply(image, severity, rng) {
    const x = toFloat(image);
    const c = SPECKLE[severity - 1];
    for (let i = 0; i < x.data.length; i++) x.data[i] += x.data[i] * c * rng.normal();
    return fromFloat(x);
  },
};
