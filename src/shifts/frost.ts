import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ZeroshiftError } from '../errors.js';
import { makeRawImage, type RawImage } from '../image/rawImage.js';
import { row, type PublishedParamSet, type ShiftParams } from './paramSets.js';
import type { Corruption, FrostPhotos, ShiftAssets } from './types.js';

// ImageNet-C (image weight, frost weight) per severity.
type Pair = readonly [number, number];
const FROST: Record<'imagenet-c' | 'tiny-imagenet-c' | 'cifar-10-c', readonly Pair[]> = {
  'imagenet-c': [[1, 0.4], [0.8, 0.6], [0.7, 0.7], [0.65, 0.7], [0.6, 0.75]],
  'tiny-imagenet-c': [[1, 0.3], [0.9, 0.4], [0.8, 0.45], [0.75, 0.5], [0.7, 0.55]],
  'cifar-10-c': [[1, 0.2], [1, 0.3], [0.9, 0.4], [0.85, 0.4], [0.75, 0.45]],
};
/** The published generators' cv2.resize of the photograph before cropping (none in ImageNet-C). */
const PHOTO_SCALE: Readonly<Record<PublishedParamSet, number>> = { 'imagenet-c': 1, 'tiny-imagenet-c': 0.3, 'cifar-10-c': 0.2 };

/**
 * ImageNet-C's frost photographs (hendrycks/robustness, ImageNet-C/imagenet_c/imagenet_c/frost/)
 * with the sha256 of the published files. Their `frost` draws np.random.randint(5), so only
 * frost1–frost5 are ever used; frost6 is published alongside and checked but never drawn.
 */
export const FROST_PHOTOS: readonly { name: string; sha256: string }[] = [
  { name: 'frost1.png', sha256: 'ff9f907860bd7a835d459e32f9d588062b7f61ee267343cc7222b56753a14755' },
  { name: 'frost2.png', sha256: 'fe211a89b336999c207a852ce05818d4545d0b57c5beadd824b4cc9d9a9b6137' },
  { name: 'frost3.png', sha256: '2d0d50b4a9bb213f38b024ef7768731bb83cc08d2f26b5766bbc167cdfa0e504' },
  { name: 'frost4.jpg', sha256: '3f8b91ca1a9fa7167b09e773da53f5ae60d0a1fd88f02a783f6e328a72887f6e' },
  { name: 'frost5.jpg', sha256: '5fc6a19df4a429ba68abdcc8f8a4278d4c9f81c9ccafd2c92ab0c8cf8992ebd2' },
  { name: 'frost6.jpg', sha256: '1f92b2f48408748085b68dd81d816ef239f42cef3029c25d041fcb6760fb4f25' },
];

/** How many of FROST_PHOTOS the published corruption draws from. */
const FROST_DRAWN = 5;

/** The `prepare` id that downloads the photographs. */
export const FROST_PREPARE_ID = 'imagenet-c-frost';

/** What to tell a user whose run needs the frost photographs. */
export function frostHowTo(): string {
  return `run 'zeroshift prepare ${FROST_PREPARE_ID}' (then eval finds them under --data-dir), or pass --frost-dir DIR holding ${FROST_PHOTOS.map((p) => p.name).join(', ')} from https://github.com/hendrycks/robustness/tree/master/ImageNet-C/imagenet_c/imagenet_c/frost`;
}

/**
 * Reads and decodes the frost photographs in `dir`. Each file must match the published
 * sha256, so a cached frost embedding always stands for the same photographs; `verify: false`
 * accepts any pictures of those names (tests use synthetic stand-ins).
 */
