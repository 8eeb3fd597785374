/**
 * Image decoding with sharp into 8-bit RGB, matching what PIL's `Image.open(f).convert("RGB")`
 * gives CLIP pipelines: alpha dropped (not composited), 16-bit reduced to the high byte, CMYK
 * converted with PIL's formula (no ICC), EXIF orientation ignored unless asked, first frame only.
 */
import sharp from 'sharp';
import { ZeroshiftError, isZeroshiftError } from '../errors.js';
import type { ImageSource } from './imageSource.js';
import type { RawImage } from './rawImage.js';
import { cmykToRgb } from './cmyk.js';
import { readImageFile } from './readImageFile.js';

/**
 * Largest accepted image, in pixels: twice PIL's MAX_IMAGE_PIXELS (89,478,485), the size at
 * which PIL itself raises DecompressionBombError instead of warning.
 */
export const DEFAULT_LIMIT_INPUT_PIXELS = 178_956_970;

/**
 * Largest accepted ratio of long to short side. Shortest-edge resizing scales the long side
 * by the same factor as the short one, so a 1×200000 sliver (a 1 KB PNG, far under the pixel
 * limit) would become a 64×12,800,000 intermediate: gigabytes and a minute of work for one
 * item. No photograph comes near 1000:1.
 */
export const DEFAULT_MAX_ASPECT_RATIO = 1000;

export interface DecodeOptions {
  /** Apply the EXIF orientation tag (PIL ignores it unless ImageOps.exif_transpose is used). */
  exifRotate?: boolean;
  /** Refuse images with more pixels than this (decompression-bomb guard). */
  limitInputPixels?: number;
  /** Refuse images whose long side exceeds this multiple of the short side. */
  maxAspectRatio?: number;
}

function sourceName(source: ImageSource): string {
  if (source.kind === 'path') return source.path;
  if (source.kind === 'bytes') return source.name;
  if (source.kind === 'generated') return source.key;
  return '(raw image)';
}

function copyRaw(image: RawImage): RawImage {
  return { width: image.width, height: image.height, data: image.data };
}

/** PNG's signature: a PNG is never CMYK, so its decode needs no metadata read first. */
function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a;
}

function checkAspect(width: number | undefined, height: number | undefined, options: DecodeOptions): void {
  const maxRatio = options.maxAspectRatio ?? DEFAULT_MAX_ASPECT_RATIO;
  if (width && height && Math.max(width, height) > maxRatio * Math.min(width, height)) {
    throw new ZeroshiftError('IMAGE', `extreme aspect ratio ${width}×${height} (over ${maxRatio}:1): resizing its short side would need an intermediate image ${Math.round(Math.max(width, height) / Math.min(width, height))} times longer than wide`);
  }
}

async function decodeEncoded(input: Uint8Array, options: DecodeOptions): Promise<RawImage> {
  const open = () => sharp(input, { limitInputPixels: options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS, pages: 1, failOn: 'error' });
  // The header is read first only where the colour space decides the pipeline (CMYK JPEG, TIFF...):
  // one thread-pool round trip less per PNG. A PNG's aspect ratio is checked on the decoded size,
  // which limitInputPixels already bounds.
  const meta = isPng(input) ? null : await open().metadata();
  if (meta) checkAspect(meta.width, meta.height, options);
  let pipeline = open();
  if (options.exifRotate) pipeline = pipeline.autoOrient();
  if (meta?.space === 'cmyk') {
    const { data, info } = await pipeline.toColourspace('cmyk').raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: cmykToRgb(data, info.width * info.height, info.channels) };
  }
  // sharp reduces 16-bit to 8-bit by taking the high byte (v >> 8), as PIL's RGB;16B unpacker does.
  const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (!meta) checkAspect(info.width, info.height, options);
  if (info.channels !== 3) {
    throw new ZeroshiftError('IMAGE', `decoded to ${info.channels} channels, expected 3`);
  }
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * Decodes an image file, encoded bytes or raw pixels into 8-bit interleaved RGB.
 * @throws ZeroshiftError('IMAGE') naming the file when it cannot be decoded; callers skip the item.
 */
export async function decodeImage(given: ImageSource, options: DecodeOptions = {}): Promise<RawImage> {
  if (given.kind === 'raw') return copyRaw(given.image);
  if (given.kind === 'generated') return given.render();
  // Files are read by readImageFile, never by path inside sharp: a FIFO or a device must not block or stream forever.
  const source = given.kind === 'path' ? { kind: 'bytes' as const, bytes: await readImageFile(given.path), name: given.path } : given;
  const name = sourceName(source);
  if (source.kind === 'bytes' && source.bytes.length === 0) {
    throw new ZeroshiftError('IMAGE', `${name}: empty file (0 bytes)`);
  }
  try {
    return await decodeEncoded(source.bytes, options);
  } catch (e) {
    const reason = isZeroshiftError(e) ? e.message : describeSharpError(e);
    throw new ZeroshiftError('IMAGE', `${name}: ${reason}`, { cause: e });
  }
}

function describeSharpError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/unsupported image format/i.test(message)) return 'not an image (unsupported or unrecognised format)';
  if (/Input file is missing/i.test(message)) return 'file not found';
  if (/pixel limit/i.test(message)) return `too many pixels (${message})`;
  return `cannot decode image: ${message.split('\n')[0]}`;
}
