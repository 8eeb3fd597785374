/**
 * Series colours: Okabe & Ito (2008)'s colour-blind-safe eight first (the most distinct under
 * deuteranopia lead), then Paul Tol's "muted" scheme for charts with more series. Every colour
 * is distinct, so no two series of a chart share one; charts cap their series at
 * `SERIES_COLOURS.length` and say so. Grey is reserved for baselines.
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;
const TOL_MUTED = ['#332288', '#88CCEE', '#117733', '#DDCC77', '#CC6677', '#AA4499', '#882255', '#44AA99', '#999933'] as const;

export const SERIES_COLOURS: readonly string[] = [...OKABE_ITO, ...TOL_MUTED];

/** The most series a chart draws (one distinct colour each). */
export const MAX_SERIES = SERIES_COLOURS.length;

export const BASELINE_GREY = '#9E9E9E';

/** The i-th series colour (i < MAX_SERIES; wraps only if a caller forgot to cap). */
export function colorAt(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length];
}

/** A darker stand-in for text in a series colour that is too light on white (yellow, sky). */
export function textColourAt(i: number): string {
  const c = colorAt(i);
  return c === '#F0E442' ? '#8a7f00' : c === '#DDCC77' ? '#7a6a20' : c === '#88CCEE' ? '#2a6f8f' : c === '#56B4E9' ? '#1f6f9f' : c;
}

/** A distinct point style per series so lines stay apart in greyscale print too. */
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star', 'rectRounded', 'cross'] as const;

export function pointStyleAt(i: number): (typeof POINT_STYLES)[number] {
  return POINT_STYLES[i % POINT_STYLES.length];
}
