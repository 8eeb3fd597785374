import { expect, it } from 'vitest';
import { applyShift } from '../../src/shifts/registry.js';
import { testImages } from './helpers.js';

const images = testImages(3, 'dark');

it('spatter 1–3 adds pale-turquoise water: every change is +m·(175, 238, 238)', async () => {
  for (const severity of [1, 2, 3] as const) {
    let wet = 0;
    for (const [i, img] of images.entries()) {
      const out = await applyShift(img, { corruption: 'spatter', severity }, `w-${i}`);
      for (let p = 0; p < img.data.length; p += 3) {
        const d = [0, 1, 2].map((c) => out.data[p + c] - img.data[p + c]);
        for (const v of d) expect(v).toBeGreaterThanOrEqual(-1);
        if (d[0] < 8 || out.data[p + 1] === 255 || out.data[p + 2] === 255) continue;
        wet++;
        expect(Math.abs(d[1] / d[0] - 238 / 175)).toBeLessThan(0.25);
        expect(Math.abs(d[1] - d[2])).toBeLessThanOrEqual(1);
      }
    }
    expect(wet).toBeGreaterThan(10);
  }
});

it('spatter 4–5 covers blobs with mud: each changed pixel moves towards brown (63, 42, 20)', async () => {
  for (const severity of [4, 5] as const) {
    let muddy = 0;
    for (const [i, img] of images.entries()) {
      const out = await applyShift(img, { corruption: 'spatter', severity }, `m-${i}`);
      for (let p = 0; p < img.data.length; p += 3) {
        const x = [0, 1, 2].map((c) => img.data[p + c]);
        const o = [0, 1, 2].map((c) => out.data[p + c]);
        const brown = [63, 42, 20];
        if (o.every((v, c) => Math.abs(v - x[c]) <= 1)) continue;
        muddy++;
        // out = (1 − m)·x + m·brown: within truncation, every channel lies between x and brown
        for (let c = 0; c < 3; c++) {
          expect(o[c]).toBeGreaterThanOrEqual(Math.min(x[c], brown[c]) - 1);
          expect(o[c]).toBeLessThanOrEqual(Math.max(x[c], brown[c]) + 1);
        }
      }
    }
    expect(muddy).toBeGreaterThan(10);
  }
});
