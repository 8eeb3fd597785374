import { describe, expect, it } from 'vitest';
import { assignShards, partitionShards, planHash, resolveShard, selectShard, unitKey, DEFAULT_UNIT_SIZE } from '../../src/eval/shards.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import type { EvalUnit } from '../../src/tasks/unit.js';

function unit(spec: string, extra: Partial<EvalUnit> = {}): EvalUnit {
  return { modelRef: 'tiny-clip-shapes', target: unknownTarget(spec), shift: null, promptSets: [{ set: 'p' }], ensembling: 'clip', ...extra };
}

describe('resolveShard', () => {
  it('reads --shard I/N as 1-based', () => {
    expect(resolveShard('2/8', {})).toEqual({ index: 1, count: 8 });
  });
  it('prefers the flag over the environment', () => {
    expect(resolveShard('1/2', { JOB_COMPLETION_INDEX: '1', ZEROSHIFT_SHARDS: '2' })).toEqual({ index: 0, count: 2 });
  });
  it('reads Kubernetes JOB_COMPLETION_INDEX (0-based) with ZEROSHIFT_SHARDS', () => {
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '3', ZEROSHIFT_SHARDS: '4' })).toEqual({ index: 3, count: 4 });
  });
  it('reads Slurm arrays, offset by SLURM_ARRAY_TASK_MIN', () => {
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '3' })).toEqual({ index: 2, count: 4 });
    expect(resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '0', ZEROSHIFT_SHARDS: '2' })).toEqual({ index: 0, count: 2 });
  });
  it('returns null when nothing is set (empty variables count as unset)', () => {
    expect(resolveShard(undefined, {})).toBeNull();
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '' })).toBeNull();
  });
  it('rejects malformed and out-of-range values, naming the source', () => {
    expect(() => resolveShard('3', {})).toThrow(/--shard must look like I\/N/);
    expect(() => resolveShard('0/4', {})).toThrow(/--shard 0\/4: shard 0 of 4 is out of range/);
    expect(() => resolveShard('5/4', {})).toThrow(/out of range \(1\.\.4\)$/);
    // No 0-based wording unless the index came from a 0-based environment variable.
    expect(() => resolveShard('3/2', {})).not.toThrow(/0-based|0\.\./);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/set ZEROSHIFT_SHARDS/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '4', ZEROSHIFT_SHARDS: '4' })).toThrow(/JOB_COMPLETION_INDEX\/ZEROSHIFT_SHARDS: shard 5 of 4/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: 'x', ZEROSHIFT_SHARDS: '4' })).toThrow(/JOB_COMPLETION_INDEX='x' is not a non-negative integer/);
    expect(() => resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '1' })).toThrow(/SLURM_ARRAY_TASK_COUNT nor ZEROSHIFT_SHARDS/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '0', ZEROSHIFT_SHARDS: '0' })).toThrow(/count must be a positive integer/);
  });
});

/** Items covered by a shard's pieces, as "spec@index" strings. */
function items(units: EvalUnit[], sizes: Map<string, number>): string[] {
  return units.flatMap((u) => {
    const size = sizes.get(u.target.spec)!;
    const { start, end } = u.range ?? { start: 0, end: size };
    return Array.from({ length: end - start }, (_, i) => `${u.target.spec}|${u.shift?.severity ?? 0}@${start + i}`);
  });
}

describe('shard assignment', () => {
  const sizes = new Map([['a', 1000], ['b', 300], ['c', 300], ['d', 200], ['e', 100], ['f', 100]]);
  const units = [...sizes.keys()].flatMap((s) => [unit(s), unit(s, { shift: { corruption: 'gaussian_noise', severity: 3 } })]);
  const sizeOf = (u: EvalUnit): number => sizes.get(u.target.spec)!;

  it('covers every item exactly once across shards, for several shard counts', () => {
    const all = items(units, sizes).sort();
    for (const n of [1, 2, 3, 4, 7, 16]) {
      const got = Array.from({ length: n }, (_, i) => items(assignShards(units, { index: i, count: n }, sizeOf), sizes)).flat().sort();
      expect(got).toEqual(all);
    }
  });

  it('balances by size, not by unit count', () => {
    const loads = partitionShards(units, 4, sizeOf).map((ps) => ps.reduce((a, p) => a + p.size, 0));
    expect(loads.reduce((a, b) => a + b, 0)).toBe(4000);
    // One 1000-image unit × 2 shifts would make count-balancing lopsided; by size every shard gets ~1000.
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(100);
  });

  it('is deterministic and independent of which shard asks', () => {
    const a = partitionShards(units, 3, sizeOf);
    const b = partitionShards(units.map((u) => ({ ...u })), 3, sizeOf);
    expect(b).toEqual(a);
    expect(assignShards(units, { index: 2, count: 3 }, sizeOf)).toEqual(a[2].map((p) => p.unit));
  });

  it('splits one large unit into item ranges that partition it exactly, so 8 shards share it', () => {
    const big = [unit('imagenet')];
    const shards = partitionShards(big, 8, () => 50_000);
    const ranges = shards.map((ps) => ps.map((p) => p.unit.range!));
    expect(ranges.every((r) => r.length === 1)).toBe(true);
    const flat = ranges.flat().sort((x, y) => x.start - y.start);
    expect(flat[0].start).toBe(0);
    expect(flat.at(-1)!.end).toBe(50_000);
    for (let i = 1; i < flat.length; i++) expect(flat[i].start).toBe(flat[i - 1].end);
    expect(flat.every((r) => r.end - r.start === 6250)).toBe(true);
  });

  it('never splits units of unknown size', () => {
    const pieces = partitionShards([unit('x')], 4, () => null).flat();
    expect(pieces).toHaveLength(1);
    expect(pieces[0].unit.range).toBeUndefined();
    expect(pieces[0].size).toBe(DEFAULT_UNIT_SIZE);
  });

  it('splits acceptable-set (ObjectNet-style) units too: each part carries the protocol merge applies', () => {
    const mapped = unit('objectnet');
    mapped.target = { ...mapped.target, scoringProtocol: { classColumns: [3, 5], labelColumns: [[0], null, [0, 1]], crop: { border: 2 } } };
    const pieces = partitionShards([mapped], 4, () => 18_000).flat();
    expect(pieces).toHaveLength(4);
    expect(pieces.every((p) => p.unit.range && p.unit.target.scoringProtocol === mapped.target.scoringProtocol)).toBe(true);
  });

  it('selectShard keeps the full plan and returns null when not sharded', () => {
    expect(selectShard(units, undefined, {}, sizeOf)).toBeNull();
    const s = selectShard(units, undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' }, sizeOf)!;
    expect(s.spec).toEqual({ index: 1, count: 2 });
    expect(s.planUnits).toBe(units);
    expect(s.units).toEqual(assignShards(units, s.spec, sizeOf));
  });
});

describe('unit keys and plan hash', () => {
  it('name model, dataset, shift, prompts and range', () => {
    expect(unitKey(unit('shapes:dark', { shift: { corruption: 'fog', severity: 2 }, range: { start: 0, end: 5 } }))).toBe('tiny-clip-shapes | shapes:dark | fog:2 | p | clip items 0-5');
  });
  it('plan hash changes with any unit and not with object identity', () => {
    const a = [unit('a'), unit('b')];
    expect(planHash(a.map((u) => ({ ...u })))).toBe(planHash(a));
    expect(planHash([unit('a'), unit('c')])).not.toBe(planHash(a));
    expect(planHash([unit('a'), unit('b', { modelRef: 'other' })])).not.toBe(planHash(a));
  });
});
