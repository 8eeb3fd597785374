import { makeRawImage, type RawImage } from '../image/rawImage.js';

const PRECISION_BITS = 22; // Pillow: 32 − 8 − 2

/** Pillow's box filter: 1 on (−0.5, 0.5]. */
const box = (x: number): number => (x > -0.5 && x <= 0.5 ? 1 : 0);

interface Coeffs {
  bounds: Int32Array; // per output pixel: xmin, count
  weights: Int32Array; // ksize per output pixel, fixed point
  ksize: number;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for the box filter (support 0.5). */
function boxCoeffs(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 0.5 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const count = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    const w = Array.from({ length: count }, (_, x) => box((x + xmin - center + 0.5) / filterscale));
    const ww = w.reduce((a, b) => a + b, 0);
    w.forEach((v, x) => {
      const k = ww === 0 ? v : v / ww;
      weights[xx * ksize + x] = k < 0 ? Math.trunc(-0.5 + k * (1 << PRECISION_BITS)) : Math.trunc(0.5 + k * (1 << PRECISION_BITS));
    });
    bounds[2 * xx] = xmin;
    bounds[2 * xx + 1] = count;
  }
  return { bounds, weights, ksize };
}

const clip8 = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : v);

/** One resampling pass along x (horizontal) or y, 8-bit in and out, as Pillow's ImagingResample. */
function pass(src: RawImage, outW: number, outH: number, horizontal: boolean): RawImage {
  const out = makeRawImage(outW, outH);
  const c = horizontal ? boxCoeffs(src.width, outW) : boxCoeffs(src.height, outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const o = horizontal ? x : y;
      const xmin = c.bounds[2 * o];
      const count = c.bounds[2 * o + 1];
      for (let ch = 0; ch < 3; ch++) {
        // Integer weights ≤ 2^22 times bytes: sums stay well inside 2^53.
        let ss = 1 << (PRECISION_BITS - 1);
        for (let k = 0; k < count; k++) {
          const p = horizontal ? (y * src.width + xmin + k) * 3 : ((xmin + k) * src.width + x) * 3;
          ss += src.data[p + ch] * c.weights[o * c.ksize + k];
        }
        out.data[(y * outW + x) * 3 + ch] = clip8(Math.floor(ss / (1 << PRECISION_BITS)));
      }
    }
  }
  return out;
}

/**
 * `Image.resize((w, h), Image.BOX)` of stock Pillow on an RGB image: a horizontal pass to an
 * 8-bit intermediate, then a vertical pass, each skipped when that side is unchanged.
 */
export function boxResize(image: RawImage, width: number, height: number): RawImage {
  const h = width === image.width ? image : pass(image, width, image.height, true);
  return height === image.height ? h : pass(h, width, height, false);
}
