import { expect, it } from 'vitest';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { mse, testImages } from './helpers.js';

const images = testImages(3);

it.each(['gaussian_noise', 'shot_noise', 'impulse_noise', 'speckle_noise'])('%s: MSE grows with severity', async (id) => {
  const errors: number[] = [];
  for (const severity of SEVERITIES) {
    let e = 0;
    for (const [i, img] of images.entries()) e += mse(img, await applyShift(img, { corruption: id, severity }, `img-${i}`));
    errors.push(e);
  }
  for (let s = 1; s < errors.length; s++) expect(errors[s]).toBeGreaterThan(errors[s - 1]);
});

it('gaussian_noise at severity 1 has the ImageNet-C σ of 0.08·255 before clipping', async () => {
  // mid-grey: clipping never triggers, so the empirical σ is the parameter
  const img = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };
  const out = await applyShift(img, { corruption: 'gaussian_noise', severity: 1, params: 'imagenet-c' }, 'grey');
  let s = 0;
  // truncation lowers every value by 0.5 on average
  for (const v of out.data) s += (v + 0.5 - 128) ** 2;
  expect(Math.sqrt(s / out.data.length)).toBeCloseTo(0.08 * 255, 0);
});
