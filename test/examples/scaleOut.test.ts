import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PACKAGE_ROOT } from '../../src/util/version.js';

interface Container { command?: string[]; args?: string[]; env?: { name: string; value?: string }[]; image?: string; volumeMounts?: { mountPath: string }[] }
interface JobDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: Container[]; restartPolicy: string } } };
}

function jobs(): JobDoc[] {
  const text = readFileSync(join(PACKAGE_ROOT, 'examples', 'kubernetes', 'zeroshift-indexed-job.yaml'), 'utf8');
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as JobDoc);
}

function script(c: Container): string {
  return [...(c.command ?? []), ...(c.args ?? [])].join(' ');
}

describe('Kubernetes Indexed Job example', () => {
  it('is a batch/v1 Job with completionMode Indexed whose shards run zeroshift eval per index', () => {
    const [shards] = jobs();
    expect(shards!.apiVersion).toBe('batch/v1');
    expect(shards!.kind).toBe('Job');
    expect(shards!.spec.completionMode).toBe('Indexed');
    const completions = shards!.spec.completions!;
    expect(completions).toBeGreaterThan(1);
    expect(shards!.spec.parallelism).toBeLessThanOrEqual(completions);
    expect(shards!.spec.template.spec.restartPolicy).toBe('Never');
    const c = shards!.spec.template.spec.containers[0]!;
    expect(script(c)).toMatch(/zeroshift eval --suite \S+/);
    expect(script(c)).toContain('--out /shared/results/shard-${JOB_COMPLETION_INDEX}');
    expect(script(c)).toContain('--cache-dir /shared/cache');
    // The shard count zeroshift reads must match the Job's completions.
    expect(c.env?.find((e) => e.name === 'ZEROSHIFT_SHARDS')?.value).toBe(String(completions));
    expect(c.image).toBeTruthy();
  });

  it('has a merge Job that waits for every shard manifest and merges all shard directories', () => {
    const [shards, merge] = jobs();
    expect(merge!.kind).toBe('Job');
    const s = script(merge!.spec.template.spec.containers[0]!);
    expect(s).toContain(`-ge ${shards!.spec.completions}`);
    expect(s).toContain('shard-manifest.json');
    expect(s).toMatch(/zeroshift merge \/shared\/results\/shard-\* --out \S+/);
    // $$ escapes Kubernetes' own $(VAR) expansion so the shell sees $(ls ...).
    expect(s).toContain('$$(ls');
  });
});

describe('Slurm array example', () => {
  const text = readFileSync(join(PACKAGE_ROOT, 'examples', 'slurm', 'zeroshift-array.sbatch'), 'utf8');
  const directives = new Map(
    text.split('\n').filter((l) => l.startsWith('#SBATCH ')).map((l) => {
      const [flag, ...value] = l.slice('#SBATCH '.length).trim().split('=');
      return [flag!, value.join('=')] as const;
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
