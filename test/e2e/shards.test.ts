import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MAIN } from '../helpers/dist.js';

const run = promisify(execFile);

/** Two models; 8 small units plus one 400-image unit per model that 4 shards split by item range. */
const SUITE = {
  schemaVersion: 1,
  name: 'shard-e2e',
  models: ['tiny-clip-shapes', 'tiny-clip-shapes-robust'],
  datasets: [
    { family: 'shapes', variants: ['standard', 'dark'], options: { n: 48, seed: 0, task: 'shape' } },
    { spec: 'shapes:sketch?n=400&seed=0&task=shape' },
  ],
  shifts: { corruptions: ['gaussian_noise'], severities: [1, 3], variants: ['standard'] },
  prompts: ['shapes-shape'],
};

/** Shard environments: Kubernetes Indexed Job style for even shards, Slurm array style for odd ones. */
function shardEnv(i: number): Record<string, string> {
  return i % 2 === 0 ? { JOB_COMPLETION_INDEX: String(i), ZEROSHIFT_SHARDS: '4' } : { SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_COUNT: '4' };
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['JOB_COMPLETION_INDEX', 'ZEROSHIFT_SHARDS', 'SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN']) delete env[k];
  return { ...env, ...extra };
}

async function zeroshift(dir: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  await run(process.execPath, [MAIN, ...args], { cwd: dir, env: cleanEnv(env) });
}

async function zeroshiftFails(dir: string, args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await zeroshift(dir, args);
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
  throw new Error(`zeroshift ${args.join(' ')} succeeded but should have failed`);
}

/** Result JSON without the fields that legitimately differ between runs; keyed by file name. */
function results(dir: string): Map<string, { json: Record<string, unknown>; predictions: string }> {
  const out = new Map<string, { json: Record<string, unknown>; predictions: string }>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const { createdAt, timings, command, shards, ...json } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    void createdAt, timings, command, shards;
    out.set(f, { json, predictions: readFileSync(join(dir, json.predictionsFile as string), 'utf8') });
  }
  return out;
}

describe('suite as 1 shard and as 4 shards (Kubernetes and Slurm environments), merged', () => {
  let dir = '';

  beforeAll(async () => {
    // The shards are separate processes running the compiled CLI (built by test/globalSetup.ts).
    dir = mkdtempSync(join(tmpdir(), 'zeroshift-shards-'));
    writeFileSync(join(dir, 'suite.json'), JSON.stringify(SUITE));
    const base = ['eval', '--suite', 'suite.json', '--cache-dir', 'cache', '--no-progress', '--batch-size', '32'];
    // One shared cache for all six processes: concurrent writers must not corrupt it.
    await Promise.all([
      zeroshift(dir, [...base, '--out', 'single']),
      zeroshift(dir, [...base, '--out', 'one-shard', '--shard', '1/1']),
      ...[0, 1, 2, 3].map((i) => zeroshift(dir, [...base, '--out', `shard-${i}`], shardEnv(i))),
    ]);
    await zeroshift(dir, ['merge', 'shard-0', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged']);
    await zeroshift(dir, ['merge', 'one-shard', '--out', 'merged-one']);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('splits the large unit by item range across shards', () => {
    const ranged = [0, 1, 2, 3].flatMap((i) => readdirSync(join(dir, `shard-${i}`)).filter((f) => /__items-\d+-\d+__[^_]+\.json$/.test(f)));
    expect(ranged.length).toBeGreaterThanOrEqual(4);
    const manifest = JSON.parse(readFileSync(join(dir, 'shard-1', 'shard-manifest.json'), 'utf8'));
    expect(manifest.shard).toEqual({ index: 1, count: 4 });
    expect(manifest.plan.units).toBe(10);
  });

  it('4 merged shards give the metrics and per-item predictions of the single run, byte for byte', () => {
    const single = results(join(dir, 'single'));
    const merged = results(join(dir, 'merged'));
    expect([...merged.keys()]).toEqual([...single.keys()]);
    expect(single.size).toBe(10);
    for (const [name, r] of single) expect(merged.get(name), name).toEqual(r);
    expect(readFileSync(join(dir, 'merged', 'index.csv'), 'utf8')).toBe(readFileSync(join(dir, 'single', 'index.csv'), 'utf8'));
  });

  it('a 1-shard run merges to the single run too, and merged results record their shards', () => {
    expect(results(join(dir, 'merged-one'))).toEqual(results(join(dir, 'single')));
    const any = readdirSync(join(dir, 'merged')).find((f) => f.includes('shapes-sketch') && f.endsWith('.json'))!;
    const shards = JSON.parse(readFileSync(join(dir, 'merged', any), 'utf8')).shards;
    expect(shards.count).toBe(4);
    expect(shards.merged.length).toBeGreaterThanOrEqual(1);
  });

  it('reports a missing shard and a duplicated one', async () => {
    const missing = await zeroshiftFails(dir, ['merge', 'shard-0', 'shard-1', 'shard-3', '--out', 'bad1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard 3 of 4 is missing: no shard-manifest.json of that shard among shard-0, shard-1, shard-3');
    cpSync(join(dir, 'shard-1'), join(dir, 'shard-1-again'), { recursive: true });
    const dup = await zeroshiftFails(dir, ['merge', 'shard-0', 'shard-1', 'shard-1-again', 'shard-2', 'shard-3', '--out', 'bad2']);
    expect(dup.stderr).toContain('shard 2 of 4 is duplicated: shard-1 and shard-1-again');
  });
});
