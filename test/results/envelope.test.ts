import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnyResult } from '../../src/results/envelope.js';
import { readTaskResult } from '../../src/results/store.js';
import { runTaskPlan } from '../helpers/taskRun.js';

const root = mkdtempSync(join(tmpdir(), 'zs-envelope-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('one results envelope over task', () => {
  it('reads classification and task results alike, upgrades a TaskResult v1 to unshifted, and refuses a task result without its metrics', async () => {
    const out = join(root, 'out');
    await runTaskPlan({ models: ['tiny-clip-shapes'], datasets: ['shapes-captions:standard?n=10', 'shapes:dark?n=10'], outDir: out, cacheDir: null });
    const names = readdirSync(out).filter((n) => n.endsWith('.json')).sort();
    const all = await Promise.all(names.map((n) => readAnyResult(join(out, n))));
    expect(all.map((r) => r.task).sort()).toEqual(['zeroshot_classification', 'zeroshot_retrieval']);

    const taskFile = join(out, names.find((n) => n.startsWith('task-'))!);
    const v2 = JSON.parse(readFileSync(taskFile, 'utf8')) as { shift: unknown; provenance?: unknown; retrieval: unknown; [key: string]: unknown };
    const { shift: _shift, provenance: _provenance, ...v1 } = { ...v2, schemaVersion: 1 };
    writeFileSync(join(root, 'v1.json'), JSON.stringify(v1));
    const upgraded = await readTaskResult(join(root, 'v1.json'));
    expect(upgraded.schemaVersion).toBe(2);
    expect(upgraded.shift).toBeNull();
    expect(upgraded.retrieval).toEqual(v2.retrieval);

    const { retrieval: _retrieval, ...bare } = v2;
    writeFileSync(join(root, 'bare.json'), JSON.stringify(bare));
    await expect(readAnyResult(join(root, 'bare.json'))).rejects.toThrow(/bare\.json: not a valid zeroshift result: .*retrieval/);
    const classification = join(out, names.find((n) => !n.startsWith('task-'))!);
    await expect(readTaskResult(classification)).rejects.toThrow(/a zero-shot classification result, not a task result/);
  }, 120_000);
});
