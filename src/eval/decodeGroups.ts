import type { EvalUnit } from '../tasks/unit.js';

/**
 * Units that read the same images: one dataset spec, item range and protocol pre-crop. Their
 * models and shifts differ; the runner streams the images once for all of them.
 */
export interface DecodeGroup {
  key: string;
  units: EvalUnit[];
}

/** The identity of the images a unit reads (not the model or the shift). */
export function decodeKey(unit: EvalUnit): string {
  return JSON.stringify([unit.target.spec, unit.range ?? null, unit.target.scoringProtocol.crop ?? null]);
}

/** Groups units by `decodeKey`, groups and their units in plan order. */
export function decodeGroups(units: readonly EvalUnit[]): DecodeGroup[] {
  const groups = new Map<string, DecodeGroup>();
  for (const u of units) {
    const key = decodeKey(u);
    const g = groups.get(key);
    if (g) g.units.push(u);
    else groups.set(key, { key, units: [u] });
  }
  return [...groups.values()];
}

/**
 * The plan's models in batches of at most `size`, in order of first appearance: a batch's
 * models are loaded together and share each dataset pass, so a dataset is decoded once per
 * batch. The bound keeps memory in check when a plan names many checkpoints.
 */
export function modelBatches(units: readonly EvalUnit[], size: number): string[][] {
  const models = [...new Set(units.map((u) => u.modelRef))];
  const out: string[][] = [];
  for (let i = 0; i < models.length; i += size) out.push(models.slice(i, i + size));
  return out;
}
