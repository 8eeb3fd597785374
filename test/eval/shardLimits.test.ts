import { describe, expect, it } from 'vitest';
import { resolveShard, DEFAULT_MAX_SHARDS } from '../../src/eval/shards.js';

describe('shard count limit', () => {
  it('refuses absurd counts from the flag and from every environment variable at once, naming the limit', () => {
    const t0 = Date.now();
    expect(() => resolveShard('1/1000000000', {})).toThrow(/--shard 1\/1000000000: 1000000000 shards is over the limit of 100000 \(ZEROSHIFT_MAX_SHARDS\)/);
    expect(() => resolveShard('1/4294967296', {})).toThrow(/over the limit/);
    expect(() => resolveShard('1/99999999999999999999', {})).toThrow(/must be a positive integer|over the limit/);
    expect(() => resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '1000000000' })).toThrow(/SLURM_ARRAY_TASK_ID\/SLURM_ARRAY_TASK_COUNT: .*over the limit/);
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '0', ZEROSHIFT_SHARDS: '4294967296' })).toThrow(/ZEROSHIFT_SHARDS: .*over the limit/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('allows counts up to the limit and raises it with ZEROSHIFT_MAX_SHARDS', () => {
    expect(resolveShard(`3/${DEFAULT_MAX_SHARDS}`, {})).toEqual({ index: 2, count: DEFAULT_MAX_SHARDS });
    expect(resolveShard('1/200000', { ZEROSHIFT_MAX_SHARDS: '200000' })).toEqual({ index: 0, count: 200000 });
    expect(() => resolveShard('1/2', { ZEROSHIFT_MAX_SHARDS: 'x' })).toThrow(/ZEROSHIFT_MAX_SHARDS='x' is not a non-negative integer/);
  });
});
