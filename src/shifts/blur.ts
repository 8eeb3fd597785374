import { diskKernel } from './disk.js';
import { filter2D, gaussianBlurFloat } from './kernels.js';
import { motionBlurImage } from './motion.js';
import { row } from './paramSets.js';
import { fromFloat, toFloat } from './pixels.js';
import type { Corruption } from './types.js';

// Severities in pixels per published set (make_imagenet_c.py, make_tinyimagenet_c.py,
// make_cifar_c.py); `scaled` multiplies ImageNet-C's by s = side/224 (params.scale).
type Pair = readonly [number, number];
const GAUSSIAN_SIGMA = { 'imagenet-c': [1, 2, 3, 4, 6], 'tiny-imagenet-c': [0.5, 0.75, 1, 1.25, 1.5], 'cifar-10-c': [0.4, 0.6, 0.7, 0.8, 1] };
const DEFOCUS: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Pair[]> = {
  'imagenet-c': [[3, 0.1], [4, 0.5], [6, 0.5], [8, 0.5], [10, 0.5]],
  'tiny-imagenet-c': [[0.5, 0.6], [1, 0.1], [1.5, 0.1], [2.5, 0.01], [3, 0.1]],
  'cifar-10-c': [[0.3, 0.4], [0.4, 0.5], [0.5, 0.6], [1, 0.2], [1.5, 0.1]],
};
const MOTION: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Pair[]> = {
  'imagenet-c': [[10, 3], [15, 5], [15, 8], [15, 12], [20, 15]],
  'tiny-imagenet-c': [[10, 1], [10, 1.5], [10, 2], [10, 2.5], [12, 3]],
  'cifar-10-c': [[6, 1], [6, 1.5], [6, 2], [8, 2], [9, 2.5]],
};

const at64 = (v: number): string => (v * (64 / 224)).toFixed(2);

export const gaussianBlur: Corruption = {
  id: 'gaussian_blur',
  family: 'blur',
  summary: "Gaussian blur (scipy gaussian_filter, truncate 4, mode 'nearest')",
  parameters: GAUSSIAN_SIGMA['imagenet-c'].map((c) => `σ = ${c}·s (${at64(c)} px at 64)`),
  apply(image, severity, _rng, params) {
    return fromFloat(gaussianBlurFloat(toFloat(image), row(GAUSSIAN_SIGMA, params, severity) * params.scale));
  },
};

export const defocusBlur: Corruption = {
  id: 'defocus_blur',
  family: 'blur',
  summary: "convolution with ImageNet-C's disk (whole grid points, 3×3/5×5 alias blur), BORDER_REFLECT_101",
  parameters: DEFOCUS['imagenet-c'].map(([r, a]) => `radius = ${r}·s (${at64(r)} px at 64), alias σ = ${a}·s`),
  apply(image, severity, _rng, params) {
    const s = params.scale;
    const [r, a] = row(DEFOCUS, params, severity);
    return fromFloat(filter2D(toFloat(image), diskKernel(r * s, a * s)));
  },
};

export const motionBlur: Corruption = {
  id: 'motion_blur',
  family: 'blur',
  summary: 'ImageMagick motion blur: one-sided Gaussian line kernel at a random angle in [−45°, 45°]',
  parameters: MOTION['imagenet-c'].map(([r, g]) => `radius = ${r}·s (${at64(r)} px at 64), σ = ${g}·s`),
  apply(image, severity, rng, params) {
    const s = params.scale;
    const [r, g] = row(MOTION, params, severity);
    return motionBlurImage(image, r * s, g * s, rng.uniform(-45, 45));
  },
};
