import { describe, it, expect } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../../src/datasets/registry.js';
import { PlanResources } from '../../src/eval/resources.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import type { EvalUnit } from '../../src/tasks/unit.js';

describe('PlanResources', () => {
  it('opens a spec once per plan and shares the dataset; another plan opens its own', async () => {
    const plan = new PlanResources();
    const a = await plan.dataset('shapes:dark?n=5');
    expect(await plan.dataset('shapes:dark?n=5')).toBe(a);
    expect(await new PlanResources().dataset('shapes:dark?n=5')).not.toBe(a);
    expect(await openDataset('shapes:dark?n=5')).not.toBe(a);
  });

  it('does not remember a failed open, so fixing the data and retrying works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-once-'));
    const plan = new PlanResources();
    await expect(plan.dataset(`folder:${dir}`)).rejects.toMatchObject({ code: 'DATASET' });
    await mkdir(join(dir, 'cat'));
    await writeFile(join(dir, 'cat', 'x.png'), 'not really a png');
    expect((await plan.dataset(`folder:${dir}`)).classNames).toEqual(['cat']);
  });

  it('resolves each (target, prompt set) once: shifted units share the selection', async () => {
    const target = unknownTarget('shapes:dark?n=5');
    const unit: EvalUnit = { modelRef: 'm', target, shift: null, promptSets: [{ set: 'shapes-shape' }], ensembling: 'clip' };
    const shifted: EvalUnit = { ...unit, shift: { corruption: 'gaussian_noise', severity: 2 } };
    const plan = new PlanResources();
    const sel = await plan.prompts(unit.promptSets[0], unit);
    expect(await plan.prompts(shifted.promptSets[0], shifted)).toBe(sel);
    expect(sel.templates.length).toBeGreaterThan(1);
    await expect(plan.prompts({ set: 'no-such-set' }, unit)).rejects.toThrow(/unknown prompt set 'no-such-set'/);
  });
});
