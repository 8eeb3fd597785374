import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import Papa from 'papaparse';
import { ZeroshiftError } from '../../errors.js';
import { formatDatasetSpec } from '../spec.js';
import { checkOptions, requireArg } from '../options.js';
import { fingerprintFiles } from '../files.js';
import type { AdapterDef, Dataset, DatasetSpec, Sample, SkippedItem } from '../types.js';

const OPTIONS = {
  'image-column': "column holding the image path, relative to the file or absolute (default 'image', else 'filepath' or 'path')",
  'caption-column': "column holding one caption (default 'caption', else 'title' or 'text')",
};

function pick(header: string[], wanted: string | undefined, defaults: string[], path: string, what: string): string {
  const candidates = wanted !== undefined ? [wanted] : defaults;
  const found = candidates.find((c) => header.includes(c));
  if (found === undefined) {
    throw new ZeroshiftError('DATASET', `${path}:1: no ${what} column ${candidates.map((c) => `'${c}'`).join(' or ')}; columns: ${header.join(', ')}`, { hint: `choose one with ?${what}-column=NAME` });
  }
  return found;
}

interface Item {
  id: string;
  path: string;
  captions: string[];
  metadata: Record<string, unknown>;
}

/**
 * Rows of (image, caption): an image's rows are gathered in order of first appearance, so
 * an image with five captions is five rows (open_clip's CSV training format reads the same
 * columns). Other columns become the item's metadata (from its first row). A row with an
 * empty caption is listed and dropped; an image whose rows are all empty is skipped.
 */
async function open(spec: DatasetSpec): Promise<Dataset> {
  checkOptions(spec, OPTIONS);
  const path = requireArg(spec, 'a CSV of (image, caption) rows');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ZeroshiftError('DATASET', `cannot read caption CSV '${path}': ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // A manifest of captions decoded with replacement characters would embed wrong text: refuse.
    throw new ZeroshiftError('DATASET', `${path}: not valid UTF-8; captions must be UTF-8 text`);
  }
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const header = (parsed.meta.fields ?? []).map((h) => h.trim());
  if (header.length === 0) throw new ZeroshiftError('DATASET', `${path}: empty file (no header row)`);
  const imageCol = pick(header, spec.options['image-column'], ['image', 'filepath', 'path'], path, 'image');
  const captionCol = pick(header, spec.options['caption-column'], ['caption', 'title', 'text'], path, 'caption');
  const base = dirname(path);
  const byImage = new Map<string, Item>();
  const problems: SkippedItem[] = [];
  parsed.data.forEach((row, i) => {
    const line = i + 2;
    const rel = (row[imageCol] ?? '').trim();
    if (rel === '') throw new ZeroshiftError('DATASET', `${path}:${line}: row has no image path in column '${imageCol}'`);
    let item = byImage.get(rel);
    if (!item) {
      const metadata: Record<string, unknown> = { line };
      for (const h of header) if (h !== imageCol && h !== captionCol) metadata[h] = row[h] ?? '';
      item = { id: rel, path: isAbsolute(rel) ? rel : resolve(base, rel), captions: [], metadata };
      byImage.set(rel, item);
    }
    const caption = (row[captionCol] ?? '').trim();
    if (caption === '') problems.push({ id: `${rel}#line-${line}`, reason: `${path}:${line}: empty caption dropped` });
    else item.captions.push(caption);
  });
  const items = [...byImage.values()];
  return {
    spec: formatDatasetSpec(spec),
    adapter: 'csv-captions',
    name: basename(path).replace(/\.[^.]*$/, ''),
    classNames: [],
    captioned: true,
    size: items.filter((it) => it.captions.length > 0).length,
    fingerprint: await fingerprintFiles(base, [path], spec.options),
    async *samples(options = {}) {
      const onSkip = options.onSkip ?? (() => {});
      problems.forEach(onSkip);
      for (const it of items) {
        options.signal?.throwIfAborted();
        if (it.captions.length === 0) {
          onSkip({ id: it.id, reason: `${path}: no non-empty caption for image '${it.id}'` });
          continue;
        }
        const s: Sample = { id: it.id, image: { kind: 'path', path: it.path }, label: -1, captions: it.captions, metadata: it.metadata };
        yield s;
      }
    },
  };
}

export const csvCaptionsAdapter: AdapterDef = {
  id: 'csv-captions',
  summary: 'CSV/TSV of (image, caption) rows, for zero-shot retrieval',
  format:
    'a UTF-8 CSV with a header row; one row per (image, caption) pair, an image with several captions on several rows; ' +
    'image paths relative to the file or absolute; other columns are per-image metadata',
  options: OPTIONS,
  example: 'csv-captions:/data/captions.csv?image-column=filepath&caption-column=title',
  open,
};
