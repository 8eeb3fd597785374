import { diskKernel } from './disk.js';
import { filter2D, gaussianBlurFloat } from './kernels.js';
import { motionBlurImage } from './motion.js';
import { fromFloat, spatialScale, toFloat } from './pixels.js';
import type { Corruption } from './types.js';

// ImageNet-C severities in pixels at 224 px; every length is multiplied by s = side/224.
const GAUSSIAN_SIGMA = [1, 2, 3, 4, 6];
const DEFOCUS: readonly (readonly [number, number])[] = [[3, 0.1], [4, 0.5], [6, 0.5], [8, 0.5], [10, 0.5]];
const MOTION: readonly (readonly [number, number])[] = [[10, 3], [15, 5], [15, 8], [15, 12], [20, 15]];

const at64 = (v: number): string => (v * (64 / 224)).toFixed(2);

export const gaussianBlur: Corruption = {
  id: 'gaussian_blur',
  family: 'blur',
  summary: "Gaussian blur (scipy gaussian_filter, truncate 4, mode 'nearest')",
  parameters: GAUSSIAN_SIGMA.map((c) => `σ = ${c}·s (${at64(c)} px at 64)`),
  apply(image, severity) {
    return fromFloat(gaussianBlurFloat(toFloat(image), GAUSSIAN_SIGMA[severity - 1] * spatialScale(image)));
  },
};

export const defocusBlur: Corruption = {
  id: 'defocus_blur',
  family: 'blur',
  summary: 'convolution with an anti-aliased disk (lens defocus), BORDER_REFLECT_101',
  parameters: DEFOCUS.map(([r, a]) => `radius = ${r}·s (${at64(r)} px at 64), alias σ = ${a}·s`),
  apply(image, severity) {
    const s = spatialScale(image);
    const [r, a] = DEFOCUS[severity - 1];
    return fromFloat(filter2D(toFloat(image), diskKernel(r * s, a * s)));
  },
};

export const motionBlur: Corruption = {
  id: 'motion_blur',
  family: 'blur',
  summary: 'ImageMagick motion blur: one-sided Gaussian line kernel at a random angle in [−45°, 45°]',
  parameters: MOTION.map(([r, g]) => `radius = ${r}·s (${at64(r)} px at 64), σ = ${g}·s`),
  apply(image, severity, rng) {
    const s = spatialScale(image);
    const [r, g] = MOTION[severity - 1];
    return motionBlurImage(image, r * s, g * s, rng.uniform(-45, 45));
  },
};
