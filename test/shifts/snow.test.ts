import { expect, it } from 'vitest';
import { makeRawImage } from '../../src/image/rawImage.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { mean, testImages } from './helpers.js';

it('snow brightens every pixel (the whitening and the flakes only add)', async () => {
  for (const [i, img] of testImages(2).entries()) {
    for (const severity of SEVERITIES) {
      const out = await applyShift(img, { corruption: 'snow', severity }, `s-${i}`);
      for (let k = 0; k < img.data.length; k++) expect(out.data[k]).toBeGreaterThanOrEqual(img.data[k] - 1);
      expect(mean(out)).toBeGreaterThan(mean(img) + 5);
    }
  }
});

it('the flake layer is added twice, once rotated by 180°: a black image comes out point-symmetric with streaks', async () => {
  const black = makeRawImage(64, 64);
  for (const severity of SEVERITIES) {
    const out = await applyShift(black, { corruption: 'snow', severity, params: 'scaled' }, 'flakes');
    const W = 64;
    let flakes = 0;
    const base = [0.2, 0.3, 0.3, 0.35, 0.45][severity - 1] * 0.5 * 255; // (1 − blend)·max(0, 0.5)
    for (let y = 0; y < W; y++) {
      for (let x = 0; x < W; x++) {
        const p = (y * W + x) * 3;
        expect(out.data[p]).toBe(out.data[((W - 1 - y) * W + (W - 1 - x)) * 3]);
        expect(out.data[p]).toBeGreaterThanOrEqual(Math.floor(base) - 1);
        if (out.data[p] > base + 10) flakes++;
      }
    }
    expect(flakes).toBeGreaterThan(0);
  }
});
