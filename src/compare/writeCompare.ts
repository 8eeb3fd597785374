import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ThumbnailResolver } from '../report/gallery.js';
import { readResult } from '../results/store.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { compareHtml } from './renderHtml.js';
import { compareMarkdown } from './renderText.js';
import { compareSchema, type CompareReport } from './schema.js';

export interface WrittenCompare {
  json: string;
  html: string;
  md: string;
}

/**
 * Writes compare.json (validated), compare.html (flipped items with thumbnails when a resolver
 * is given) and compare.md into `outDir`.
 */
export async function writeCompare(report: CompareReport, outDir: string, thumbnails?: ThumbnailResolver): Promise<WrittenCompare> {
  await mkdir(outDir, { recursive: true });
  const thumbs = new Map<string, string>();
  if (thumbnails) {
    for (const [i, u] of report.units.entries()) {
      if (u.lost.length + u.gained.length === 0) continue;
      // Both sides saw the same image (same dataset fingerprint and shift): A's result resolves it.
      const result = await readResult(u.files.a);
      for (const f of [...u.lost, ...u.gained]) {
        const png = await thumbnails(result, f.id);
        if (png) thumbs.set(`${i}:${f.id}`, `data:image/png;base64,${png.toString('base64')}`);
      }
    }
  }
  const out = { json: join(outDir, 'compare.json'), html: join(outDir, 'compare.html'), md: join(outDir, 'compare.md') };
  await writeFileAtomic(out.json, `${JSON.stringify(compareSchema.parse(report), null, 2)}\n`);
  await writeFileAtomic(out.html, compareHtml(report, thumbs, thumbnails !== undefined));
  await writeFileAtomic(out.md, compareMarkdown(report));
  return out;
}
