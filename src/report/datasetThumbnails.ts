import sharp from 'sharp';
import type { Result } from '../results/schema.js';
import type { ImageSource } from '../datasets/types.js';
import { openDataset } from '../datasets/registry.js';
import { decodeImage } from '../image/decode.js';
import { applyShift } from '../shifts/registry.js';
import type { ThumbnailResolver } from './gallery.js';

/** How many items of one dataset are scanned for gallery images before giving up. */
const SCAN_LIMIT = 50_000;
/** The longer side of a thumbnail (px): the failure gallery's. */
const THUMB_SIDE = 128;

/**
 * Resolves failure-gallery thumbnails from the datasets the results point at: the item is
 * found by id (one pass per dataset, remembering what it passed), decoded, shifted as in the
 * run, and encoded as a small PNG. Missing data (moved, not prepared) gives null, so the
 * gallery falls back to labels and predictions. `side`: the thumbnail's longer side in pixels;
 * `format`: PNG (lossless, the gallery's), or WebP at quality 80 for pages with hundreds of them
 * (a corrupted 64 px image is about 4.5 kB as PNG).
 */
export function datasetThumbnails(o: { side?: number; format?: 'png' | 'webp' } = {}): ThumbnailResolver {
  const side = o.side ?? THUMB_SIDE;
  const scans = new Map<string, Promise<Map<string, ImageSource>>>();
  return async (result: Result, itemId: string) => {
    let scan = scans.get(result.dataset.spec);
    if (!scan) {
      scan = indexDataset(result.dataset.spec);
      scans.set(result.dataset.spec, scan);
    }
    const source = (await scan).get(itemId);
    if (!source) return null;
    try {
      const decoded = await decodeImage(source);
      const image = result.shift ? await applyShift(decoded, { corruption: result.shift.corruption, severity: result.shift.severity as 1 | 2 | 3 | 4 | 5 }, itemId) : decoded;
      return await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize(side, side, { fit: 'inside', kernel: 'nearest', withoutEnlargement: false })
        .toFormat(o.format ?? 'png', o.format === 'webp' ? { quality: 80 } : {})
        .toBuffer();
    } catch {
      return null;
    }
  };
}

async function indexDataset(spec: string): Promise<Map<string, ImageSource>> {
  const out = new Map<string, ImageSource>();
  try {
    const ds = await openDataset(spec);
    for await (const s of ds.samples()) {
      out.set(s.id, s.image);
      if (out.size >= SCAN_LIMIT) break;
    }
  } catch {
    /* dataset unavailable here: the gallery shows labels only */
  }
  return out;
}
