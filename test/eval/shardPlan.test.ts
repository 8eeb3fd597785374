import { describe, expect, it } from 'vitest';
import { estimateSizes, planShard } from '../../src/eval/shardPlan.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import type { EvalUnit } from '../../src/tasks/unit.js';
import { PlanResources } from '../../src/eval/resources.js';

const open = (spec: string) => new PlanResources().dataset(spec);

function unit(spec: string): EvalUnit {
  return { modelRef: 'tiny-clip-shapes', target: unknownTarget(spec), shift: null, promptSets: [], ensembling: 'clip' };
}

describe('shard planning', () => {
  it('estimates sizes by opening datasets; unknown when a dataset cannot be opened', async () => {
    const units = [unit('shapes:standard?n=40'), unit('shapes:dark?n=7'), unit('folder:/nonexistent/zeroshift-test')];
    const sizeOf = await estimateSizes(units, open);
    expect(units.map(sizeOf)).toEqual([40, 7, null]);
  });

  it('balances a real plan by size and splits the large dataset by range', async () => {
    const units = [unit('shapes:standard?n=400'), unit('shapes:dark?n=40'), unit('shapes:sketch?n=40')];
    const shards = await Promise.all([0, 1].map((i) => planShard(units, undefined, { JOB_COMPLETION_INDEX: String(i), ZEROSHIFT_SHARDS: '2' }, open)));
    const images = shards.map((s) => s!.units.reduce((a, u) => a + (u.range ? u.range.end - u.range.start : u.target.spec.includes('400') ? 400 : 40), 0));
    expect(images).toEqual([240, 240]);
    expect(await planShard(units, undefined, {}, open)).toBeNull();
  });
});
