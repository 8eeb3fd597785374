import { renderScene } from '../../src/datasets/shapes/render.js';
import { sceneFor } from '../../src/datasets/shapes/scene.js';
import type { RawImage } from '../../src/image/rawImage.js';

/** A few real benchmark images to corrupt. */
export function testImages(count = 4, domain: 'standard' | 'dark' = 'standard'): RawImage[] {
  return Array.from({ length: count }, (_, i) => renderScene(sceneFor(11, domain, i), 64));
}

export function mse(a: RawImage, b: RawImage): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return s / a.data.length;
}

/** Mean squared difference between horizontal and vertical neighbours: high-frequency energy. */
export function gradientEnergy(img: RawImage): number {
  let s = 0;
  const W = img.width;
  for (let y = 0; y < img.height - 1; y++) {
    for (let x = 0; x < W - 1; x++) {
      for (let c = 0; c < 3; c++) {
        const p = img.data[(y * W + x) * 3 + c];
        s += (img.data[(y * W + x + 1) * 3 + c] - p) ** 2 + (img.data[((y + 1) * W + x) * 3 + c] - p) ** 2;
      }
    }
  }
  return s;
}

/** Standard deviation of all channel values. */
export function stdDev(img: RawImage): number {
  let m = 0;
  for (const v of img.data) m += v;
  m /= img.data.length;
  let s = 0;
  for (const v of img.data) s += (v - m) ** 2;
  return Math.sqrt(s / img.data.length);
}

export function mean(img: RawImage): number {
  let m = 0;
  for (const v of img.data) m += v;
  return m / img.data.length;
}
