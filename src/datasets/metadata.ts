import { ZeroshiftError, didYouMean } from '../errors.js';
import type { Dataset } from './types.js';

/** Per-item metadata of a dataset, by item id (undefined for an item without any). */
export type ItemMetadata = Map<string, Record<string, unknown> | undefined>;

/**
 * Streams `dataset` once for the per-item metadata `--group-by` reads (WebDataset `KEY.json`,
 * CSV columns, a folder image's `img.json`, the shapes scene). Image bytes are not decoded.
 * A requested field that no item has is a usage error naming the field, the dataset and the
 * fields that are present.
 */
export async function readItemMetadata(dataset: Dataset, fields: readonly string[], signal?: AbortSignal): Promise<ItemMetadata> {
  const out: ItemMetadata = new Map();
  const present = new Set<string>();
  for await (const s of dataset.samples({ signal })) {
    out.set(s.id, s.metadata);
    for (const k of Object.keys(s.metadata ?? {})) present.add(k);
  }
  for (const f of fields) {
    if (!present.has(f)) {
      const have = [...present].sort();
      throw new ZeroshiftError('USAGE', `--group-by ${f}: no item of dataset ${dataset.name} (${dataset.spec}) has a metadata field '${f}'${didYouMean(f, have)}; fields present: ${have.join(', ') || '(none: this dataset has no per-item metadata)'}`, {
        hint: 'per-item metadata comes from WebDataset KEY.json, CSV columns other than path and label, or a JSON file beside each image of a folder (img.jpg + img.json)',
      });
    }
  }
  return out;
}
