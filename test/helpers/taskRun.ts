import { buildPlan, type PlanInput } from '../../src/eval/plan.js';
import { runPlan, type PlanOutcome } from '../../src/eval/runPlan.js';
import { silentLogger } from '../../src/util/log.js';

/** A task eval as the CLI runs it (buildPlan → runPlan), with test-sized settings. */
export async function runTaskPlan(o: Omit<PlanInput, 'ensembling' | 'env' | 'limit'> & { limit?: number; outDir: string; cacheDir: string | null; skipExisting?: boolean; batchSize?: number; decodeWorkers?: number }): Promise<PlanOutcome> {
  const { outDir, cacheDir, skipExisting, batchSize, decodeWorkers, limit, ...input } = o;
  const plan = await buildPlan({ ...input, ensembling: 'clip', env: {}, limit: limit ? { n: limit, seed: input.seed ?? 0 } : undefined });
  return runPlan(plan, { outDir, cacheDir, batchSize: batchSize ?? 16, decodeConcurrency: 4, decodeWorkers, exifRotate: false, skipExisting: skipExisting ?? false, argv: ['test'], log: silentLogger, model: {}, shiftAssets: plan.shiftAssets });
}
