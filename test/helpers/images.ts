import { makeRawImage, type RawImage } from '../../src/image/rawImage.js';
import { createRng } from '../../src/util/rng.js';

/** A width×height RGB image of seeded uniform noise (every byte 0–255). */
export function noiseImage(width: number, height: number, seed: number): RawImage {
  const img = makeRawImage(width, height);
  const rng = createRng(seed);
  for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(0, 255);
  return img;
}
