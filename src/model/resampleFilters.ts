/**
 * Pillow's separable resampling filters (libImaging/Resample.c), keyed by PIL's filter ids.
 * Nearest is not a convolution filter in Pillow (it goes through an affine transform),
 * so it is handled separately in pilResize.ts.
 */

/** A convolution kernel: support radius at scale 1 and the weight function. */
export interface ResampleFilter {
  id: 'bilinear' | 'bicubic';
  support: number;
  weight(x: number): number;
}

/** Keys's cubic with a = -0.5, as Pillow uses for BICUBIC. */
const BICUBIC_A = -0.5;

function bicubicWeight(x: number): number {
  const ax = x < 0 ? -x : x;
  if (ax < 1) return ((BICUBIC_A + 2) * ax - (BICUBIC_A + 3)) * ax * ax + 1;
  if (ax < 2) return (((ax - 5) * ax + 8) * ax - 4) * BICUBIC_A;
  return 0;
}

function bilinearWeight(x: number): number {
  const ax = x < 0 ? -x : x;
  return ax < 1 ? 1 - ax : 0;
}

/** PIL resample id (Image.Resampling) → convolution filter. */
export const CONVOLUTION_FILTERS: ReadonlyMap<number, ResampleFilter> = new Map([
  [2, { id: 'bilinear', support: 1, weight: bilinearWeight }],
  [3, { id: 'bicubic', support: 2, weight: bicubicWeight }],
]);

/** PIL's id for NEAREST. */
export const PIL_NEAREST = 0;
