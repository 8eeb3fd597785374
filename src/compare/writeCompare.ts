import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ThumbnailResolver } from '../report/gallery.js';
import { readResult } from '../results/store.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { CompareOutcome } from './compareResults.js';
import { compareHtml, FLIPS_FILE, HTML_FLIPS } from './renderHtml.js';
import { compareMarkdown } from './renderText.js';
import { compareSchema, type CompareReport } from './schema.js';

/**
 * compare.html's thumbnails: half the report gallery's side, in WebP, as many units show up to
 * 2 × HTML_FLIPS each (94 units of the default suite: 309 thumbnails, 1.86 MB as 64 px PNG).
 */
export const COMPARE_THUMBNAILS = { side: 64, format: 'webp' } as const;

export interface WrittenCompare {
  json: string;
  html: string;
  md: string;
  flips: string;
}

/**
 * Every flipped item, one line each: the unit (index into compare.json's `units`, dataset,
 * shift, prompts), the direction (`a-right-b-wrong` or `a-wrong-b-right`), the item's id and
 * label, and both top-1 predictions with their probabilities.
 */
export function flipsJsonl(report: CompareReport, flips: CompareOutcome['flips']): string {
  const lines: string[] = [];
  report.units.forEach((u, unit) => {
    const where = { unit, dataset: u.key.dataset, shift: u.key.shift ? `${u.key.shift.corruption}:${u.key.shift.severity}` : null, prompts: u.key.prompts };
    for (const f of flips[unit].lost) lines.push(JSON.stringify({ ...where, direction: 'a-right-b-wrong', ...f }));
    for (const f of flips[unit].gained) lines.push(JSON.stringify({ ...where, direction: 'a-wrong-b-right', ...f }));
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * Writes compare.json (validated), compare.html (the flipped items it shows with thumbnails
 * when a resolver of COMPARE_THUMBNAILS is given), compare.md and compare-flips.jsonl (every flipped item) into `outDir`.
 */
export async function writeCompare(report: CompareReport, flips: CompareOutcome['flips'], outDir: string, thumbnails?: ThumbnailResolver): Promise<WrittenCompare> {
  await mkdir(outDir, { recursive: true });
  const thumbs = new Map<string, string>();
  if (thumbnails) {
    for (const [i, u] of report.units.entries()) {
      const shown = [...u.lost.slice(0, HTML_FLIPS), ...u.gained.slice(0, HTML_FLIPS)];
      if (shown.length === 0) continue;
      // Both sides saw the same image (same dataset fingerprint and shift): A's result resolves it.
      const result = await readResult(u.files.a);
      for (const f of shown) {
        const png = await thumbnails(result, f.id);
        if (png) thumbs.set(`${i}:${f.id}`, `data:image/${COMPARE_THUMBNAILS.format};base64,${png.toString('base64')}`);
      }
    }
  }
  const out = { json: join(outDir, 'compare.json'), html: join(outDir, 'compare.html'), md: join(outDir, 'compare.md'), flips: join(outDir, FLIPS_FILE) };
  await writeFileAtomic(out.json, `${JSON.stringify(compareSchema.parse(report), null, 2)}\n`);
  await writeFileAtomic(out.flips, flipsJsonl(report, flips));
  await writeFileAtomic(out.html, compareHtml(report, thumbs, thumbnails !== undefined));
  await writeFileAtomic(out.md, compareMarkdown(report));
  return out;
}
