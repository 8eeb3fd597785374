import { ZeroshiftError } from '../errors.js';
import { hashValue } from '../util/hash.js';
import type { EvalUnit } from '../tasks/unit.js';
import { taskModule } from '../tasks/registry.js';

/** Environment variables that carry a shard index (Kubernetes Indexed Jobs, Slurm arrays). */
export interface ShardEnv {
  JOB_COMPLETION_INDEX?: string;
  ZEROSHIFT_SHARDS?: string;
  SLURM_ARRAY_TASK_ID?: string;
  SLURM_ARRAY_TASK_COUNT?: string;
  SLURM_ARRAY_TASK_MIN?: string;
  /** Raises DEFAULT_MAX_SHARDS. */
  ZEROSHIFT_MAX_SHARDS?: string;
  [key: string]: string | undefined;
}

/** Shard `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Most shards a plan may be cut into: each shard is a process (or array task), and a Slurm
 * array or Kubernetes Indexed Job tops out far below this. Without a cap `--shard 1/1000000000`
 * allocated per-shard tables until V8 aborted. Raise it with ZEROSHIFT_MAX_SHARDS.
 */
export const DEFAULT_MAX_SHARDS = 100_000;

/** Images a unit is estimated to hold when its dataset cannot be opened to ask (ImageNet-val scale). */
export const DEFAULT_UNIT_SIZE = 10_000;

/**
 * Which shard this process runs: `--shard I/N` (1-based I), else Kubernetes
 * `JOB_COMPLETION_INDEX` (0-based) with N from `ZEROSHIFT_SHARDS`, else Slurm
 * `SLURM_ARRAY_TASK_ID` (offset by SLURM_ARRAY_TASK_MIN) of `SLURM_ARRAY_TASK_COUNT`.
 * Returns null when none is set (the whole plan runs).
 */
export function resolveShard(flag: string | undefined, env: ShardEnv): ShardSpec | null {
  if (flag) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw new ZeroshiftError('USAGE', `--shard must look like I/N (e.g. 2/8), got '${flag}'`);
    return checked(Number(m[1]) - 1, Number(m[2]), `--shard ${flag}`, env);
  }
  if (isSet(env.JOB_COMPLETION_INDEX)) {
    if (!isSet(env.ZEROSHIFT_SHARDS)) {
      throw new ZeroshiftError('USAGE', "JOB_COMPLETION_INDEX is set but the shard count is not: set ZEROSHIFT_SHARDS (the Job's completions) or pass --shard I/N");
    }
    return checked(envInt(env, 'JOB_COMPLETION_INDEX'), envInt(env, 'ZEROSHIFT_SHARDS'), 'JOB_COMPLETION_INDEX/ZEROSHIFT_SHARDS', env);
  }
  if (isSet(env.SLURM_ARRAY_TASK_ID)) {
    const countVar = isSet(env.SLURM_ARRAY_TASK_COUNT) ? 'SLURM_ARRAY_TASK_COUNT' : 'ZEROSHIFT_SHARDS';
    if (!isSet(env[countVar])) {
      throw new ZeroshiftError('USAGE', 'SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor ZEROSHIFT_SHARDS is: submit with sbatch --array or pass --shard I/N');
    }
    const min = isSet(env.SLURM_ARRAY_TASK_MIN) ? envInt(env, 'SLURM_ARRAY_TASK_MIN') : 0;
    return checked(envInt(env, 'SLURM_ARRAY_TASK_ID') - min, envInt(env, countVar), `SLURM_ARRAY_TASK_ID/${countVar}`, env);
  }
  return null;
}

