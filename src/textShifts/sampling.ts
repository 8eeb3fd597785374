import type { Rng } from '../util/rng.js';
import type { Severity } from '../shifts/types.js';

/**
 * The share of words a shift changes at a severity: 0.05 × severity, as Qiu et al. 2022 ran
 * nlpaug (`aug_word_p`) and EDA (`alpha`). Computed as the same float product their Python did,
 * so counts derived from it round the same way (0.05 × 3 is 0.15000000000000002).
 */
export function severityRate(severity: Severity): number {
  return 0.05 * severity;
}

/** An integer in [0, n), from one draw. */
export function pick(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/**
 * `k` distinct entries of `items`, chosen uniformly (a partial Fisher–Yates shuffle: draw t
 * picks among the n − t not yet taken), returned in the order drawn.
 */
export function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  const a = [...items];
  const n = Math.min(k, a.length);
  for (let t = 0; t < n; t++) {
    const j = t + pick(rng, a.length - t);
    [a[t], a[j]] = [a[j], a[t]];
  }
  return a.slice(0, n);
}

/**
 * How many of `size` units to change for a share `p`: ceil(p × size) clamped to [min, max]
 * (nlpaug's `_generate_aug_cnt`); the caller caps it at the candidates it has.
 */
export function changeCount(p: number, size: number, min: number, max: number): number {
  const n = Math.ceil(p * size);
  return Math.min(max, Math.max(min, n));
}

/** `to` in the case of `like` (upper when `like` is an upper-case letter). */
export function matchCase(to: string, like: string): string {
  return like !== like.toLowerCase() ? to.toUpperCase() : to.toLowerCase();
}
