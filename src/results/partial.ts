import type { Result } from './schema.js';

/** What `--limit` recorded: the items kept, the seed of the order, the items the full set had. */
export interface LimitRecord {
  n: number;
  seed: number;
  of: number | null;
}

// Results written before `limit` was recorded carry it only in the fingerprint (datasets/limit.ts).
const FINGERPRINT_LIMIT = /:limit=(\d+):seed=(-?\d+)$/;

/** The `--limit` a classification result was computed under, or null when it covers the whole dataset. */
export function limitOf(r: Pick<Result, 'limit' | 'dataset'>): LimitRecord | null {
  if (r.limit) return r.limit;
  const m = FINGERPRINT_LIMIT.exec(r.dataset.fingerprint);
  return m ? { n: Number(m[1]), seed: Number(m[2]), of: null } : null;
}

/**
 * Whether a result scores a `--limit` sample rather than its whole dataset (a limit at or above
 * the set's size keeps every item: not partial). Its numbers then describe the sample, as a task
 * result's `partial` says.
 */
export function isPartialResult(r: Pick<Result, 'limit' | 'dataset'>): boolean {
  const l = limitOf(r);
  return l !== null && (l.of === null || l.n < l.of);
}

/** `200 of 1000 items (--limit 200, seed 0)`, or `--limit 200, seed 0` when the full size is unknown. */
export function partialText(r: Pick<Result, 'limit' | 'dataset'>): string {
  const l = limitOf(r);
  if (!l) return '';
  return l.of === null ? `--limit ${l.n}, seed ${l.seed}` : `${l.n} of ${l.of} items (--limit ${l.n}, seed ${l.seed})`;
}
