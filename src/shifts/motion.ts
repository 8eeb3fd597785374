import { makeRawImage, type RawImage } from '../image/rawImage.js';
import { clampIndex } from './pixels.js';

/**
 * ImageMagick's MotionBlurImage, the operation ImageNet-C calls through Wand: a one-sided
 * line kernel of `2·ceil(radius) + 1` taps with Gaussian weights exp(−i²/2σ²) (normalised),
 * tap i sampling the pixel round(i·cos θ), round(i·sin θ) away; borders repeat the edge
 * pixel (ImageMagick's default virtual pixels). The 8-bit result is rounded, as
 * ImageMagick quantises.
 */
export function motionBlurImage(image: RawImage, radius: number, sigma: number, angleDeg: number): RawImage {
  const width = 2 * Math.ceil(radius) + 1;
  const weights = new Float64Array(width);
  let sum = 0;
  for (let i = 0; i < width; i++) {
    weights[i] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += weights[i];
  }
  const a = (angleDeg * Math.PI) / 180;
  const dx = Int32Array.from({ length: width }, (_, i) => Math.round(i * Math.cos(a)));
  const dy = Int32Array.from({ length: width }, (_, i) => Math.round(i * Math.sin(a)));
  const { width: W, height: H } = image;
  const out = makeRawImage(W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let i = 0; i < width; i++) {
          s += weights[i] * image.data[(clampIndex(y + dy[i], H) * W + clampIndex(x + dx[i], W)) * 3 + c];
        }
        out.data[(y * W + x) * 3 + c] = Math.min(255, Math.round(s / sum));
      }
    }
  }
  return out;
}
