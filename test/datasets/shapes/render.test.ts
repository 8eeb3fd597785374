import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderScene } from '../../../src/datasets/shapes/render.js';
import type { Scene } from '../../../src/datasets/shapes/scene.js';

const FIXTURES = 'test/fixtures/tiny-clip-shapes/reference-images/scenes';

function baseScene(over: Partial<Scene>): Scene {
  return {
    domain: 'standard', shape: 'square', color: 'red', size: 'medium', R: 0.6, cx: 0, cy: 0, rot: 0,
    background: [200, 200, 200], ink: [0, 0, 0], ...over,
  };
}

/** Ink area in pixels: Σ coverage, recovered from the red channel (ink 0, background 200). */
function inkArea(scene: Scene, size = 64): number {
  const img = renderScene(scene, size);
  let a = 0;
  for (let i = 0; i < img.data.length; i += 3) a += (200 - img.data[i]) / 200;
  return a;
}

describe('renderScene geometry', () => {
  it('fills the exact area of an axis-aligned square and of a circle', () => {
    // square half side 0.72·R·32 px; rounding to 8 bits costs at most 1/400 px per pixel
    const side = 2 * 0.72 * 0.6 * 32;
    expect(Math.abs(inkArea(baseScene({})) - side * side)).toBeLessThan(2);
    const r = 0.85 * 0.6 * 32;
    expect(Math.abs(inkArea(baseScene({ shape: 'circle' })) - Math.PI * r * r) / (Math.PI * r * r)).toBeLessThan(0.003);
  });

  it('rotates clockwise on screen for positive angles', () => {
    const at = (rot: number): [number, number] => {
      const img = renderScene(baseScene({ shape: 'triangle', R: 0.7, rot }), 64);
      // the topmost inked row's centroid: the apex
      for (let y = 0; y < 64; y++) {
        let sx = 0;
        let w = 0;
        for (let x = 0; x < 64; x++) {
          const c = (200 - img.data[(y * 64 + x) * 3]) / 200;
          sx += c * x;
          w += c;
        }
        if (w > 0.3) return [sx / w, y];
      }
      throw new Error('no ink');
    };
    expect(at(15)[0]).toBeGreaterThan(at(0)[0] + 2);
    expect(at(-15)[0]).toBeLessThan(at(0)[0] - 2);
  });

  it('draws sketches as an outline ring of width 0.0625·min side centred on the boundary', () => {
    const s = baseScene({ domain: 'sketch', R: 0.6 });
    const half = 0.72 * 0.6 * 32;
    const w = 4;
    // mitred square ring: (2h + w)² − (2h − w)² = 8·h·w
    expect(Math.abs(inkArea(s) - 8 * half * w)).toBeLessThan(2);
    const img = renderScene(s, 64);
    expect(img.data[(32 * 64 + 32) * 3]).toBe(200); // the inside is not filled
  });

  it('renders other sizes with the same relative geometry', () => {
    const a64 = inkArea(baseScene({ shape: 'star' }), 64);
    const a128 = inkArea(baseScene({ shape: 'star' }), 128);
    expect(Math.abs(a128 / 4 - a64)).toBeLessThan(1);
  });

  it('rejects a bad size', () => {
    expect(() => renderScene(baseScene({}), 3)).toThrow(/size must be an integer/);
  });
});

async function loadPng(path: string): Promise<Uint8Array> {
  const { data } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** Background from the corner pixel; ink from the pixel farthest from the background. */
function estimateColours(data: Uint8Array): { background: [number, number, number]; ink: [number, number, number] } {
  const bg: [number, number, number] = [data[0], data[1], data[2]];
  let best = -1;
  let at = 0;
  for (let i = 0; i < data.length; i += 3) {
    const d = Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]);
    if (d > best) [best, at] = [d, i];
  }
  return { background: bg, ink: [data[at], data[at + 1], data[at + 2]] };
}

describe('renderScene against the reference renders', () => {
  const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
  // Measured: standard 0.18–0.38, sketch 1.26–2.65 mean abs levels (docs/shapes.md).
  const LIMIT: Record<string, number> = { standard: 0.5, sketch: 3 };
  it.each(cases)('%s matches with a small mean abs difference', async (file) => {
    const params = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    const ref = await loadPng(join(FIXTURES, file.replace('.json', '.png')));
    const img = renderScene({ ...params, ...estimateColours(ref) }, 64);
    let sum = 0;
    for (let i = 0; i < ref.length; i++) sum += Math.abs(ref[i] - img.data[i]);
    expect(sum / ref.length).toBeLessThan(LIMIT[params.domain]);
  });
});
