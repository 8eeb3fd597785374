/**
 * Pillow's `Image.resize` on 8-bit RGB, reimplemented bit-exactly (libImaging/Resample.c and
 * Geometry.c, stock Pillow 9–11, default box, `reducing_gap=None`). CLIP's reference
 * preprocessing runs through PIL, so any other resampler shifts embeddings. The coefficients are
 * computed here; the convolution passes run in WebAssembly (resampleKernels.ts).
 */
import { ZeroshiftError } from '../errors.js';
import { makeRawImage, type RawImage } from '../image/rawImage.js';
import { cropWindow } from './centerCrop.js';
import { CONVOLUTION_FILTERS, PIL_NEAREST, type ResampleFilter } from './resampleFilters.js';
import { resampleWindow } from './resampleKernels.js';

/** 32 − 8 − 2: Pillow's fixed-point precision for 8-bit images. */
const PRECISION_BITS = 22;

/** Fixed-point taps for one axis: output i reads `counts[i]` inputs from `starts[i]`. */
export interface AxisCoefficients {
  ksize: number;
  starts: Int32Array;
  counts: Int32Array;
  /** (outSize, ksize) weights scaled by 2^22, rounded half away from zero. */
  weights: Int32Array;
}

const CACHE_LIMIT = 256;
const coefficientCache = new Map<string, AxisCoefficients>();

/**
 * Coefficients for resampling an axis of `inSize` pixels to `outSize` (Resample.c
 * precompute_coeffs + normalize_coeffs_8bpc), cached per (inSize, outSize, filter).
 */
export function axisCoefficients(inSize: number, outSize: number, filter: ResampleFilter): AxisCoefficients {
  const key = `${filter.id}:${inSize}:${outSize}`;
  const hit = coefficientCache.get(key);
  if (hit) return hit;
  const coeffs = computeCoefficients(inSize, outSize, filter);
  if (coefficientCache.size >= CACHE_LIMIT) {
    const oldest = coefficientCache.keys().next().value;
    if (oldest !== undefined) coefficientCache.delete(oldest);
  }
  coefficientCache.set(key, coeffs);
  return coeffs;
}

function computeCoefficients(inSize: number, outSize: number, filter: ResampleFilter): AxisCoefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const row = new Float64Array(ksize);
  const inverse = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero; clamping makes it equal to floor here.
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < count; x++) {
      const w = filter.weight((x + xmin - center + 0.5) * inverse);
      row[x] = w;
      sum += w;
    }
    for (let x = 0; x < count; x++) {
      const w = sum !== 0 ? row[x] / sum : row[x];
      weights[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    starts[xx] = xmin;
    counts[xx] = count;
  }
  return { ksize, starts, counts, weights };
}

/** Pillow's NEAREST path: ImagingScaleAffine, including its accumulated x coordinate. */
function resizeNearest(img: RawImage, width: number, height: number): RawImage {
  const out = makeRawImage(width, height);
  const sx = img.width / width;
  const sy = img.height / height;
  const xin = new Int32Array(width);
  let xo = sx * 0.5;
  for (let x = 0; x < width; x++, xo += sx) xin[x] = Math.min(Math.trunc(xo), img.width - 1);
  for (let y = 0; y < height; y++) {
    const yi = Math.min(Math.trunc(sy * (y + 0.5)), img.height - 1);
    const srcRow = yi * img.width * 3;
    for (let x = 0; x < width; x++) {
      const p = srcRow + xin[x] * 3;
      const q = (y * width + x) * 3;
      out.data[q] = img.data[p];
      out.data[q + 1] = img.data[p + 1];
      out.data[q + 2] = img.data[p + 2];
    }
  }
  return out;
}

function checkSize(img: RawImage, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ZeroshiftError('INPUT', `resize: target size ${width}x${height} must be positive integers`);
  }
  if (img.width < 1 || img.height < 1) {
    throw new ZeroshiftError('IMAGE', `resize: source image is empty (${img.width}x${img.height})`);
  }
}

/**
 * `PIL.Image.resize((width, height), resample)` on an 8-bit RGB image.
 * @param resample PIL filter id: 0 nearest, 2 bilinear, 3 bicubic.
 * @returns a new image; a copy when the size is unchanged (as Pillow does).
 */
export function pilResize(img: RawImage, width: number, height: number, resample: number): RawImage {
  return pilResizeBox(img, width, height, resample, { left: 0, top: 0, width, height });
}

/** A window of a resized image: columns [left, left + width), rows [top, top + height). */
export interface ResizeBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * `pilResize(img, width, height, resample)` cut to `box`, computing only the box: each output
 * pixel depends on its own row's and column's taps alone, so the values are those of the full
 * resize (and of PIL), without the pixels a center crop throws away. Only the input rows the
 * box's vertical taps read are resampled horizontally, as Pillow does for the whole image.
 * @param box inside the resized image (no padding)
 */
export function pilResizeBox(img: RawImage, width: number, height: number, resample: number, box: ResizeBox): RawImage {
  checkSize(img, width, height);
  if (box.left < 0 || box.top < 0 || box.width < 1 || box.height < 1 || box.left + box.width > width || box.top + box.height > height) {
    throw new ZeroshiftError('INTERNAL', `resize: box ${box.width}x${box.height}+${box.left}+${box.top} is not inside ${width}x${height}`);
  }
  const cut = (full: RawImage): RawImage => cropWindow(full, box.left, box.top, box.width, box.height);
  if (width === img.width && height === img.height) return cut(img);
  if (resample === PIL_NEAREST) {
    const full = resizeNearest(img, width, height);
    return box.width === width && box.height === height ? full : cut(full);
  }
  const filter = CONVOLUTION_FILTERS.get(resample);
  if (!filter) {
    throw new ZeroshiftError('INPUT', `resize: unsupported resample filter ${resample}; supported: 0 (nearest), 2 (bilinear), 3 (bicubic)`);
  }
  const horiz = axisCoefficients(img.width, width, filter);
  const vert = axisCoefficients(img.height, height, filter);
  // Input rows the box needs: its own rows when the height is kept, else those its vertical taps read.
  const firstRow = height !== img.height ? vert.starts[box.top] : box.top;
  const lastRow = height !== img.height ? vert.starts[box.top + box.height - 1] + vert.counts[box.top + box.height - 1] : box.top + box.height;
  const vertical = height !== img.height ? { coefficients: vert, top: box.top, height: box.height } : undefined;
  if (width !== img.width) return resampleWindow(img, { firstRow, lastRow, horizontal: { coefficients: horiz, left: box.left, width: box.width }, vertical });
  // Width kept: the vertical pass reads the box's columns (the source itself when they are all of it).
  const columns = box.width === img.width ? img : cropWindow(img, box.left, 0, box.width, lastRow);
  return resampleWindow(columns, { firstRow, lastRow, vertical });
}
