import { ZeroshiftError } from '../errors.js';
import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import { embedStream } from './embedStream.js';

/** Batching for a handful of command-line files: one inference per 32, 8 decodes in flight. */
const FILE_BATCH = 32;
const FILE_DECODES = 8;

/**
 * Embeds image files in the order given, through the same stream as an evaluation (decode,
 * preprocess, batch, infer), without the cache.
 * @returns (N, D) L2-normalised image embeddings, row i for paths[i]
 * @throws ZeroshiftError('IMAGE') naming every file that cannot be read or decoded
 */
export async function embedFiles(model: ClipModel, paths: readonly string[], options: { exifRotate?: boolean } = {}): Promise<Float32Array> {
  const settings = { batchSize: FILE_BATCH, decodeConcurrency: FILE_DECODES, exifRotate: options.exifRotate ?? false };
  const d = model.info.embedDim;
  const out = new Float32Array(paths.length * d);
  const skipped: SkippedItem[] = [];
  const ids = fileIds(paths);
  let row = 0;
  for await (const batch of embedStream({ dataset: filesDataset(paths, ids), model, settings, shift: null, onSkip: (s) => skipped.push(s) })) {
    out.set(batch.embeddings, row * d);
    row += batch.items.length;
  }
  if (skipped.length > 0) {
    const named = skipped.map((s) => {
      const path = paths[ids.indexOf(s.id)] ?? s.id;
      return s.reason.includes(path) ? s.reason : `${path}: ${s.reason}`;
    });
    throw new ZeroshiftError('IMAGE', named.join('; '), { hint: 'check the file(s) named: each must be an image sharp decodes (PNG, JPEG, WebP, GIF, TIFF...)' });
  }
  return out;
}

/**
 * Item ids that name the files: the path itself, and `path (argument n)` for a repeat, so ids
 * stay distinct and a message about an item (a NaN embedding) names its file, not a row number.
 */
function fileIds(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return paths.map((p, i) => {
    const id = seen.has(p) ? `${p} (argument ${i + 1})` : p;
    seen.add(p);
    return id;
  });
}

/** The files as an unlabelled dataset, with fileIds' ids. */
function filesDataset(paths: readonly string[], ids: readonly string[]): Dataset {
  return {
    spec: 'files', adapter: 'files', name: 'files', classNames: ['(unlabelled)'], size: paths.length, fingerprint: 'files',
    async *samples() {
      for (const [i, path] of paths.entries()) yield { id: ids[i], image: { kind: 'path' as const, path }, label: 0 };
    },
  };
}
