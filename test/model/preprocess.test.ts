import { describe, expect, it } from 'vitest';
import { makeRawImage, type RawImage } from '../../src/image/rawImage.js';
import { centerCrop, roundHalfEven } from '../../src/model/centerCrop.js';
import { axisCoefficients, pilResize } from '../../src/model/pilResize.js';
import { parsePreprocessorConfig } from '../../src/model/preprocessorConfig.js';
import { preprocessImage, resizeAndCrop, shortestEdgeSize } from '../../src/model/preprocess.js';
import { CONVOLUTION_FILTERS } from '../../src/model/resampleFilters.js';
import { noiseImage } from '../helpers/images.js';

function filled(width: number, height: number, rgb: [number, number, number]): RawImage {
  const img = makeRawImage(width, height);
  for (let i = 0; i < width * height; i++) img.data.set(rgb, i * 3);
  return img;
}

function rowImage(values: number[]): RawImage {
  const img = makeRawImage(values.length, 1);
  values.forEach((v, i) => img.data.set([v, v, v], i * 3));
  return img;
}

const red = (img: RawImage) => Array.from({ length: img.width * img.height }, (_, i) => img.data[i * 3]);

describe('pilResize', () => {
  it.each([
    [0, 64, 64, 17, 9], [2, 13, 7, 40, 21], [3, 13, 7, 40, 21], [3, 200, 120, 106, 64], [3, 65, 63, 66, 64], [2, 5, 5, 1, 1],
  ])('filter %i keeps a constant image constant (%ix%i → %ix%i)', (filter, w, h, ow, oh) => {
    const out = pilResize(filled(w, h, [255, 7, 128]), ow, oh, filter);
    expect([out.width, out.height]).toEqual([ow, oh]);
    for (let i = 0; i < ow * oh; i++) expect([...out.data.subarray(i * 3, i * 3 + 3)]).toEqual([255, 7, 128]);
  });

  it('returns an equal copy at the same size', () => {
    const src = filled(3, 2, [1, 2, 3]);
    const out = pilResize(src, 3, 2, 3);
    expect(out).toEqual(src);
    expect(out.data).not.toBe(src.data);
  });

  it('bilinear 4 → 2 matches the hand-computed Pillow taps', () => {
    // Output 0: centre 1, support 2, weights .75/.75/.25 over inputs 0..2 → 125/1.75 = 71.4.
    // Output 1: centre 3, weights .25/.75/.75 over inputs 1..3 → 366.25/1.75 = 209.3.
    expect(red(pilResize(rowImage([0, 100, 200, 255]), 2, 1, 2))).toEqual([71, 209]);
  });

  it('nearest samples floor((x + 0.5) · scale), down and up', () => {
    expect(red(pilResize(rowImage([10, 20, 30, 40]), 2, 1, 0))).toEqual([20, 40]);
    expect(red(pilResize(rowImage([10, 20]), 5, 1, 0))).toEqual([10, 10, 20, 20, 20]);
  });

  it('bicubic upsampling overshoots and clips at 0 and 255 (a = -0.5)', () => {
    const out = red(pilResize(rowImage([0, 0, 255, 255]), 16, 1, 3));
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(255);
    expect(out.slice(0, 4)).toEqual([0, 0, 0, 0]);
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]);
  });

  it('fixed-point weights of every output sum to 2^22 within rounding, and are cached', () => {
    const filter = CONVOLUTION_FILTERS.get(3)!;
    const c = axisCoefficients(97, 31, filter);
    expect(axisCoefficients(97, 31, filter)).toBe(c);
    for (let i = 0; i < 31; i++) {
      let sum = 0;
      for (let k = 0; k < c.counts[i]; k++) sum += c.weights[i * c.ksize + k];
      expect(Math.abs(sum - (1 << 22))).toBeLessThanOrEqual(c.counts[i]);
    }
  });

  it('rejects unsupported filters and empty sizes', () => {
    expect(() => pilResize(filled(4, 4, [0, 0, 0]), 2, 2, 1)).toThrow(/unsupported resample filter 1; supported: 0 .*2 .*3/);
    expect(() => pilResize(filled(4, 4, [0, 0, 0]), 0, 2, 3)).toThrow(/positive integers/);
  });
});

describe('centerCrop', () => {
  it('rounds offsets half to even like Python', () => {
    expect([0.5, 1.5, 2.5, -0.5, 3.2].map(roundHalfEven)).toEqual([0, 2, 2, -0, 3]);
    expect(red(centerCrop(rowImage([0, 1, 2, 3, 4]), 2, 1))).toEqual([2, 3]); // left = round(1.5) = 2
    expect(red(centerCrop(rowImage([0, 1, 2, 3, 4, 5, 6]), 2, 1))).toEqual([2, 3]); // left = round(2.5) = 2
  });

  it('pads with black when the crop is larger, image placed at floor(diff / 2)', () => {
    const out = centerCrop(filled(2, 1, [9, 9, 9]), 5, 4);
    expect([out.width, out.height]).toEqual([5, 4]);
    const row1 = red(out).slice(5, 10);
    expect(row1).toEqual([0, 9, 9, 0, 0]);
    expect(red(out).filter((v) => v === 9)).toHaveLength(2);
  });
});

describe('preprocessImage', () => {
  const cfg = parsePreprocessorConfig({ size: { shortest_edge: 8 }, crop_size: 8 }, 'test.json');

  it('uses int(n · long / short) for the long side (torchvision Resize)', () => {
    expect(shortestEdgeSize(200, 120, 64)).toEqual({ width: 106, height: 64 });
    expect(shortestEdgeSize(63, 65, 64)).toEqual({ width: 64, height: 66 });
    expect(shortestEdgeSize(50, 50, 64)).toEqual({ width: 64, height: 64 });
  });

  it('resizes to an exact height/width when size has both', () => {
    const exact = parsePreprocessorConfig({ size: { height: 5, width: 9 }, do_center_crop: false, resample: 2 }, 'x.json');
    const out = resizeAndCrop(filled(20, 11, [3, 3, 3]), exact);
    expect([out.width, out.height]).toEqual([9, 5]);
  });

  it('writes (3, H, W) CHW normalised values into a batch buffer at an offset', () => {
    const img = noiseImage(13, 9, 7);
    const single = preprocessImage(img, cfg);
    expect(single).toHaveLength(3 * 8 * 8);
    const batch = new Float32Array(2 * 3 * 64).fill(NaN);
    preprocessImage(img, cfg, batch, 192);
    expect(batch.subarray(192)).toEqual(single);
    expect(Number.isNaN(batch[0])).toBe(true);
  });

  it('maps a constant image to (v/255 − mean)/std per channel plane', () => {
    const out = preprocessImage(filled(10, 12, [255, 0, 128]), cfg);
    const expected = [(1 - 0.48145466) / 0.26862954, (0 - 0.4578275) / 0.26130258, (128 / 255 - 0.40821073) / 0.27577711];
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 64; i++) expect(out[c * 64 + i]).toBeCloseTo(expected[c], 5);
    }
  });

  it('rejects a config with an unknown resample filter, naming file and key', () => {
    expect(() => parsePreprocessorConfig({ resample: 1 }, 'models/x/preprocessor_config.json')).toThrow(/preprocessor_config\.json: invalid preprocessor config: key 'resample'/);
  });
});
