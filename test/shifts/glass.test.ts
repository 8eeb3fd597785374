import { expect, it } from 'vitest';
import { makeRawImage } from '../../src/image/rawImage.js';
import { glassDelta, glassShuffle } from '../../src/shifts/glass.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { createRng } from '../../src/util/rng.js';
import { mean, mse, testImages } from './helpers.js';

it('the shuffle only copies pixels of the image (no new colours) and leaves the δ-wide border alone', () => {
  const W = 20;
  const img = makeRawImage(W, W);
  for (let i = 0; i < W * W; i++) img.data.set([i % 256, (i * 7) % 256, (i * 13) % 256], i * 3);
  const before = Uint8Array.from(img.data);
  const colours = new Set(Array.from({ length: W * W }, (_, i) => before.subarray(i * 3, i * 3 + 3).join(',')));
  const rng = createRng(5);
  const delta = 2;
  glassShuffle(img, delta, 2, () => rng.int(-delta, delta - 1));
  let moved = 0;
  for (let y = 0; y < W; y++) {
    for (let x = 0; x < W; x++) {
      const p = (y * W + x) * 3;
      const px = img.data.subarray(p, p + 3).join(',');
      expect(colours.has(px)).toBe(true);
      if (y <= delta || x <= delta) expect(px).toBe(before.subarray(p, p + 3).join(','));
      else if (px !== before.subarray(p, p + 3).join(',')) moved++;
    }
  }
  expect(moved).toBeGreaterThan((W - 2 * delta) ** 2 / 2);
});

it('shuffle distance is δ scaled to the image, at least one pixel', () => {
  expect([1, 2, 2, 3, 4].map((d) => glassDelta(d, 1))).toEqual([1, 2, 2, 3, 4]);
  expect([1, 2, 2, 3, 4].map((d) => glassDelta(d, 64 / 224))).toEqual([1, 1, 1, 1, 1]);
  expect(glassDelta(4, 448 / 224)).toBe(8);
});

it('glass_blur keeps the mean (within 2.5 levels: two truncations to bytes cost about one) while moving pixels', async () => {
  for (const [i, img] of testImages(3).entries()) {
    for (const severity of SEVERITIES) {
      const out = await applyShift(img, { corruption: 'glass_blur', severity }, `g-${i}`);
      expect(Math.abs(mean(out) - mean(img))).toBeLessThan(2.5);
      expect(mse(out, img)).toBeGreaterThan(1);
    }
  }
});
