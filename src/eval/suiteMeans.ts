import type { Result } from '../results/schema.js';
import type { TaskResult } from '../results/envelope.js';
import type { ShardSuiteMeans } from '../results/shardManifest.js';
import { writeSuiteAverages, type SuiteAveragesFile } from '../results/suiteAverages.js';
import { promptOrderOf, suiteMeans, type SuiteMember } from '../results/suiteMeans.js';
import type { Suite } from './suite.js';

/**
 * Writes the suite's means beside the results (`suite-averages__<suite>.json`, which `report`
 * reads) when the suite declares some. A shard has only part of the results, so it writes none:
 * its manifest records what `merge` needs to write them (shardSuiteMeans).
 */
export async function writeSuiteMeans(plan: { suite: Suite | null; shard: unknown; suiteMembers: readonly SuiteMember[] }, outcome: { results: readonly Result[]; taskResults: readonly TaskResult[] }, outDir: string, limit: { n: number; seed: number } | null): Promise<{ file: string; averages: SuiteAveragesFile } | null> {
  if (!plan.suite?.averages || plan.shard) return null;
  const averages = suiteMeans(plan.suite, plan.suiteMembers, outcome.results, outcome.taskResults, limit);
  return { file: await writeSuiteAverages(outDir, averages), averages };
}

/**
 * What a shard's manifest records so that `merge` rebuilds the suite's means as the unsharded
 * run writes them: the declared averages, the suite's members (label → dataset spec, of the
 * whole plan, whichever shard runs), `--limit` and the prompt-set order of this shard's
 * classification results. Null when the suite declares no averages.
 */
export function shardSuiteMeans(plan: { suite: Suite | null; suiteMembers: readonly SuiteMember[] }, results: readonly Result[], limit: { n: number; seed: number } | null): ShardSuiteMeans | null {
  if (!plan.suite?.averages) return null;
  return {
    averages: plan.suite.averages.map((a) => ({ name: a.name, datasets: a.datasets === 'all' ? 'all' : [...a.datasets] })),
    members: plan.suiteMembers.map((m) => ({ label: m.label, spec: m.spec })),
    limit,
    promptOrder: promptOrderOf(results),
  };
}
