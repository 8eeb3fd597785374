import { ZeroshiftError } from '../errors.js';
import type { EvalUnit } from './types.js';

/** Environment variables that carry a shard index (Kubernetes Indexed Jobs, Slurm arrays). */
export interface ShardEnv {
  JOB_COMPLETION_INDEX?: string;
  ZEROSHIFT_SHARDS?: string;
  SLURM_ARRAY_TASK_ID?: string;
  SLURM_ARRAY_TASK_COUNT?: string;
  SLURM_ARRAY_TASK_MIN?: string;
  [key: string]: string | undefined;
}

/** Shard `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Which shard this process runs: `--shard I/N` (1-based I), else Kubernetes
 * `JOB_COMPLETION_INDEX` (0-based) with N from `ZEROSHIFT_SHARDS`, else Slurm
 * `SLURM_ARRAY_TASK_ID` (offset by SLURM_ARRAY_TASK_MIN) of `SLURM_ARRAY_TASK_COUNT`.
 */
export function resolveShard(flag: string | undefined, env: ShardEnv): ShardSpec | null {
  if (flag) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw new ZeroshiftError('USAGE', `--shard must look like I/N (e.g. 2/8), got '${flag}'`);
    return checked(Number(m[1]) - 1, Number(m[2]), `--shard ${flag}`);
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (!env.ZEROSHIFT_SHARDS) throw new ZeroshiftError('USAGE', 'JOB_COMPLETION_INDEX is set but the shard count is not: set ZEROSHIFT_SHARDS (the Job\'s completions) or pass --shard I/N');
    return checked(Number(env.JOB_COMPLETION_INDEX), Number(env.ZEROSHIFT_SHARDS), 'JOB_COMPLETION_INDEX/ZEROSHIFT_SHARDS');
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const count = Number(env.SLURM_ARRAY_TASK_COUNT ?? env.ZEROSHIFT_SHARDS);
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    return checked(Number(env.SLURM_ARRAY_TASK_ID) - min, count, 'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT');
  }
  return null;
}

function checked(index: number, count: number, where: string): ShardSpec {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new ZeroshiftError('USAGE', `${where}: shard index ${index + 1} of ${count} is out of range (1..${count})`);
  }
  return { index, count };
}

/** Estimated images in a unit (for balancing). */
export type SizeOf = (unit: EvalUnit) => number;

/**
 * Splits units into `count` balanced shards by estimated image count (longest first onto the
 * lightest shard; ties by position, so every process computes the same assignment). A unit
 * larger than a fair share is first split into item ranges. Returns this shard's units.
 */
export function assignShards(units: EvalUnit[], shard: ShardSpec, sizeOf: SizeOf): EvalUnit[] {
  const pieces = splitLarge(units, shard.count, sizeOf);
  const loads = new Array<number>(shard.count).fill(0);
  const owner = new Array<number>(pieces.length);
  const order = pieces.map((p, i) => ({ i, size: p.size })).sort((a, b) => b.size - a.size || a.i - b.i);
  for (const { i, size } of order) {
    let best = 0;
    for (let s = 1; s < shard.count; s++) if (loads[s]! < loads[best]!) best = s;
    owner[i] = best;
    loads[best]! += size;
  }
  return pieces.filter((_, i) => owner[i] === shard.index).map((p) => p.unit);
}

function splitLarge(units: EvalUnit[], count: number, sizeOf: SizeOf): { unit: EvalUnit; size: number }[] {
  const sizes = units.map(sizeOf);
  const fair = sizes.reduce((a, b) => a + b, 0) / count;
  return units.flatMap((unit, i) => {
    const size = sizes[i]!;
    if (count === 1 || size <= fair || size < 2 * count) return [{ unit, size }];
    const parts = Math.min(count, Math.ceil(size / fair));
    return Array.from({ length: parts }, (_, p) => {
      const start = Math.floor((p * size) / parts);
      const end = Math.floor(((p + 1) * size) / parts);
      return { unit: { ...unit, range: { start, end } }, size: end - start };
    });
  });
}

/** Applies the shard selection (flag or environment) to a plan's units. */
export function selectShard(units: EvalUnit[], flag: string | undefined, env: ShardEnv, sizeOf: SizeOf = () => 1): EvalUnit[] {
  const shard = resolveShard(flag, env);
  return shard ? assignShards(units, shard, sizeOf) : units;
}