export async function loadFrostPhotos(dir: string, options: { verify?: boolean } = {}): Promise<FrostPhotos> {
  const images: RawImage[] = [];
  for (const photo of FROST_PHOTOS) {
    const path = join(dir, photo.name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new ZeroshiftError('INPUT', `frost: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { hint: frostHowTo() });
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (options.verify !== false && sha !== photo.sha256) {
      throw new ZeroshiftError('INPUT', `frost: ${path} is not ImageNet-C's ${photo.name} (sha256 ${sha}, published ${photo.sha256})`, { hint: frostHowTo() });
    }
    const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ZeroshiftError('INPUT', `frost: ${path} decodes to ${info.channels} channels; expected RGB`);
    images.push({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
  }
  return { dir, images };
}

/**
 * cv2.resize(photo, (0, 0), fx=f, fy=f, INTER_LINEAR) in floating point: output side
 * round(side·f), sample (x + 0.5)/f − 0.5 clamped to the edge, bilinear, rounded to bytes.
 * OpenCV interpolates in 11-bit fixed point, so a value may differ from it by one level.
 */
export function resizeLinear(photo: RawImage, f: number): RawImage {
  const outW = Math.round(photo.width * f);
  const outH = Math.round(photo.height * f);
  const out = makeRawImage(outW, outH);
  const axis = (n: number, size: number): { i0: Int32Array; i1: Int32Array; t: Float64Array } => {
    const i0 = new Int32Array(n);
    const i1 = new Int32Array(n);
    const t = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const c = (k + 0.5) / f - 0.5;
      let lo = Math.floor(c);
      let w = c - lo;
      if (lo < 0) [lo, w] = [0, 0];
      if (lo >= size - 1) [lo, w] = [size - 1, 0];
      i0[k] = lo;
      i1[k] = Math.min(lo + 1, size - 1);
      t[k] = w;
    }
    return { i0, i1, t };
  };
  const ax = axis(outW, photo.width);
  const ay = axis(outH, photo.height);
  const W = photo.width;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number): number => photo.data[(yy * W + xx) * 3 + c];
        const top = (1 - ax.t[x]) * at(ay.i0[y], ax.i0[x]) + ax.t[x] * at(ay.i0[y], ax.i1[x]);
        const bottom = (1 - ax.t[x]) * at(ay.i1[y], ax.i0[x]) + ax.t[x] * at(ay.i1[y], ax.i1[x]);
        out.data[(y * outW + x) * 3 + c] = Math.min(255, Math.max(0, Math.round((1 - ay.t[y]) * top + ay.t[y] * bottom)));
      }
    }
  }
  return out;
}

/**
 * The frost photograph scaled for the image: by the published set's factor (Tiny-ImageNet-C 0.3,
 * CIFAR-10-C 0.2, ImageNet-C 1) times params.scale (s = min(W, H)/224 for `scaled`), or more
 * when the photo would not cover the image (then by the smallest factor that does).
 */
export function scaledFrost(photo: RawImage, width: number, height: number, params: ShiftParams): RawImage {
  const f = Math.max(PHOTO_SCALE[params.table] * params.scale, width / photo.width, height / photo.height);
  return f === 1 ? photo : resizeLinear(photo, f);
}

/**
 * ImageNet-C's blend `np.uint8(clip(a·x + b·frost, 0, 255))` of the image with the crop of
 * `photo` whose top-left corner is (top, left). Truncates like their saver.
 */
export function frostBlend(image: RawImage, photo: RawImage, top: number, left: number, a: number, b: number): RawImage {
  const out = makeRawImage(image.width, image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * image.width + x) * 3 + c;
        const v = a * image.data[i] + b * photo.data[((top + y) * photo.width + left + x) * 3 + c];
        out.data[i] = v >= 255 ? 255 : v > 0 ? Math.floor(v) : 0;
      }
    }
  }
  return out;
}

function photosOf(assets: ShiftAssets | undefined): FrostPhotos {
  if (!assets?.frost) {
    throw new ZeroshiftError('INPUT', "frost needs ImageNet-C's frost photographs, and none were given", { hint: frostHowTo() });
  }
  return assets.frost;
}

export const frost: Corruption = {
  id: 'frost',
  family: 'weather',
  summary: "blends a random crop of one of ImageNet-C's frost photographs: a·x + b·frost",
  parameters: FROST['imagenet-c'].map(([a, b]) => `${a}·x + ${b}·frost`),
  needsAssets: 'frost',
  apply(image, severity, rng, params, assets) {
    const photos = photosOf(assets);
    const [a, b] = row(FROST, params, severity);
    const drawn = photos.images[rng.int(0, FROST_DRAWN - 1)];
    if (drawn === undefined) throw new ZeroshiftError('INTERNAL', `frost: ${photos.dir} holds ${photos.images.length} photographs; expected ${FROST_PHOTOS.length}`);
    const photo = scaledFrost(drawn, image.width, image.height, params);
    // numpy's randint(0, n) excludes n; a photo exactly the image's size has one placement.
    const top = rng.int(0, Math.max(0, photo.height - image.height - 1));
    const left = rng.int(0, Math.max(0, photo.width - image.width - 1));
    return frostBlend(image, photo, top, left, a, b);
  },
};

/** Directory under the data dir where `zeroshift prepare imagenet-c-frost` puts the photographs. */
export const FROST_LAYOUT_DIR = 'imagenet-c-frost';
