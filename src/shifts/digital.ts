import sharp from 'sharp';
import { ZeroshiftError } from '../errors.js';
import type { RawImage } from '../image/rawImage.js';
import { boxResize } from './boxResize.js';
import { row } from './paramSets.js';
import type { Corruption } from './types.js';

// ImageNet-C severities. The pixelate factor is already relative to the image side.
// Per published set (make_imagenet_c.py, make_tinyimagenet_c.py, make_cifar_c.py); `scaled` uses ImageNet-C's.
const PIXELATE = { 'imagenet-c': [0.6, 0.5, 0.4, 0.3, 0.25], 'tiny-imagenet-c': [0.9, 0.8, 0.7, 0.6, 0.5], 'cifar-10-c': [0.95, 0.9, 0.85, 0.75, 0.65] };
const JPEG_QUALITY = { 'imagenet-c': [25, 18, 15, 10, 7], 'tiny-imagenet-c': [65, 58, 50, 40, 25], 'cifar-10-c': [80, 65, 58, 50, 40] };

export const pixelate: Corruption = {
  id: 'pixelate',
  family: 'digital',
  summary: "Pillow BOX downscale to int(side·c), then BOX upscale back",
  parameters: PIXELATE['imagenet-c'].map((c) => `c = ${c} (${Math.trunc(64 * c)} px at 64)`),
  apply(image, severity, _rng, params) {
    const c = row(PIXELATE, params, severity);
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
  parameters: JPEG_QUALITY['imagenet-c'].map((q) => `quality = ${q}`),
  apply() {
    throw new ZeroshiftError('INTERNAL', "jpeg_compression encodes with sharp and is asynchronous: call applyShift (or applyAsync), not apply");
  },
  applyAsync: (image, severity, _rng, params) => jpegRoundTrip(image, row(JPEG_QUALITY, params, severity)),
};
