import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import { resolveShard } from '../../src/eval/shards.js';
import { job, type Job } from './k8sJobApi.js';

function jobs(): Job[] {
  const text = readFileSync(join(PACKAGE_ROOT, 'examples', 'kubernetes', 'zeroshift-indexed-job.yaml'), 'utf8');
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d, i) => {
    const parsed = job.safeParse(d.toJS());
    expect(parsed.error?.issues ?? [], `document ${i + 1}`).toEqual([]);
    return parsed.data!;
  });
}

type Container = Job['spec']['template']['spec']['containers'][number];

/** The container's shell command line, with Kubernetes' $(VAR) escape $$ undone as the kubelet does. */
function script(c: Container): string {
  return [...(c.command ?? []), ...(c.args ?? [])].join(' ').replaceAll('$$', '$');
}

describe('Kubernetes Indexed Job example', () => {
  it('is a valid batch/v1 Indexed Job with per-index retries', () => {
    const [shards] = jobs();
    const spec = shards.spec;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.completions).toBeGreaterThan(1);
    expect(spec.parallelism).toBeLessThanOrEqual(spec.completions!);
    // A failing shard is retried on its own, and any index that keeps failing fails the Job (nothing to merge).
    expect(spec.backoffLimitPerIndex).toBeGreaterThan(0);
    expect(spec.maxFailedIndexes).toBe(0);
    expect(spec.template.spec.restartPolicy).toBe('Never');
  });

  it('gives each index the shard zeroshift reads from the environment Kubernetes sets', () => {
    const [shards] = jobs();
    const completions = shards.spec.completions!;
    const c = shards.spec.template.spec.containers[0];
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
    // Kubernetes sets JOB_COMPLETION_INDEX itself; the example must not override it.
    expect(Object.keys(env)).not.toContain('JOB_COMPLETION_INDEX');
    const seen = Array.from({ length: completions }, (_, i) => resolveShard(undefined, { ...env, JOB_COMPLETION_INDEX: String(i) }));
    expect(seen).toEqual(Array.from({ length: completions }, (_, i) => ({ index: i, count: completions })));
    const sh = script(c);
    expect(sh).toMatch(/^\/bin\/sh -c zeroshift eval --suite \S+/);
    expect(sh).toContain('--out /shared/results/shard-${JOB_COMPLETION_INDEX}');
    expect(sh).toContain('--cache-dir /shared/cache');
    // The shared volume the script writes to is mounted.
    expect(c.volumeMounts?.map((m) => m.mountPath)).toContain('/shared');
  });

  it('has a merge Job that waits for every shard manifest and merges all shard directories', () => {
    const [shards, merge] = jobs();
    const sh = script(merge.spec.template.spec.containers[0]);
    expect(sh).toContain(`"$(ls /shared/results/shard-*/shard-manifest.json 2>/dev/null | wc -l)" -ge ${shards.spec.completions}`);
    expect(sh).toMatch(/zeroshift merge \/shared\/results\/shard-\* --out \S+/);
    const claim = (j: Job) => j.spec.template.spec.volumes?.map((v) => v.persistentVolumeClaim?.claimName);
    expect(claim(merge)).toEqual(claim(shards));
  });
});

describe('Slurm array example', () => {
  const text = readFileSync(join(PACKAGE_ROOT, 'examples', 'slurm', 'zeroshift-array.sbatch'), 'utf8');
  const directives = new Map(
    text.split('\n').filter((l) => l.startsWith('#SBATCH ')).map((l) => {
      const [flag, ...value] = l.slice('#SBATCH '.length).trim().split('=');
      return [flag, value.join('=')] as const;
    }),
  );

  it('is a bash script whose #SBATCH lines declare a job array', () => {
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(directives.get('--array')).toMatch(/^0-(\d+)$/);
    // #SBATCH lines after the first command are ignored by sbatch: all must precede it.
    const lines = text.split('\n');
    const firstCommand = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.findLastIndex((l) => l.startsWith('#SBATCH'))).toBeLessThan(firstCommand);
  });

  it('runs zeroshift eval per task with a shared cache and queues a dependent merge', () => {
    expect(text).toMatch(/srun zeroshift eval --suite/);
    expect(text).toContain('--out "$SHARED/results/shard-${SLURM_ARRAY_TASK_ID}"');
    expect(text).toContain('--cache-dir "$SHARED/cache"');
    expect(text).toContain('--dependency="afterok:${SLURM_ARRAY_JOB_ID}"');
    expect(text).toMatch(/zeroshift merge \$SHARED\/results\/shard-\* --out/);
  });
});
