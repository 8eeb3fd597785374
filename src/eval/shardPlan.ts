import type { Dataset } from '../datasets/types.js';
import { resolveShard, selectShard, type ShardEnv, type ShardSelection, type SizeOf } from './shards.js';
import type { EvalUnit } from '../tasks/unit.js';

/** Opens a dataset spec (the plan's resources, so each spec opens once per plan). */
export type OpenDataset = (spec: string) => Promise<Dataset>;

/**
 * Estimated image count of every unit's dataset, opened once per spec. A dataset that cannot
 * be opened here (or does not know its size without a full read) counts as unknown: the
 * shard that runs it reports the real problem.
 */
export async function estimateSizes(units: EvalUnit[], open: OpenDataset): Promise<SizeOf> {
  const bySpec = new Map<string, number | null>();
  for (const u of units) {
    if (bySpec.has(u.target.spec)) continue;
    bySpec.set(u.target.spec, await datasetSize(u.target.spec, open));
  }
  return (unit) => bySpec.get(unit.target.spec) ?? null;
}

async function datasetSize(spec: string, open: OpenDataset): Promise<number | null> {
  try {
    const size = (await open(spec)).size;
    return size !== undefined && Number.isInteger(size) && size > 0 ? size : null;
  } catch {
    return null;
  }
}

/**
 * This process's shard of a plan (from --shard or the environment), balanced by estimated
 * image count; null when no shard is requested. Datasets are opened only when sharding.
 */
export async function planShard(units: EvalUnit[], flag: string | undefined, env: ShardEnv, open: OpenDataset): Promise<ShardSelection | null> {
  if (!resolveShard(flag, env)) return null;
  return selectShard(units, flag, env, await estimateSizes(units, open));
}
