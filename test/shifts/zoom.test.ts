import { expect, it } from 'vitest';
import { toFloat } from '../../src/shifts/pixels.js';
import { applyShift, SEVERITIES } from '../../src/shifts/registry.js';
import { npArange, zoomBlurFloat, zoomFactors } from '../../src/shifts/zoom.js';
import { coordinateImage } from './helpers.js';

it('lists the zoom factors as numpy.arange does (severity 1 ends at 1.11 through float rounding)', () => {
  expect(zoomFactors(1)).toHaveLength(12);
  expect(zoomFactors(1).at(-1)).toBeCloseTo(1.11, 12);
  expect(zoomFactors(5)).toHaveLength(11);
  expect(npArange(0, 1, 0.25)).toEqual([0, 0.25, 0.5, 0.75]);
});

it('zoom_blur: the centre barely moves while the edges blur, more with severity', async () => {
  const img = coordinateImage(224); // ramps: a zoom changes a pixel in proportion to its distance from the centre
  const x = toFloat(img).data;
  const W = img.width;
  /** Mean absolute change (levels) of the pixels within 2 px of the centre, or within 6 px of the border. */
  const change = (out: Float64Array, inner: boolean): number => {
    let s = 0;
    let n = 0;
    for (let y = 0; y < W; y++) {
      for (let px = 0; px < W; px++) {
        const r = Math.max(Math.abs(px - (W - 1) / 2), Math.abs(y - (W - 1) / 2));
        if (inner ? r > 2 : r < W / 2 - 6) continue;
        for (let c = 0; c < 3; c++) s += Math.abs(out[(y * W + px) * 3 + c] - x[(y * W + px) * 3 + c]) * 255;
        n += 3;
      }
    }
    return s / n;
  };
  const edges: number[] = [];
  for (const severity of SEVERITIES) {
    const out = zoomBlurFloat(img, zoomFactors(severity)).data;
    edges.push(change(out, false));
    expect(change(out, true)).toBeLessThan(0.5);
    expect(change(out, true)).toBeLessThan(edges.at(-1)! / 8);
    // deterministic: no randomness, so any id gives the same image
    const a = await applyShift(img, { corruption: 'zoom_blur', severity }, 'z');
    expect((await applyShift(img, { corruption: 'zoom_blur', severity }, 'other')).data).toEqual(a.data);
  }
  for (let s = 1; s < 5; s++) expect(edges[s]).toBeGreaterThan(edges[s - 1]);
});
