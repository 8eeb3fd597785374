/**
 * CLIP image preprocessing as openai/CLIP does it: PIL resize (shortest edge or exact size),
 * torchvision CenterCrop, ToTensor (/255 in float32), Normalize (float32).
 */
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { centerCrop, centerCropOffset, roundHalfEven } from './centerCrop.js';
import { pilResize, pilResizeBox } from './pilResize.js';
import type { PreprocessorConfig, ResizeTarget } from './types.js';

/**
 * Output size of torchvision `Resize(n)` (and HF get_resize_output_image_size with
 * default_to_square=False): the short side becomes n, the long side int(n * long / short).
 */
export function shortestEdgeSize(width: number, height: number, n: number): { width: number; height: number } {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const newLong = Math.trunc((n * long) / short);
  return width <= height ? { width: n, height: newLong } : { width: newLong, height: n };
}

/**
 * Output size of open_clip's `ResizeKeepRatio`: both sides divided by the larger (`longest`) or
 * smaller (`shortest`) of the two side ratios, rounded half to even as Python's round().
 */
export function keepRatioSize(width: number, height: number, target: { height: number; width: number }, fit: 'longest' | 'shortest'): { width: number; height: number } {
  const ratioH = height / target.height;
  const ratioW = width / target.width;
  const ratio = fit === 'longest' ? Math.max(ratioH, ratioW) : Math.min(ratioH, ratioW);
  return { width: roundHalfEven(width / ratio), height: roundHalfEven(height / ratio) };
}

function resizeTarget(img: RawImage, size: ResizeTarget): { width: number; height: number } {
  if ('shortestEdge' in size) return shortestEdgeSize(img.width, img.height, size.shortestEdge);
  if ('fit' in size) return keepRatioSize(img.width, img.height, size, size.fit);
  return size;
}

/** Resize + crop in 8-bit, exactly as PIL/torchvision produce them (before rescale/normalise). */
export function resizeAndCrop(img: RawImage, cfg: PreprocessorConfig): RawImage {
  if (cfg.doResize && cfg.doCenterCrop) {
    const target = resizeTarget(img, cfg.size);
    const { width, height } = cfg.cropSize;
    const { left, top } = centerCropOffset(target.width, target.height, width, height);
    // A crop inside the resized image: resize only the window (same values, a third less work for 4:3 images).
    if (left >= 0 && top >= 0 && left + width <= target.width && top + height <= target.height) {
      return pilResizeBox(img, target.width, target.height, cfg.resample, { left, top, width, height });
    }
  }
  let out = img;
  if (cfg.doResize) {
    const target = resizeTarget(img, cfg.size);
    out = pilResize(img, target.width, target.height, cfg.resample);
  }
  if (cfg.doCenterCrop) out = centerCrop(out, cfg.cropSize.width, cfg.cropSize.height);
  return out;
}

/** ToTensor divides by 255 in float32; a factor of exactly 1/n is applied as that division. */
function rescale(v: number, factor: number): number {
  const divisor = Math.round(1 / factor);
  return Math.abs(divisor * factor - 1) < 1e-12 ? Math.fround(v / divisor) : Math.fround(v * factor);
}

const lutCache = new WeakMap<PreprocessorConfig, Float32Array>();

/**
 * (3, 256) table from 8-bit value to model input per channel, computed in float32 steps as
 * torchvision's ToTensor + Normalize do, so per-pixel work is a lookup.
 */
function valueTable(cfg: PreprocessorConfig): Float32Array {
  const cached = lutCache.get(cfg);
  if (cached) return cached;
  const f = Math.fround;
  const lut = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const mean = f(cfg.imageMean[c]);
    const std = f(cfg.imageStd[c]);
    for (let v = 0; v < 256; v++) {
      const scaled = cfg.doRescale ? rescale(v, cfg.rescaleFactor) : v;
      lut[c * 256 + v] = cfg.doNormalize ? f(f(scaled - mean) / std) : scaled;
    }
  }
  lutCache.set(cfg, lut);
  return lut;
}

/** Model input size (height, width) this config produces when the crop fixes it. */
export function inputSize(cfg: PreprocessorConfig): { height: number; width: number } | undefined {
  if (cfg.doCenterCrop) return cfg.cropSize;
  if (cfg.doResize && !('shortestEdge' in cfg.size) && !('fit' in cfg.size)) return { height: cfg.size.height, width: cfg.size.width };
  return undefined;
}

/**
 * Preprocesses one 8-bit RGB image into a (3, H, W) float32 CHW tensor.
 * @param out optional batch buffer (N, 3, H, W) to write into, at element `offset`, to avoid copies.
 * @returns `out` (or a new array of 3·H·W when none is given).
 */
export function preprocessImage(img: RawImage, cfg: PreprocessorConfig, out?: Float32Array, offset = 0): Float32Array {
  const ready = resizeAndCrop(img, cfg);
  const plane = ready.width * ready.height;
  const target = out ?? new Float32Array(3 * plane);
  if (offset + 3 * plane > target.length) {
    throw new ZeroshiftError('INTERNAL', `preprocess: buffer of ${target.length} floats cannot hold a 3x${ready.height}x${ready.width} image at offset ${offset}`);
  }
  const lut = valueTable(cfg);
  const d = ready.data;
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    target[offset + i] = lut[d[p]];
    target[offset + plane + i] = lut[256 + d[p + 1]];
    target[offset + 2 * plane + i] = lut[512 + d[p + 2]];
  }
  return target;
}
