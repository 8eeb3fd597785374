import type { ResolveOptions } from '../model/modelFiles.js';
import { locateModel, type HubOptions } from '../model/hubModel.js';
import type { PlanResources } from './resources.js';
import { promptRefsOf } from '../tasks/classifiers.js';
import type { EvalUnit } from '../tasks/unit.js';

/**
 * Checks what a plan can check without a model session: every model reference resolves to
 * its files, every dataset opens, and every prompt set fits its dataset (known id, templates
 * with a placeholder, matching class count). Runs before the first unit, so a mistake in the
 * last entry of a suite stops the run before hours of embedding rather than after. What it
 * opens and selects stays in the plan's resources for the units to use.
 */
export async function preflight(units: EvalUnit[], model: ResolveOptions & { hub?: HubOptions }, resources: PlanResources): Promise<void> {
  // `hf:` models are fetched here, before the first unit, so a run never stops midway for one.
  for (const ref of new Set(units.map((u) => u.modelRef))) await locateModel(ref, model);
  // Shifted units share their target, so the resources resolve each (target, prompt set) once.
  for (const unit of units) for (const ref of promptRefsOf(unit)) await resources.prompts(ref, unit);
}
