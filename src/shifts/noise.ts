import type { Corruption } from './types.js';
import { row } from './paramSets.js';
import { fromFloat, toFloat } from './pixels.js';

// Severities 1–5 of each published set (make_imagenet_c.py, make_tinyimagenet_c.py,
// make_cifar_c.py); noise is per pixel, so `scaled` uses ImageNet-C's unchanged.
const GAUSSIAN = { 'imagenet-c': [0.08, 0.12, 0.18, 0.26, 0.38], 'tiny-imagenet-c': [0.04, 0.08, 0.12, 0.15, 0.18], 'cifar-10-c': [0.04, 0.06, 0.08, 0.09, 0.1] };
const SHOT = { 'imagenet-c': [60, 25, 12, 5, 3], 'tiny-imagenet-c': [250, 100, 50, 30, 15], 'cifar-10-c': [500, 250, 100, 75, 50] };
const IMPULSE = { 'imagenet-c': [0.03, 0.06, 0.09, 0.17, 0.27], 'tiny-imagenet-c': [0.01, 0.02, 0.05, 0.08, 0.14], 'cifar-10-c': [0.01, 0.02, 0.03, 0.05, 0.07] };
const SPECKLE = { 'imagenet-c': [0.15, 0.2, 0.35, 0.45, 0.6], 'tiny-imagenet-c': [0.15, 0.2, 0.25, 0.3, 0.35], 'cifar-10-c': [0.06, 0.1, 0.12, 0.16, 0.2] };

export const gaussianNoise: Corruption = {
  id: 'gaussian_noise',
  family: 'noise',
  summary: 'adds N(0, σ²) to every channel of x/255',
  parameters: GAUSSIAN['imagenet-c'].map((c) => `σ = ${c}`),
  apply(image, severity, rng, params) {
    const x = toFloat(image);
    const c = row(GAUSSIAN, params, severity);
    for (let i = 0; i < x.data.length; i++) x.data[i] += c * rng.normal();
    return fromFloat(x);
  },
};

export const shotNoise: Corruption = {
  id: 'shot_noise',
  family: 'noise',
  summary: 'Poisson photon noise: poisson(x·λ)/λ',
  parameters: SHOT['imagenet-c'].map((c) => `λ = ${c}`),
  apply(image, severity, rng, params) {
    const x = toFloat(image);
    const c = row(SHOT, params, severity);
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.poisson(x.data[i] * c) / c;
    return fromFloat(x);
  },
};

export const impulseNoise: Corruption = {
  id: 'impulse_noise',
  family: 'noise',
  summary: "salt-and-pepper per channel value (skimage random_noise 's&p', salt:pepper 1:1)",
  parameters: IMPULSE['imagenet-c'].map((c) => `amount = ${c}`),
  apply(image, severity, rng, params) {
    const x = toFloat(image);
    const amount = row(IMPULSE, params, severity);
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
  parameters: SPECKLE['imagenet-c'].map((c) => `σ = ${c}`),
  apply(image, severity, rng, params) {
    const x = toFloat(image);
    const c = row(SPECKLE, params, severity);
    for (let i = 0; i < x.data.length; i++) x.data[i] += x.data[i] * c * rng.normal();
    return fromFloat(x);
  },
};
