import { expect, it } from 'vitest';
import { boxResize } from '../../src/shifts/boxResize.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { mse, testImages } from './helpers.js';

const images = testImages(3);

it('BOX resize averages like Pillow, rounding half up in fixed point', () => {
  const row = (vals: number[]) => ({ width: vals.length, height: 1, data: Uint8Array.from(vals.flatMap((v) => [v, v, v])) });
  expect([...boxResize(row([10, 20, 30, 41]), 2, 1).data].filter((_, i) => i % 3 === 0)).toEqual([15, 36]);
  // 3 → 2: scale 1.5, support 0.75. Pillow's taps: out 0 centre 0.75 → inputs [0, 2) with
  // box((x − 0.75 + 0.5)/1.5) = 1, 1; out 1 centre 2.25 → xmin = int(2.0) = 2, one tap.
  expect([...boxResize(row([0, 90, 180]), 2, 1).data].filter((_, i) => i % 3 === 0)).toEqual([45, 180]);
  // upscale 2 → 4 repeats each pixel
  expect([...boxResize(row([7, 200]), 4, 1).data].filter((_, i) => i % 3 === 0)).toEqual([7, 7, 200, 200]);
});

it('pixelate: error grows with severity', async () => {
  const e: number[] = [];
  for (const severity of SEVERITIES) {
    let s = 0;
    for (const img of images) s += mse(img, await applyShift(img, { corruption: 'pixelate', severity }, 'x'));
    e.push(s);
  }
  for (let k = 1; k < 5; k++) expect(e[k]).toBeGreaterThan(e[k - 1]);
});

it('jpeg_compression: error grows as quality falls', async () => {
  const e: number[] = [];
  for (const severity of SEVERITIES) {
    let s = 0;
    for (const img of images) s += mse(img, await applyShift(img, { corruption: 'jpeg_compression', severity }, 'x'));
    e.push(s);
  }
  expect(e[0]).toBeGreaterThan(0);
  for (let k = 1; k < 5; k++) expect(e[k]).toBeGreaterThan(e[k - 1]);
});
