import { describe, expect, it } from 'vitest';
import { noiseImage } from '../helpers/images.js';
import { makeRawImage, type RawImage } from '../../src/image/rawImage.js';
import { axisCoefficients, pilResizeBox, type AxisCoefficients } from '../../src/model/pilResize.js';
import { CONVOLUTION_FILTERS } from '../../src/model/resampleFilters.js';
import { createRng } from '../../src/util/rng.js';

/**
 * Resample.c's two 8-bit passes written out plainly (float64 sums of exact integer products,
 * clip8 as in the C), on the same coefficients: what the WebAssembly kernels must equal.
 */
function clip8(acc: number): number {
  if (acc >= 1 << 30) return 255;
  if (acc <= 0) return 0;
  return Math.floor(acc / (1 << 22));
}

function passH(img: RawImage, c: AxisCoefficients): RawImage {
  const out = makeRawImage(c.starts.length, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < out.width; x++) {
      for (let ch = 0; ch < 3; ch++) {
        let acc = 1 << 21;
        for (let k = 0; k < c.counts[x]; k++) acc += img.data[(y * img.width + c.starts[x] + k) * 3 + ch] * c.weights[x * c.ksize + k];
        out.data[(y * out.width + x) * 3 + ch] = clip8(acc);
      }
    }
  }
  return out;
}

function passV(img: RawImage, c: AxisCoefficients): RawImage {
  const out = makeRawImage(img.width, c.starts.length);
  for (let y = 0; y < out.height; y++) {
    for (let i = 0; i < img.width * 3; i++) {
      let acc = 1 << 21;
      for (let k = 0; k < c.counts[y]; k++) acc += img.data[(c.starts[y] + k) * img.width * 3 + i] * c.weights[y * c.ksize + k];
      out.data[y * img.width * 3 + i] = clip8(acc);
    }
  }
  return out;
}

/** Pillow's order: horizontal first (if the width changes), then vertical; then the box is cut. */
function reference(img: RawImage, width: number, height: number, resample: number, box: { left: number; top: number; width: number; height: number }): RawImage {
  const filter = CONVOLUTION_FILTERS.get(resample)!;
  let full = img;
  if (width !== img.width) full = passH(full, axisCoefficients(img.width, width, filter));
  if (height !== img.height) full = passV(full, axisCoefficients(img.height, height, filter));
  const out = makeRawImage(box.width, box.height);
  for (let y = 0; y < box.height; y++) out.data.set(full.data.subarray(((y + box.top) * full.width + box.left) * 3, ((y + box.top) * full.width + box.left + box.width) * 3), y * box.width * 3);
  return out;
}

function same(a: RawImage, b: RawImage): boolean {
  return a.width === b.width && a.height === b.height && Buffer.from(a.data).equals(Buffer.from(b.data));
}

describe('resample kernels (WebAssembly SIMD)', () => {
  it('equal the plain passes on random sizes, boxes and both filters, with one axis kept or both changed', () => {
    const rng = createRng(11);
    for (let t = 0; t < 60; t++) {
      const src = noiseImage(rng.int(1, 70), rng.int(1, 70), 100 + t);
      const width = t % 5 === 0 ? src.width : rng.int(1, 90);
      const height = t % 7 === 0 && width !== src.width ? src.height : rng.int(1, 90);
      const bw = rng.int(1, width);
      const bh = rng.int(1, height);
      const box = { left: rng.int(0, width - bw), top: rng.int(0, height - bh), width: bw, height: bh };
      for (const resample of [2, 3]) {
        const label = `${src.width}x${src.height} -> ${width}x${height} box ${bw}x${bh}+${box.left}+${box.top} filter ${resample}`;
        expect(same(pilResizeBox(src, width, height, resample, box), reference(src, width, height, resample, box)), label).toBe(true);
      }
    }
  });

  it('equal them on an image larger than one band of source rows (4 MB), down to 224 px', () => {
    const src = noiseImage(1700, 1000, 5);
    const box = { left: 81, top: 0, width: 224, height: 224 };
    expect(same(pilResizeBox(src, 380, 224, 3, box), reference(src, 380, 224, 3, box))).toBe(true);
  });

  it('clip at 0 and 255 where the bicubic lobes overshoot (0/255 stripes upscaled)', () => {
    const src = makeRawImage(9, 9);
    for (let i = 0; i < src.data.length; i++) src.data[i] = Math.floor(i / 3) % 2 === 0 ? 255 : 0;
    const box = { left: 0, top: 0, width: 40, height: 31 };
    const got = pilResizeBox(src, 40, 31, 3, box);
    expect(same(got, reference(src, 40, 31, 3, box))).toBe(true);
    expect(got.data.includes(0) && got.data.includes(255)).toBe(true);
  });
});
