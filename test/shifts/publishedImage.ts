import { expect } from 'vitest';
import type { RawImage } from '../../src/image/rawImage.js';
import type { Rng } from '../../src/util/rng.js';

/**
 * The seeded square scripts/reference/imagenetC.py corrupts (its `test_image`), in the same
 * integer arithmetic: gradients, a bright disc, a dark bar and a hashed ±8 texture.
 */
export function publishedTestImage(side: number, seed: number): RawImage {
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let base: number[];
      if ((10 * x - 6 * side) ** 2 + (10 * y - 4 * side) ** 2 < 5 * side * side) base = [250, 245, 200];
      else if (Math.abs(40 * x - 10 * side) < 3 * side && 10 * y > 3 * side) base = [15, 20, 30];
      else base = [40 + Math.floor((170 * x) / side), 60 + Math.floor((150 * y) / side), 80 + ((x * y * 3 + x * 5) % 97)];
      for (let c = 0; c < 3; c++) {
        const n = (Math.imul(x * 131 + y * 71 + c * 29 + seed * 1013, 2654435761) >>> 0) >>> 27;
        data[(y * side + x) * 3 + c] = Math.min(255, Math.max(0, base[c] + n - 8));
      }
    }
  }
  return { width: side, height: side, data };
}

/** The script's crops: the 8×8 corner window stacked above the 8×8 centre window. */
export function crops(image: RawImage, size = 8): Uint8Array {
  const out = new Uint8Array(2 * size * size * 3);
  const c = Math.floor((image.width - size) / 2);
  for (const [k, origin] of [0, c].entries()) {
    for (let y = 0; y < size; y++) {
      const from = ((origin + y) * image.width + origin) * 3;
      out.set(image.data.subarray(from, from + size * 3), (k * size + y) * size * 3);
    }
  }
  return out;
}

/**
 * An Rng that hands out recorded numpy draws in order, for replaying a published run: standard
 * normals, Poisson counts and uniforms in [0, 1) (`next`). It throws when a queue runs dry or a
 * draw of another kind is asked for, so a replay cannot silently fall back to other numbers.
 */
export function replayRng(draws: { normals?: ArrayLike<number>; poissons?: ArrayLike<number>; uniforms?: ArrayLike<number> }): Rng & { left(): number } {
  const pos = { normals: 0, poissons: 0, uniforms: 0 };
  const take = (kind: keyof typeof pos): number => {
    const q = draws[kind];
    if (!q || pos[kind] >= q.length) throw new Error(`replay: no ${kind} left (${pos[kind]} used)`);
    return q[pos[kind]++];
  };
  return {
    next: () => take('uniforms'),
    uniform: (lo, hi) => lo + (hi - lo) * take('uniforms'),
    int: () => { throw new Error('replay: int() not recorded'); },
    normal: () => take('normals'),
    poisson: () => take('poissons'),
    left: () => (draws.normals?.length ?? 0) - pos.normals + (draws.poissons?.length ?? 0) - pos.poissons + (draws.uniforms?.length ?? 0) - pos.uniforms,
  };
}

/** Largest difference in levels, and how many bytes differ at all. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>): { max: number; differing: number } {
  expect(a.length).toBe(b.length);
  let max = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) differing++;
    max = Math.max(max, d);
  }
  return { max, differing };
}
