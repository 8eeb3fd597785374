import { describe, it, expect, vi } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/eval/plan.js';
import { runPlan, type PlanOptions } from '../../src/eval/runPlan.js';
import { memoryLogger } from '../../src/util/log.js';

// Count classifier builds (where the text tower runs) without changing what they do.
const builds = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/tasks/classifiers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/tasks/classifiers.js')>();
  return { ...real, classifierFor: (...args: Parameters<typeof real.classifierFor>) => (builds.count++, real.classifierFor(...args)) };
});

describe('runPlan', () => {
  it('--skip-existing decides from the prompt selections, before any classifier (text tower) is built', async () => {
    const out = await mkdtemp(join(tmpdir(), 'zs-runplan-'));
    const plan = await buildPlan({ datasets: ['shapes:dark?n=6'], prompts: ['shapes-shape', 'shapes-plain'], shifts: ['gaussian_noise:3'], ensembling: 'clip', env: {} });
    expect(plan.models).toEqual(['tiny-clip-shapes']);
    const options: PlanOptions = { outDir: out, cacheDir: null, batchSize: 8, decodeConcurrency: 2, exifRotate: false, skipExisting: true, argv: [], model: {}, log: memoryLogger() };
    const first = await runPlan(plan, options);
    expect(first.results).toHaveLength(4);
    expect(builds.count).toBe(4);
    const again = await runPlan(plan, options);
    expect(again.skippedUnits).toBe(2);
    expect(again.results.every((r) => r.reusedAt !== undefined)).toBe(true);
    expect(builds.count).toBe(4);
  }, 120_000);
});
