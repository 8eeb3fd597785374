import { expect, it } from 'vitest';
import { fogMapSize, plasmaFractal } from '../../src/shifts/fog.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { createRng } from '../../src/util/rng.js';
import { testImages } from './helpers.js';

it('plasma fractal spans exactly [0, 1] and is smooth at coarse scales', () => {
  const p = plasmaFractal(64, 2, createRng(3));
  expect(Math.min(...p)).toBe(0);
  expect(Math.max(...p)).toBe(1);
  // neighbouring values differ far less than random ones would (mean |Δ| ≈ 1/3)
  let d = 0;
  for (let i = 0; i < 63; i++) d += Math.abs(p[i + 1] - p[i]);
  expect(d / 63).toBeLessThan(0.1);
});

it('sizes the fog map like ImageNet-C: 256 for 224 px, 64 for 64 px', () => {
  expect(fogMapSize(224)).toBe(256);
  expect(fogMapSize(64)).toBe(64);
  expect(fogMapSize(65)).toBe(128);
});

/** Pearson correlation of two images' bytes. */
function correlation(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

it('fog hides more of the image as severity rises', async () => {
  // The haze adds its own variance, so what falls is how much of the clean image survives.
  const images = testImages(4);
  const r: number[] = [];
  for (const severity of SEVERITIES) {
    let v = 0;
    for (const [i, img] of images.entries()) v += correlation(img.data, (await applyShift(img, { corruption: 'fog', severity }, `f${i}`)).data);
    r.push(v / images.length);
  }
  expect(r[0]).toBeLessThan(0.99);
  expect(r[4]).toBeLessThan(r[0]);
  expect(r[2]).toBeLessThan(r[0]);
});
