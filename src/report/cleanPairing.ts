import type { Result } from '../results/schema.js';
import { findIdResult, runKey, runLabel } from './conditions.js';

/**
 * Which clean result a corrupted one is measured against (CE, relative CE, heatmap "clean",
 * mean corruption accuracy). A synthetic `--shift` corrupts the very dataset it was run on, so
 * its clean partner is the uncorrupted result of that dataset: same spec, same fingerprint, same
 * n, same model and prompt set — never the family's standard set when the shift was applied to
 * another variant (fog on shapes-dark is not fog on shapes-standard). A published -C variant
 * (`cifar10-c-fog-3`) is a corruption of the family's standard test set, so that is its partner.
 */

/** The set a corrupted result corrupts: the key groups results, the label names it in the report. */
export interface CorruptedSet {
  key: string;
  label: string;
  /** True when the set is its family's standard (ImageNet-C's AlexNet errors apply to ImageNet's own). */
  isStandard: boolean;
}

/** The dataset `r` (a corrupted result) is a corruption of. */
export function corruptedSetOf(r: Result): CorruptedSet {
  if (r.shift) return { key: `set|${r.dataset.spec}|${r.dataset.fingerprint}`, label: r.dataset.name, isStandard: r.dataset.isStandard };
  const family = r.dataset.family ?? r.dataset.name;
  return { key: `family|${family}`, label: family, isStandard: true };
}

/** The clean partner of a corrupted result, or null with the reason it has none. */
export type CleanPairing = { clean: Result; reason?: undefined } | { clean: null; reason: string };

/**
 * The clean result `r` is paired with among `all`.
 * @param r a corrupted result (synthetic shift or published -C variant)
 */
export function cleanPartnerOf(r: Result, all: readonly Result[]): CleanPairing {
  if (!r.shift) {
    const id = findIdResult(r, all);
    return id ? { clean: id } : { clean: null, reason: `no clean result of ${r.dataset.family ?? r.dataset.name}'s standard set for ${runLabel(r)}` };
  }
  const clean = all.find((o) => o.shift === null && runKey(o) === runKey(r) && o.dataset.spec === r.dataset.spec
    && o.dataset.fingerprint === r.dataset.fingerprint && o.metrics.n === r.metrics.n);
  if (clean) return { clean };
  const sameSet = all.find((o) => o.shift === null && runKey(o) === runKey(r) && o.dataset.name === r.dataset.name);
  const differs = sameSet
    ? ` (the clean ${sameSet.dataset.name} result has ${sameSet.dataset.spec === r.dataset.spec ? '' : `spec ${sameSet.dataset.spec}, `}${sameSet.dataset.fingerprint === r.dataset.fingerprint ? '' : 'another fingerprint, '}n ${sameSet.metrics.n})`
    : '';
  return { clean: null, reason: `no clean result of ${r.dataset.name} (${r.dataset.spec}, n ${r.metrics.n}) for ${runLabel(r)}${differs}` };
}
