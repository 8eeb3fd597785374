import { expect, it } from 'vitest';
import { hsvToRgb, rgbToHsv } from '../../src/shifts/hsv.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { mean, stdDev, testImages } from './helpers.js';

const images = testImages(3, 'dark');

async function metricBySeverity(id: string, metric: (i: typeof images[0]) => number): Promise<number[]> {
  const out: number[] = [];
  for (const severity of SEVERITIES) {
    let m = 0;
    for (const [i, img] of images.entries()) m += metric(await applyShift(img, { corruption: id, severity }, `i${i}`));
    out.push(m);
  }
  return out;
}

it('contrast: standard deviation falls with severity', async () => {
  const s = await metricBySeverity('contrast', stdDev);
  for (let k = 1; k < 5; k++) expect(s[k]).toBeLessThan(s[k - 1]);
});

it('brightness: mean rises with severity', async () => {
  const s = await metricBySeverity('brightness', mean);
  for (let k = 1; k < 5; k++) expect(s[k]).toBeGreaterThan(s[k - 1]);
});

it('saturate: severities 1–2 desaturate, 3–5 saturate further', async () => {
  const sat = (img: typeof images[0]): number => {
    let s = 0;
    const hsv = new Float64Array(3);
    for (let i = 0; i < img.data.length; i += 3) {
      rgbToHsv(img.data[i] / 255, img.data[i + 1] / 255, img.data[i + 2] / 255, hsv);
      s += hsv[1];
    }
    return s;
  };
  const clean = images.reduce((a, i) => a + sat(i), 0);
  const s = await metricBySeverity('saturate', sat);
  expect(s[1]).toBeLessThan(s[0]);
  expect(s[0]).toBeLessThan(clean);
  expect(s[2]).toBeGreaterThan(clean);
  expect(s[4]).toBeGreaterThan(s[3]);
});

it('HSV conversions follow skimage (pure hues, greys, round trip)', () => {
  const hsv = new Float64Array(3);
  rgbToHsv(0, 0, 1, hsv);
  expect([...hsv]).toEqual([4 / 6, 1, 1]);
  rgbToHsv(1, 0, 0.5, hsv);
  expect(hsv[0]).toBeCloseTo(1 - 0.5 / 6, 12); // negative hue wraps like Python's % 1
  rgbToHsv(0.3, 0.3, 0.3, hsv);
  expect([...hsv]).toEqual([0, 0, 0.3]);
  const rgb = new Float64Array(3);
  for (const c of [[0.2, 0.7, 0.4], [0.9, 0.1, 0.1], [0.5, 0.5, 0.9]]) {
    rgbToHsv(c[0], c[1], c[2], hsv);
    hsvToRgb(hsv[0], hsv[1], hsv[2], rgb);
    for (let k = 0; k < 3; k++) expect(rgb[k]).toBeCloseTo(c[k], 12);
  }
});
