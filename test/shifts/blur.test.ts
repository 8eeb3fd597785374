import { expect, it } from 'vitest';
import { diskKernel } from '../../src/shifts/disk.js';
import { gaussianWeights } from '../../src/shifts/kernels.js';
import { motionBlurImage } from '../../src/shifts/motion.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { gradientEnergy, testImages } from './helpers.js';

const images = testImages(3);

// At 64 px the default is Tiny-ImageNet-C's set. Its motion severities 1–4 differ only in σ
// (1 … 2.5 at radius 10) and each severity draws its own angle, so on three images their energy
// need not fall monotonically; motion is checked with ImageNet-C's scaled lengths instead.
it.each([['gaussian_blur', undefined], ['defocus_blur', undefined], ['motion_blur', 'scaled']] as const)('%s (%s): high-frequency energy falls with severity', async (id, params) => {
  const energy: number[] = [];
  for (const severity of SEVERITIES) {
    let e = 0;
    for (const [i, img] of images.entries()) e += gradientEnergy(await applyShift(img, { corruption: id, severity, params }, `img-${i}`));
    energy.push(e);
  }
  const clean = images.reduce((a, img) => a + gradientEnergy(img), 0);
  expect(energy[0]).toBeLessThan(clean);
  for (let s = 1; s < energy.length; s++) expect(energy[s]).toBeLessThan(energy[s - 1]);
});

it('uses scipy gaussian_filter1d weights (σ = 1: radius 4, N(0,1) pdf renormalised)', () => {
  const w = gaussianWeights(1);
  expect(w).toHaveLength(9);
  // Σ_{k=−4..4} exp(−k²/2) = 1 + 2(e^−0.5 + e^−2 + e^−4.5 + e^−8) = 2.5066208
  expect(w[4]).toBeCloseTo(1 / 2.5066208, 6);
  expect(w[0]).toBeCloseTo(Math.exp(-8) / 2.5066208, 6);
  expect(gaussianWeights(0.2857)).toHaveLength(3); // int(4·0.2857 + 0.5) = 1
});

it('builds a normalised (to float32), symmetric defocus disk of the requested radius on the 17-point grid', () => {
  const k = diskKernel(2.5, 0.1);
  expect(k.size).toBe(17);
  const sum = k.weights.reduce((a, b) => a + b, 0);
  expect(Math.abs(sum - 1)).toBeLessThan(1e-7); // float32 weights, as ImageNet-C's
  const c = (k.size - 1) / 2;
  const at = (x: number, y: number): number => k.weights[(y + c) * k.size + x + c];
  expect(at(2, 0)).toBeCloseTo(at(0, -2), 12);
  expect(at(1, 0)).toBeGreaterThan(0.9 * at(0, 0)); // inside: flat
  expect(at(3, 3)).toBeLessThan(1e-6); // outside the disk
});

it('motion blur smears one-sidedly along its angle with edge-repeating borders', () => {
  const img = { width: 9, height: 1, data: new Uint8Array(27) };
  img.data.set([255, 255, 255], 4 * 3); // one white pixel at x = 4
  const out = motionBlurImage(img, 2, 100, 0); // 5 taps, nearly equal weights
  const row = Array.from({ length: 9 }, (_, x) => out.data[x * 3]);
  // pixel x samples x..x+4, so the light spreads to x = 0..4 only
  expect(row).toEqual([51, 51, 51, 51, 51, 0, 0, 0, 0]);
});
