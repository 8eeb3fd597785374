import { describe, expect, it } from 'vitest';
import { renderScene } from '../../../src/datasets/shapes/render.js';
import { parseDomain, sceneFor } from '../../../src/datasets/shapes/scene.js';
import { isHeldout } from '../../../src/datasets/shapes/world.js';
import { sha256 } from '../../../src/util/hash.js';

describe('sceneFor', () => {
  it('is a pure function of (seed, domain, index): byte-identical renders', () => {
    for (let i = 0; i < 20; i++) {
      const a = renderScene(sceneFor(7, 'dark', i));
      const b = renderScene(sceneFor(7, 'dark', i));
      expect(sha256(a.data)).toBe(sha256(b.data));
    }
    expect(sceneFor(7, 'dark', 1)).not.toEqual(sceneFor(7, 'dark', 2));
    expect(sceneFor(7, 'dark', 1)).not.toEqual(sceneFor(8, 'dark', 1));
  });

  it('draws every parameter from its WORLD.md range', () => {
    for (let i = 0; i < 300; i++) {
      const s = sceneFor(0, 'standard', i);
      expect(s.R).toBeGreaterThanOrEqual(0.4);
      expect(s.R).toBeLessThan(0.78);
      expect(Math.abs(s.cx)).toBeLessThanOrEqual(0.95 - s.R);
      expect(Math.abs(s.cy)).toBeLessThanOrEqual(0.95 - s.R);
      expect(Math.abs(s.rot)).toBeLessThanOrEqual(15);
      const grey = (s.background[0] + s.background[1] + s.background[2]) / 3;
      expect(grey).toBeGreaterThanOrEqual(140);
      expect(grey).toBeLessThanOrEqual(255);
      const d = sceneFor(0, 'dark', i).background;
      expect(Math.max(...d)).toBeLessThanOrEqual(55);
      const k = sceneFor(0, 'sketch', i);
      expect(k.background[0]).toBeGreaterThanOrEqual(235);
      expect(k.ink[0]).toBeLessThanOrEqual(50);
    }
  });

  it('covers all 64 combinations by default, 56 with seen, 8 on heldout', () => {
    const combos = (domain: 'standard' | 'heldout', set: 'all' | 'seen') =>
      new Set(Array.from({ length: 2000 }, (_, i) => sceneFor(1, domain, i, set)).map((s) => `${s.color} ${s.shape}`));
    expect(combos('standard', 'all').size).toBe(64);
    const seen = combos('standard', 'seen');
    expect(seen.size).toBe(56);
    const held = combos('heldout', 'all');
    expect(held.size).toBe(8);
    for (const c of held) expect(isHeldout(...(c.split(' ') as [never, never]))).toBe(true);
    for (const c of seen) expect(isHeldout(...(c.split(' ') as [never, never]))).toBe(false);
  });

  it('rejects an unknown domain, listing the valid ones', () => {
    expect(() => parseDomain('night')).toThrow(/standard, dark, sketch, heldout/);
  });
});
