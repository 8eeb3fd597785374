import type { Dataset } from '../datasets/types.js';
import type { ResolveOptions } from '../model/modelFiles.js';
import { locateModel, type HubOptions } from '../model/hubModel.js';
import { openDatasetOnce } from '../datasets/registry.js';
import { promptsFor } from './classifiers.js';
import type { EvalTarget, EvalUnit } from './types.js';

/**
 * Checks what a plan can check without a model session: every model reference resolves to
 * its files, every dataset opens, and every prompt set fits its dataset (known id, templates
 * with a placeholder, matching class count). Runs before the first unit, so a mistake in the
 * last entry of a suite stops the run before hours of embedding rather than after.
 */
export async function preflight(units: EvalUnit[], model: ResolveOptions & { hub?: HubOptions }): Promise<void> {
  // `hf:` models are fetched here, before the first unit, so a run never stops midway for one.
  for (const ref of new Set(units.map((u) => u.modelRef))) await locateModel(ref, model);
  const datasets = new Map<string, Dataset>();
  const checked = new Map<EvalTarget, Set<string>>();
  for (const unit of units) {
    // Shifted units share their target and prompt sets with the unshifted one: check once.
    const sets = JSON.stringify(unit.promptSets);
    const seen = checked.get(unit.target) ?? new Set<string>();
    if (seen.has(sets)) continue;
    seen.add(sets);
    checked.set(unit.target, seen);
    let dataset = datasets.get(unit.target.spec);
    if (!dataset) {
      dataset = await openDatasetOnce(unit.target.spec);
      datasets.set(unit.target.spec, dataset);
    }
    for (const ref of unit.promptSets.length > 0 ? unit.promptSets : [undefined]) await promptsFor(ref, unit, dataset);
  }
}
