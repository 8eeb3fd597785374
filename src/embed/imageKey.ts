import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImageSource } from '../datasets/types.js';
import { CORRUPTIONS_VERSION } from '../shifts/paramSets.js';
import type { ShiftRequest } from '../shifts/types.js';
import { readImageFile } from '../image/readImageFile.js';

/**
 * The bytes of a sample's image as stored (file content, archive entry, raw pixels), or null
 * for a generated image, which is identified by its generator key instead.
 */
export async function sourceBytes(source: ImageSource): Promise<Uint8Array | null> {
  switch (source.kind) {
    case 'path':
      return readImageFile(source.path);
    case 'bytes':
      return source.bytes;
    case 'raw':
      return source.image.data;
    case 'generated':
      return null;
  }
}

/** A pre-crop of the scoring protocol (pixels cut from every edge), or null. */
export type PreCrop = { border: number } | null;

/**
 * Content address of one image embedding: sha256 over the image bytes (with the raw image's
 * dimensions, since raw pixels alone do not fix them) or the generator key, the protocol's
 * pre-crop, and the shift. Corruptions are seeded by sample id, so a shifted key includes the id too.
 */
export function imageKey(source: ImageSource, bytes: Uint8Array | null, shift: ShiftRequest | null, sampleId: string, crop: PreCrop = null): string {
  const h = createHash('sha256');
  if (source.kind === 'generated') h.update(`gen:${source.key}`);
  else {
    h.update(source.kind === 'raw' ? `raw:${source.image.width}x${source.image.height}:` : 'enc:');
    h.update(bytes!);
  }
  if (crop) h.update(`|crop:${crop.border}`);
  if (shift) h.update(shiftKeyPart(shift, sampleId));
  return h.digest('hex');
}

/**
 * The shift's part of a key: corruption, severity, parameter set (`auto` when none was named:
 * resolved by the image's size, which the image bytes fix) and the corruptions' code version,
 * so pixels made by older corruption code are never served for new ones.
 */
function shiftKeyPart(shift: ShiftRequest, sampleId: string): string {
  return `|shift:${shift.corruption}:${shift.severity}|params:${shift.params ?? 'auto'}|code:${CORRUPTIONS_VERSION}|id:${sampleId}`;
}

/**
 * A second address for a file's embedding that needs no read: its absolute path, size, inode
 * and nanosecond modification and change times, plus the pre-crop and shift. A warm run looks this up
 * first, so unchanged files are neither read nor hashed; any change to the file changes the
 * alias, and the content key (which survives moves and copies) is checked next. Null when the
 * file cannot be stat'ed (reading it then reports the problem).
 */
export function fileAliasKey(path: string, shift: ShiftRequest | null, sampleId: string, crop: PreCrop = null): string | null {
  try {
    // Synchronous: a metadata lookup takes microseconds, a thread-pool round trip many times that.
    const s = statSync(path, { bigint: true });
    const h = createHash('sha256');
    h.update(`file:${resolve(path)}|${s.size}|${s.ino}|${s.mtimeNs}|${s.ctimeNs}`);
    if (crop) h.update(`|crop:${crop.border}`);
    if (shift) h.update(shiftKeyPart(shift, sampleId));
    return h.digest('hex');
  } catch {
    return null;
  }
}
