import { ZeroshiftError } from '../errors.js';
import type { Dataset, Sample } from './types.js';
import { sha256 } from '../util/hash.js';

/** What a `--limit` run records: the N items asked for, the seed, and how many the dataset had. */
export interface LimitInfo {
  n: number;
  seed: number;
  /** Items the full dataset yielded (the selection pass counts them). */
  of: number;
}

/** Rank of an item in the seeded order: sha256(seed:id), so the choice depends on ids only. */
function rankKey(seed: number, id: string): string {
  return sha256(`${seed}:${id}`);
}

/**
 * The first `n` items of `dataset` in a fixed seeded order: items are ranked by
 * sha256(seed:id) and the `n` lowest kept, then streamed in the dataset's own order. The
 * choice does not depend on how the dataset is sharded or listed, only on item ids, so a
 * smoke run of a big suite is a uniform sample that another machine reproduces. One extra
 * pass reads the ids (for tar shards that reads the shards once more).
 */
export async function limitDataset(dataset: Dataset, n: number, seed = 0): Promise<{ dataset: Dataset; limit: LimitInfo }> {
  if (!Number.isInteger(n) || n < 1) throw new ZeroshiftError('USAGE', `--limit must be a positive integer, got ${n}`);
  const keys: { id: string; key: string }[] = [];
  for await (const s of dataset.samples()) keys.push({ id: s.id, key: rankKey(seed, s.id) });
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const keep = new Set(keys.slice(0, n).map((k) => k.id));
  const limited: Dataset = {
    ...dataset,
    spec: dataset.spec,
    size: keep.size,
    fingerprint: `${dataset.fingerprint}:limit=${n}:seed=${seed}`,
    async *samples(options = {}) {
      for await (const s of dataset.samples(options) as AsyncIterable<Sample>) if (keep.has(s.id)) yield s;
    },
  };
  return { dataset: limited, limit: { n: keep.size, seed, of: keys.length } };
}
