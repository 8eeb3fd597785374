import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../src/image/rawImage.js';
import { canny } from '../../src/shifts/cvOps.js';
import { elasticFloat, displacementField, warpAffine, controlPoints, affineFromPoints } from '../../src/shifts/elastic.js';
import { frostBlend, resizeLinear } from '../../src/shifts/frost.js';
import { glassBlurFloat, glassFirstBlur, glassShuffle } from '../../src/shifts/glass.js';
import { gaussianBlurFloat } from '../../src/shifts/kernels.js';
import { gaussianPlane, type Plane } from '../../src/shifts/planes.js';
import { toFloat, type FloatImage } from '../../src/shifts/pixels.js';
import { snowComposite, snowFlakes } from '../../src/shifts/snow.js';
import { spatterFloat } from '../../src/shifts/spatter.js';
import { zoomBlurFloat, zoomFactors } from '../../src/shifts/zoom.js';

// Made once by scripts/reference/imagenet_c_corruptions.py with numpy/scipy/skimage/OpenCV,
// following ImageNet-C's corruptions.py; the random draws are recorded there and replayed here.
const ref = JSON.parse(readFileSync(new URL('./golden/imagenetC-reference.json', import.meta.url), 'utf8'));
const N: number = ref.size;
const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');
/** Little-endian float32 outputs and float64 inputs, as the script writes them. */
const f32 = (b64: string): Float32Array => { const b = bytes(b64); return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };
const f64 = (b64: string): Float64Array => { const b = bytes(b64); return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };
const u8 = (b64: string): Uint8Array => Uint8Array.from(bytes(b64));
const image: RawImage = { width: N, height: N, data: u8(ref.image) };
const plane = (b64: string, width: number, height = width): Plane => ({ width, height, data: f64(b64) });
// ImageNet-C's spatter σ and threshold of severities 1–3 (water), to check the Canny step alone.
const SPATTER_SIGMA = [4, 3, 2];
const SPATTER_THRESHOLD = [0.69, 0.68, 0.68];
const clip01 = (img: FloatImage): number[] => Array.from(img.data, (v) => Math.min(1, Math.max(0, v)));

/** Largest absolute difference, and how many values differ by more than `tol`. */
function compare(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): { max: number; over: number } {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  let over = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    max = Math.max(max, d);
    if (d > tol) over++;
  }
  return { max, over };
}

describe('ImageNet-C reference (scripts/reference/imagenet_c_corruptions.py)', () => {
  it('glass_blur: blur to bytes, published neighbour copy, blur', () => {
    for (const g of ref.glass) {
      // numpy's SIMD exp and libm's differ in the last bit of some kernel weights, so a value
      // that lands on an integer (x.0000000000000x) may truncate one level apart: allow 1 % of
      // the bytes one level off, none more.
      const first = compare(glassFirstBlur(image, g.sigma).data, u8(g.firstBlur), 0);
      expect(first.max).toBeLessThanOrEqual(1);
      expect(first.over).toBeLessThan(0.01 * image.data.length);
      const offsets: number[] = g.offsets;
      let k = 0;
      const shuffled: RawImage = { width: N, height: N, data: u8(g.firstBlur) };
      glassShuffle(shuffled, g.delta, g.iterations, () => offsets[k++]);
      expect(k).toBe(offsets.length);
      expect(compare(clip01(gaussianBlurFloat(toFloat(shuffled), g.sigma)), f32(g.out), 1e-6).over).toBe(0);
      // the whole pipeline, through the first blur's few off-by-one bytes
      k = 0;
      expect(compare(clip01(glassBlurFloat(image, g.sigma, g.delta, g.iterations, () => offsets[k++])), f32(g.out), 2 / 255).over).toBe(0);
    }
  });

  it('zoom_blur: the numpy factor lists and the mean of centre zooms', () => {
    expect(zoomFactors(1)).toEqual(ref.zoom[0].factors);
    expect(zoomFactors(5)).toEqual(ref.zoom[1].factors);
    for (const z of ref.zoom) expect(compare(clip01(zoomBlurFloat(image, z.factors)), f32(z.out), 1e-6).over).toBe(0);
  });

  it('snow: the flake layer (zoom, threshold, bytes) and the composite', () => {
    for (const s of ref.snow) {
      const ch = Math.ceil(N / s.zoom);
      const layer = snowFlakes(plane(s.field, ch), s.zoom, s.threshold, N, N);
      expect(compare(layer, u8(s.layer), 0).over).toBe(0);
      expect(compare(clip01(snowComposite(image, u8(s.layer), s.blend)), f32(s.out), 1e-6).over).toBe(0);
    }
  });

  it('spatter: Canny edges of the liquid, water and mud layers', () => {
    for (const s of ref.spatter) {
      if (s.canny) {
        const liquid = gaussianPlane(plane(s.field, N), SPATTER_SIGMA[s.severity - 1]);
        const liquid8 = Uint8Array.from(liquid.data, (v) => (v < SPATTER_THRESHOLD[s.severity - 1] ? 0 : Math.trunc(v * 255)));
        const edges = canny(liquid8, N, N, 50, 150);
        expect(edges.some((e) => e > 0)).toBe(true);
        expect(compare(edges, u8(s.canny), 0).over).toBe(0);
      }
      const out = spatterFloat(image, plane(s.field, N), s.severity, { set: 'imagenet-c', table: 'imagenet-c', scale: 1 });
      expect(compare(clip01(out), f32(s.out), 1e-6).over).toBe(0);
    }
  });

  it('elastic_transform: the affine warp (1/32 px coordinates) and the displacement', () => {
    for (const e of ref.elastic) {
      const pts = controlPoints(N, N);
      const to = pts.map(([x, y], i): [number, number] => [Math.fround(x + e.jitter[2 * i]), Math.fround(y + e.jitter[2 * i + 1])]);
      expect(compare(warpAffine(toFloat(image), affineFromPoints(pts, to)).data, f32(e.warped), 1e-6).over).toBe(0);
      const dx = displacementField(plane(e.ux, N), e.alpha, e.sigma);
      const dy = displacementField(plane(e.uy, N), e.alpha, e.sigma);
      expect(compare(clip01(elasticFloat(image, e.jitter, dx, dy)), f32(e.out), 1e-5).over).toBe(0);
    }
  });

  it('frost: the photo scaled like cv2.resize INTER_LINEAR and the truncating blend', () => {
    const f = ref.frost;
    const photo: RawImage = { width: f.photoWidth, height: f.photoHeight, data: u8(f.photo) };
    const small = resizeLinear(photo, f.factor);
    expect([small.width, small.height]).toEqual([f.resizedWidth, f.resizedHeight]);
    // OpenCV interpolates in 11-bit fixed point; float bilinear is within one level of it.
    expect(compare(small.data, u8(f.resized), 1).over).toBe(0);
    const resized: RawImage = { width: f.resizedWidth, height: f.resizedHeight, data: u8(f.resized) };
    const crop: RawImage = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) };
    for (let y = 0; y < 8; y++) crop.data.set(image.data.subarray(y * N * 3, y * N * 3 + 24), y * 24);
    expect(frostBlend(crop, resized, f.blend.top, f.blend.left, f.blend.a, f.blend.b).data).toEqual(u8(f.blend.out));
  });
});
