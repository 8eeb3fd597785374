/**
 * Okabe & Ito (2008) colour-blind-safe palette, black last; grey is reserved for baselines.
 * Order chosen so the first colours are the most distinct under deuteranopia.
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

export const BASELINE_GREY = '#9E9E9E';

/** The i-th palette colour (wraps around after 8). */
export function colorAt(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length]!;
}

/** A distinct point style per series so lines stay apart in greyscale print too. */
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star', 'rectRounded', 'cross'] as const;

export function pointStyleAt(i: number): (typeof POINT_STYLES)[number] {
  return POINT_STYLES[i % POINT_STYLES.length]!;
}