function isSet(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

function envInt(env: ShardEnv, name: string): number {
  const raw = env[name]!.trim();
  if (!/^\d+$/.test(raw)) throw new ZeroshiftError('USAGE', `${name}='${env[name]}' is not a non-negative integer`);
  return Number(raw);
}

function maxShards(env: ShardEnv): number {
  if (!isSet(env.ZEROSHIFT_MAX_SHARDS)) return DEFAULT_MAX_SHARDS;
  const n = envInt(env, 'ZEROSHIFT_MAX_SHARDS');
  if (!Number.isSafeInteger(n) || n < 1) throw new ZeroshiftError('USAGE', `ZEROSHIFT_MAX_SHARDS='${env.ZEROSHIFT_MAX_SHARDS}' is not a positive integer`);
  return n;
}

function checked(index: number, count: number, where: string, env: ShardEnv): ShardSpec {
  if (!Number.isSafeInteger(count) || count < 1) throw new ZeroshiftError('USAGE', `${where}: the shard count must be a positive integer, got ${count}`);
  const max = maxShards(env);
  if (count > max) {
    throw new ZeroshiftError('USAGE', `${where}: ${count} shards is over the limit of ${max} (ZEROSHIFT_MAX_SHARDS)`, {
      hint: 'use fewer shards (each is one process); raise the limit with ZEROSHIFT_MAX_SHARDS=N if you really mean it',
    });
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    // The 0-based form only where a 0-based index was given (an array index in the environment).
    const range = where.startsWith('--shard') ? `1..${count}` : `index 0..${count - 1}, i.e. shards 1..${count}`;
    throw new ZeroshiftError('USAGE', `${where}: shard ${index + 1} of ${count} is out of range (${range})`);
  }
  return { index, count };
}

/** Estimated images in a unit (for balancing), or null when unknown (then DEFAULT_UNIT_SIZE, never split). */
export type SizeOf = (unit: EvalUnit) => number | null;

/** A unit (or item range of one) with the images it is estimated to hold. */
export interface ShardPiece {
  unit: EvalUnit;
  size: number;
}

/**
 * Splits units into `count` balanced shards by estimated image count: longest first onto the
 * lightest shard, ties by plan position, so every process computes the same assignment. A
 * unit larger than a fair share (total / count) is first split into item ranges that
 * partition [0, size) exactly. Returns the pieces of every shard, in plan order.
 */
export function partitionShards(units: EvalUnit[], count: number, sizeOf: SizeOf): ShardPiece[][] {
  const pieces = splitLarge(units, count, sizeOf);
  const loads = new Array<number>(count).fill(0);
  const owner = new Array<number>(pieces.length);
  const order = pieces.map((p, i) => ({ i, size: p.size })).sort((a, b) => b.size - a.size || a.i - b.i);
  for (const { i, size } of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (loads[s] < loads[best]) best = s;
    owner[i] = best;
    loads[best] += size;
  }
  return Array.from({ length: count }, (_, s) => pieces.filter((_, i) => owner[i] === s));
}

/** This shard's units (see partitionShards). */
export function assignShards(units: EvalUnit[], shard: ShardSpec, sizeOf: SizeOf): EvalUnit[] {
  return partitionShards(units, shard.count, sizeOf)[shard.index].map((p) => p.unit);
}

function splitLarge(units: EvalUnit[], count: number, sizeOf: SizeOf): ShardPiece[] {
  const known = units.map(sizeOf);
  const sizes = known.map((s) => s ?? DEFAULT_UNIT_SIZE);
  const fair = sizes.reduce((a, b) => a + b, 0) / count;
  return units.flatMap((unit, i) => {
    const size = sizes[i];
    if (!splittable(unit, known[i]!, count, fair)) return [{ unit, size }];
    const parts = Math.min(count, Math.ceil(size / fair));
    return Array.from({ length: parts }, (_, p) => {
      const start = Math.floor((p * size) / parts);
      const end = Math.floor(((p + 1) * size) / parts);
      return { unit: { ...unit, range: { start, end } }, size: end - start };
    });
  });
}

/**
 * Only units of known size are split (a range must partition the real item count). Acceptable-set
 * targets (ObjectNet) split too: every part records the scoring protocol that merge applies.
 */
function splittable(unit: EvalUnit, known: number | null, count: number, fair: number): boolean {
  if (count === 1 || known === null || unit.range) return false;
  // A task whose metric needs every item at once (recall, mAP) runs whole in one shard.
  if (unit.task && !taskModule(unit.task.id).splitsItems) return false;
  return known > fair && known >= 2 * count;
}

/** A readable, stable key of a unit: model, dataset spec, class subset, shift (and text shift), prompt sets, range. */
export function unitKey(unit: EvalUnit): string {
  const text = unit.textShift ? ` + text ${unit.textShift.name}:${unit.textShift.severity}` : '';
  const shift = `${unit.shift ? `${unit.shift.corruption}:${unit.shift.severity}` : 'none'}${text}`;
  const prompts = unit.promptSets.length ? unit.promptSets.map((p) => p.name ?? p.set ?? (p.language === undefined ? 'cli' : `language:${p.language}`)).join('+') : 'auto';
  const subset = unit.target.subset ? `[${unit.target.subset}]` : '';
  const range = unit.range ? ` items ${unit.range.start}-${unit.range.end}` : '';
  // Classification units keep the key they always had (shard manifests of earlier runs still match).
  const task = unit.task ? ` | ${unit.task.id} ${JSON.stringify(taskModule(unit.task.id).identity(unit.task.options))}` : '';
  return `${unit.modelRef} | ${unit.target.spec}${subset} | ${shift} | ${prompts} | ${unit.ensembling}${range}${task}`;
}

/** Hash of everything that defines a plan's units: shards of different plans must not be merged. */
export function planHash(units: EvalUnit[]): string {
  return hashValue(units.map((u) => ({ key: unitKey(u), prompts: u.promptSets, columns: u.target.scoringProtocol.classColumns }))).slice(0, 24);
}

/** The shard a plan was cut to, with the full plan it came from (for the shard manifest). */
export interface ShardSelection {
  spec: ShardSpec;
  planUnits: EvalUnit[];
  units: EvalUnit[];
}

/** Applies the shard selection (flag or environment) to a plan's units; null when not sharded. */
export function selectShard(units: EvalUnit[], flag: string | undefined, env: ShardEnv, sizeOf: SizeOf = () => null): ShardSelection | null {
  const spec = resolveShard(flag, env);
  return spec ? { spec, planUnits: units, units: assignShards(units, spec, sizeOf) } : null;
}
