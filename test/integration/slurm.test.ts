import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from '../helpers/dist.js';

/**
 * examples/slurm/zeroshift-array.sbatch, submitted unchanged to a real one-node Slurm cluster
 * (scripts/slurm-local.sh) as a 4-task array; its first task queues the dependent merge job. The
 * merged results must equal an unsharded run of the same suite, byte for byte.
 */
const SUITE = {
  schemaVersion: 1,
  name: 'slurm-e2e',
  models: ['tiny-clip-shapes'],
  datasets: [
    { family: 'shapes', variants: ['standard', 'dark'], options: { n: 32, seed: 0, task: 'shape' } },
    // Large enough to be split by item range across the 4 tasks.
    { spec: 'shapes:sketch?n=192&seed=0&task=shape' },
  ],
  prompts: ['shapes-shape'],
};
const TASKS = 4;
const SCRIPT = join(ROOT, 'scripts', 'slurm-local.sh');
const EXAMPLE = join(ROOT, 'examples', 'slurm', 'zeroshift-array.sbatch');

let dir = '';
let env: NodeJS.ProcessEnv = {};

/** Runs a Slurm client command against the local cluster; its stdout. */
function slurm(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8' });
}

/** Every job the controller knows (finished ones stay listed for MinJobAge), as key=value maps. */
function jobs(): Record<string, string>[] {
  return slurm('scontrol', ['-o', 'show', 'job'])
    .split('\n')
    .filter((l) => l.startsWith('JobId='))
    .map((l) => Object.fromEntries(l.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));
}

/** Result JSON minus what legitimately differs between runs, with its predictions; by file name. */
function results(out: string): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const f of readdirSync(out).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const { createdAt, timings, command, shards, ...json } = JSON.parse(readFileSync(join(out, f), 'utf8')) as Record<string, unknown>;
    void createdAt, timings, command, shards;
    m.set(f, { json, predictions: readFileSync(join(out, json.predictionsFile as string), 'utf8') });
  }
  return m;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zeroshift-slurm-'));
  const started = spawnSync('bash', [SCRIPT, 'start', join(dir, 'cluster')], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`scripts/slurm-local.sh start failed:\n${started.stdout}${started.stderr}`);
  // `zeroshift` on the jobs' PATH, as `npm install -g` would put it.
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'zeroshift'), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  chmodSync(join(dir, 'bin', 'zeroshift'), 0o755);
  const shared = join(dir, 'shared');
  mkdirSync(join(shared, 'suites'), { recursive: true });
  writeFileSync(join(shared, 'suites', 'suite.json'), JSON.stringify(SUITE));
  env = {
    ...process.env,
    PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
    SLURM_CONF: join(dir, 'cluster', 'slurm.conf'),
    SHARED: shared,
    SUITE: join(shared, 'suites', 'suite.json'),
  };
}, 120_000);

afterAll(() => {
  if (!dir) return;
  const stopped = spawnSync('bash', [SCRIPT, 'stop', join(dir, 'cluster')], { encoding: 'utf8' });
  expect(stopped.status, stopped.stderr).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('the Slurm array example on a one-node cluster', () => {
  it('runs as a 4-task array with a dependent merge whose results equal an unsharded run', async () => {
    const shared = env.SHARED!;
    // The example asks for 4 CPUs and 8 GB per task; the command line overrides #SBATCH lines.
    const submitted = slurm('sbatch', ['--parsable', `--array=0-${TASKS - 1}`, '--cpus-per-task=1', '--mem=1500M', `--output=${shared}/slurm-%A_%a.out`, EXAMPLE]);
    const arrayId = submitted.trim().split(';')[0];
    expect(arrayId).toMatch(/^\d+$/);

    // The unsharded reference, computed meanwhile outside Slurm.
    execFileSync(process.execPath, [MAIN, 'eval', '--suite', env.SUITE!, '--cache-dir', join(dir, 'ref-cache'), '--out', join(dir, 'single'), '--no-progress'], { stdio: 'pipe' });

    // Wait until the array and the merge job it queued have all left the queue.
    const deadline = Date.now() + 480_000;
    for (;;) {
      const all = jobs();
      const merge = all.find((j) => j.JobName === 'zeroshift-merge');
      const pending = all.filter((j) => !['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL'].includes(j.JobState));
      if (merge && pending.length === 0) break;
      if (Date.now() > deadline) throw new Error(`Slurm jobs still queued after 8 min:\n${slurm('squeue', [])}`);
      await new Promise((r) => setTimeout(r, 1000));
    }

    const all = jobs();
    const tasks = all.filter((j) => j.ArrayJobId === arrayId);
    const logs = readdirSync(shared).filter((f) => f.endsWith('.out')).map((f) => `--- ${f}\n${readFileSync(join(shared, f), 'utf8')}`).join('\n');
    expect(tasks.map((j) => [j.ArrayTaskId, j.JobState, j.ExitCode]).sort(), logs).toEqual(
      Array.from({ length: TASKS }, (_, i) => [String(i), 'COMPLETED', '0:0']),
    );
    // The overrides reached the scheduler.
    for (const t of tasks) expect(t.NumCPUs).toBe('1');
    const merge = all.find((j) => j.JobName === 'zeroshift-merge')!;
    // afterok held the merge until every task had ended.
    for (const t of tasks) expect(merge.StartTime >= t.EndTime, `${merge.StartTime} vs ${t.EndTime}`).toBe(true);
    expect([merge.JobState, merge.ExitCode], logs).toEqual(['COMPLETED', '0:0']);

    // Each task wrote its own shard, and the merge joined them into the unsharded run's numbers.
    for (let i = 0; i < TASKS; i++) expect(existsSync(join(shared, 'results', `shard-${i}`, 'shard-manifest.json'))).toBe(true);
    const single = results(join(dir, 'single'));
    const merged = results(join(shared, 'results', 'merged'));
    expect(single.size).toBe(3);
    expect([...merged.keys()]).toEqual([...single.keys()]);
    for (const [name, r] of single) expect(merged.get(name), name).toEqual(r);
  });
});
