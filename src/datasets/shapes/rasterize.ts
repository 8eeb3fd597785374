/**
 * Anti-aliased coverage of filled regions on a pixel grid. Pixel (i, j) is the square
 * [i, i+1) × [j, j+1); coverage is exact along x (span overlap per pixel) and sampled at
 * `subRows` evenly spaced rows per pixel along y. Regions are given by their boundary
 * crossings on a horizontal line and filled with the even-odd rule, which makes rings
 * (an outline stroke = outer boundary + inner boundary) fall out for free.
 */

/** Pushes onto `out` the x positions where the region boundary crosses the line at height y. */
export type CrossingFn = (y: number, out: number[]) => void;

/** A closed polygon as flat [x0, y0, x1, y1, ...] in pixel coordinates. */
export type Ring = Float64Array;

/** Default vertical samples per pixel: coverage steps of 1/16 on near-horizontal edges. */
export const DEFAULT_SUB_ROWS = 16;

/** Crossings of any number of closed polygons (even-odd over all of them). */
export function polygonCrossings(rings: readonly Ring[]): CrossingFn {
  return (y, out) => {
    for (const ring of rings) {
      const n = ring.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const y0 = ring[2 * j + 1];
        const y1 = ring[2 * i + 1];
        // Half-open test: a vertex exactly on the line counts once.
        if (y0 <= y !== y1 <= y) {
          const x0 = ring[2 * j];
          out.push(x0 + ((y - y0) * (ring[2 * i] - x0)) / (y1 - y0));
        }
      }
    }
  };
}

/** Crossings of concentric discs (a filled disc, or an annulus with two radii). */
export function discCrossings(cx: number, cy: number, radii: readonly number[]): CrossingFn {
  return (y, out) => {
    const dy = y - cy;
    for (const r of radii) {
      const h2 = r * r - dy * dy;
      if (h2 > 0) {
        const h = Math.sqrt(h2);
        out.push(cx - h, cx + h);
      }
    }
  };
}

function addSpan(row: Float32Array, offset: number, width: number, xa: number, xb: number, w: number): void {
  const a = Math.max(0, xa);
  const b = Math.min(width, xb);
  if (b <= a) return;
  const ia = Math.floor(a);
  const ib = Math.min(width - 1, Math.floor(b));
  if (ia === ib) {
    row[offset + ia] += (b - a) * w;
    return;
  }
  row[offset + ia] += (ia + 1 - a) * w;
  for (let i = ia + 1; i < ib; i++) row[offset + i] += w;
  row[offset + ib] += (b - ib) * w;
}

/**
 * Coverage in [0, 1] of the region described by `crossings`, row-major (height, width).
 * Only rows between `yMin` and `yMax` are scanned (the region's bounding box).
 */
export function coverage(
  width: number,
  height: number,
  crossings: CrossingFn,
  yMin = 0,
  yMax = height,
  subRows = DEFAULT_SUB_ROWS,
): Float32Array {
  const cov = new Float32Array(width * height);
  const xs: number[] = [];
  const w = 1 / subRows;
  const r0 = Math.max(0, Math.floor(yMin));
  const r1 = Math.min(height, Math.ceil(yMax));
  for (let py = r0; py < r1; py++) {
    for (let s = 0; s < subRows; s++) {
      xs.length = 0;
      crossings(py + (s + 0.5) * w, xs);
      if (xs.length < 2) continue;
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) addSpan(cov, py * width, width, xs[k], xs[k + 1], w);
    }
  }
  return cov;
}
