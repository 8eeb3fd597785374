import type { Ring } from './rasterize.js';

type Point = readonly [number, number];

/**
 * Places unit vertices on the canvas: rotate by `rotDeg` (x' = x cos − y sin,
 * y' = x sin + y cos, clockwise on screen since y grows downwards), scale by `radius`,
 * translate to (cx, cy). Returns a flat ring in pixel coordinates.
 */
export function placeVertices(unit: readonly Point[], radius: number, cx: number, cy: number, rotDeg: number): Ring {
  const a = (rotDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const ring = new Float64Array(unit.length * 2);
  unit.forEach(([x, y], k) => {
    ring[2 * k] = cx + radius * (x * cos - y * sin);
    ring[2 * k + 1] = cy + radius * (x * sin + y * cos);
  });
  return ring;
}

function signedArea(ring: Ring): number {
  const n = ring.length / 2;
  let a = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) a += ring[2 * j] * ring[2 * i + 1] - ring[2 * i] * ring[2 * j + 1];
  return a / 2;
}

/**
 * Offsets a simple polygon by `d` pixels along its outward normals (negative: inwards) with
 * mitred corners, the SVG default join. Every corner of the shapes world is wider than the
 * SVG miter limit of 4 allows (the sharpest, the star tip at 41°, needs 2.9), so no corner
 * is ever bevelled. Each vertex moves to v + d·(n1 + n2)/(1 + n1·n2), n1, n2 the unit
 * normals of its two edges.
 */
export function offsetPolygon(ring: Ring, d: number): Ring {
  const n = ring.length / 2;
  const sign = signedArea(ring) > 0 ? 1 : -1;
  const normals = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const dx = ring[2 * j] - ring[2 * i];
    const dy = ring[2 * j + 1] - ring[2 * i + 1];
    const len = Math.hypot(dx, dy);
    normals[2 * i] = (sign * dy) / len;
    normals[2 * i + 1] = (-sign * dx) / len;
  }
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n;
    const nx = normals[2 * p] + normals[2 * i];
    const ny = normals[2 * p + 1] + normals[2 * i + 1];
    const k = d / (1 + normals[2 * p] * normals[2 * i] + normals[2 * p + 1] * normals[2 * i + 1]);
    out[2 * i] = ring[2 * i] + nx * k;
    out[2 * i + 1] = ring[2 * i + 1] + ny * k;
  }
  return out;
}

/** Vertical extent [min, max] of some rings. */
export function yExtent(rings: readonly Ring[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rings) {
    for (let i = 1; i < r.length; i += 2) {
      lo = Math.min(lo, r[i]);
      hi = Math.max(hi, r[i]);
    }
  }
  return [lo, hi];
}
