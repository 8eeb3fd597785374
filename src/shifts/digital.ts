import sharp from 'sharp';
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { boxResize } from './boxResize.js';
import type { Corruption } from './types.js';

// ImageNet-C severities. The pixelate factor is already relative to the image side.
const PIXELATE = [0.6, 0.5, 0.4, 0.3, 0.25];
const JPEG_QUALITY = [25, 18, 15, 10, 7];

export const pixelate: Corruption = {
  id: 'pixelate',
  family: 'digital',
  summary: "Pillow BOX downscale to int(side·c), then BOX upscale back",
  parameters: PIXELATE.map((c) => `c = ${c} (${Math.trunc(64 * c)} px at 64)`),
  apply(image, severity) {
    const c = PIXELATE[severity - 1];
    const small = boxResize(image, Math.trunc(image.width * c), Math.trunc(image.height * c));
    return boxResize(small, image.width, image.height);
  },
};

/** JPEG round trip through sharp (libjpeg-turbo, standard tables, 4:2:0 like Pillow's default). */
async function jpegRoundTrip(image: RawImage, quality: number): Promise<RawImage> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const jpeg = await sharp(image.data, { raw }).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export const jpegCompression: Corruption = {
  id: 'jpeg_compression',
  family: 'digital',
  summary: 'JPEG encode and decode at a low quality',
  parameters: JPEG_QUALITY.map((q) => `quality = ${q}`),
  apply() {
    throw new ZeroshiftError('INTERNAL', "jpeg_compression encodes with sharp and is asynchronous: call applyShift (or applyAsync), not apply");
  },
  applyAsync: (image, severity) => jpegRoundTrip(image, JPEG_QUALITY[severity - 1]),
};
