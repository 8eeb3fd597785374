import type { RawImage } from '../image/rawImage.js';
import { clippedZoom, fromPlanes, toPlanes } from './planes.js';
import { fromFloat, toFloat, type FloatImage } from './pixels.js';
import type { Corruption } from './types.js';

/** numpy.arange(start, stop, step) for floats: ceil((stop − start)/step) values start + i·((start + step) − start). */
export function npArange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  const delta = start + step - start;
  return Array.from({ length: Math.max(0, n) }, (_, i) => start + i * delta);
}

// ImageNet-C's zoom factors (np.arange(1, stop, step)); relative, so no scaling with the image
// size. Float rounding in numpy's arange makes severity 1 end at 1.11 (12 factors), not 1.10.
const ZOOM: readonly (readonly [number, number])[] = [[1.11, 0.01], [1.16, 0.01], [1.21, 0.02], [1.26, 0.02], [1.31, 0.03]];

/** The zoom factors of a severity, exactly as numpy lists them. */
export function zoomFactors(severity: number): number[] {
  const [stop, step] = ZOOM[severity - 1];
  return npArange(1, stop, step);
}

/**
 * ImageNet-C's zoom blur: the mean of the image and its centre zooms (`clippedZoom`) by each
 * factor, (x + Σ zoom_z(x)) / (n + 1). Returns floats in [0, 1].
 */
export function zoomBlurFloat(image: RawImage, factors: readonly number[]): FloatImage {
  const planes = toPlanes(toFloat(image));
  const out = planes.map((p) => {
    const acc = new Float64Array(p.data.length);
    for (const z of factors) {
      const zoomed = clippedZoom(p, z);
      for (let i = 0; i < acc.length; i++) acc[i] += zoomed.data[i];
    }
    for (let i = 0; i < acc.length; i++) acc[i] = (p.data[i] + acc[i]) / (factors.length + 1);
    return { width: p.width, height: p.height, data: acc };
  });
  return fromPlanes(out);
}

export const zoomBlur: Corruption = {
  id: 'zoom_blur',
  family: 'blur',
  summary: 'mean of the image and its centre zooms by 1 … z_max (radial blur about the centre)',
  parameters: ZOOM.map(([stop, step], i) => `zooms 1, ${1 + step} … ${zoomFactors(i + 1).at(-1)!.toFixed(2)} (${zoomFactors(i + 1).length})`),
  apply(image, severity) {
    return fromFloat(zoomBlurFloat(image, zoomFactors(severity)));
  },
};
