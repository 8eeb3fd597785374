import { renderScene } from '../../src/datasets/shapes/render.js';
import { sceneFor } from '../../src/datasets/shapes/scene.js';
import { makeRawImage, type RawImage } from '../../src/image/rawImage.js';
import type { FrostPhotos } from '../../src/shifts/types.js';

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

/**
 * Stand-ins for ImageNet-C's six frost photographs (test data, not shipped textures): photo k
 * is a flat colour (40k + 20, 30k + 10, 200 − 25k), 480×320 px, so a frost crop reveals which
 * photo was drawn.
 */
export function standInFrost(): FrostPhotos {
  const images = Array.from({ length: 6 }, (_, k) => {
    const img = makeRawImage(480, 320);
    for (let i = 0; i < 480 * 320; i++) img.data.set([40 * k + 20, 30 * k + 10, 200 - 25 * k], i * 3);
    return img;
  });
  return { dir: '(stand-in)', images };
}

/** An image whose red channel is x·256/side and green y·256/side (floored): each pixel says where it came from. */
export function coordinateImage(side = 64): RawImage {
  const img = makeRawImage(side, side);
  const k = 256 / side;
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) img.data.set([Math.floor(x * k), Math.floor(y * k), 128], (y * side + x) * 3);
  return img;
}
