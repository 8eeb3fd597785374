import { expect, it } from 'vitest';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { coordinateImage, testImages } from './helpers.js';

/** Mean and largest distance between each pixel and where its value came from (decoded from the coordinate image). */
async function displacement(side: number, severity: 1 | 2 | 3 | 4 | 5, id: string): Promise<{ mean: number; max: number }> {
  const img = coordinateImage(side);
  const out = await applyShift(img, { corruption: 'elastic_transform', severity, params: 'scaled' }, id);
  const k = 256 / side;
  let sum = 0;
  let max = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const p = (y * side + x) * 3;
      const d = Math.hypot(out.data[p] / k - x, out.data[p + 1] / k - y);
      sum += d;
      max = Math.max(max, d);
    }
  }
  return { mean: sum / (side * side), max };
}

it('elastic_transform keeps every channel within the input range (bilinear mixes only; truncation may take one level)', async () => {
  for (const [i, img] of testImages(2).entries()) {
    for (const severity of SEVERITIES) {
      const out = await applyShift(img, { corruption: 'elastic_transform', severity }, `e-${i}`);
      for (let c = 0; c < 3; c++) {
        const vals = (d: Uint8Array): number[] => Array.from(d).filter((_, j) => j % 3 === c);
        expect(Math.min(...vals(out.data))).toBeGreaterThanOrEqual(Math.min(...vals(img.data)) - 1);
        expect(Math.max(...vals(out.data))).toBeLessThanOrEqual(Math.max(...vals(img.data)));
      }
    }
  }
});

it('moves pixels by a bounded displacement that scales with the image side (scaled set)', async () => {
  for (const severity of [3, 4, 5] as const) {
    const small = await Promise.all(['a', 'b', 'c', 'd'].map((id) => displacement(64, severity, id)));
    const large = await Promise.all(['a', 'b', 'c', 'd'].map((id) => displacement(128, severity, id)));
    const m64 = small.reduce((s, d) => s + d.mean, 0) / small.length;
    const m128 = large.reduce((s, d) => s + d.mean, 0) / large.length;
    expect(m64).toBeGreaterThan(0.2);
    // published jitter ≤ 4.88 px and α/σ-bounded field at 224 px, scaled by s: well under 8 px at 64
    for (const d of small) expect(d.max).toBeLessThan(8);
    expect(m128 / m64).toBeGreaterThan(1.5);
    expect(m128 / m64).toBeLessThan(2.6);
  }
});
