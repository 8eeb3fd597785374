import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { hashValue } from '../util/hash.js';
import { VERSION } from '../util/version.js';
import type { DatasetEntry } from './manifestSchema.js';

/** Written last into a prepared layout directory; its presence makes a second prepare instant. */
export const MARKER_FILE = '.zeroshift-prepared.json';

const markerSchema = z.object({
  dataset: z.string(),
  entryHash: z.string(),
  preparedAt: z.string(),
  zeroshiftVersion: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      url: z.string(),
      sha256: z.string(),
      md5: z.string().optional(),
      /** False when the file had no published checksum and was used with --trust-unverified. */
      verified: z.boolean(),
    }),
  ),
});
export type Marker = z.infer<typeof markerSchema>;
export type MarkerFile = Marker['files'][number];

/**
 * Hash of what defines a dataset's content. URLs are left out so that a mirror
 * (ZEROSHIFT_MIRROR) yields the same identity as the official source.
 */
export function entryHash(entry: DatasetEntry): string {
  if (entry.kind !== 'download') return hashValue({ ...entry, homepage: undefined });
  return hashValue({ ...entry, files: entry.files.map((f) => ({ ...f, url: undefined })) });
}

/** The marker of a layout directory, or undefined when absent or unreadable. */
export function readMarker(dir: string): Marker | undefined {
  const path = join(dir, MARKER_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = markerSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the marker for `entry` into `dir` atomically. */
export async function writeMarker(dir: string, entry: DatasetEntry, files: MarkerFile[], now: Date = new Date()): Promise<Marker> {
  const marker: Marker = {
    dataset: entry.id,
    entryHash: entryHash(entry),
    preparedAt: now.toISOString(),
    zeroshiftVersion: VERSION,
    files,
  };
  await writeFileAtomic(join(dir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
  return marker;
}
