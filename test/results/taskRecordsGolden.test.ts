import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TASKS } from '../../src/results/taskIds.js';
import { findTaskResultFiles, readTaskResult, writeTaskResult } from '../../src/results/store.js';
import { rebuildIndex } from '../../src/results/indexCsv.js';

// One result of every task and their index.csv, written before the records moved to src/results/tasks/ (README.md there).
const GOLDEN = resolve(import.meta.dirname, '..', 'fixtures', 'results-v2');
const root = mkdtempSync(join(tmpdir(), 'zs-task-golden-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('task result files stay byte-identical', () => {
  it('rewrites every task\'s result under the same file name with the same bytes, and index.csv with the same bytes', async () => {
    const files = await findTaskResultFiles(GOLDEN);
    const results = await Promise.all(files.map((f) => readTaskResult(f)));
    expect(results.map((r) => r.task).sort()).toEqual([...TASKS].sort());
    const out = join(root, 'out');
    for (const [i, r] of results.entries()) {
      const written = await writeTaskResult(out, r);
      expect(written).toBe(join(out, files[i].slice(GOLDEN.length + 1)));
      expect(readFileSync(written, 'utf8')).toBe(readFileSync(files[i], 'utf8'));
    }
    await rebuildIndex(out);
    expect(readFileSync(join(out, 'index.csv'), 'utf8')).toBe(readFileSync(join(GOLDEN, 'index.csv'), 'utf8'));
    expect(readdirSync(out).sort()).toEqual(readdirSync(GOLDEN).filter((n) => n !== 'README.md').sort());
  });
});
