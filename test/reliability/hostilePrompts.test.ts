import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-hostile-prompts-'));
});

const LONG = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');

async function evalJson(promptFile: string): Promise<{ code: number; stderr: string; results: { dataset: { classNames: string[]; numClasses: number }; prompts: { classNames?: string[] }; metrics: { n: number }; perClass: unknown[] }[] }> {
  const r = await cli(['eval', '--dataset', 'shapes:standard?n=24', '--prompts', promptFile, '--cache-dir', join(tmp, 'cache'), '--out', join(tmp, 'out'), '--json', '--no-progress']);
  return { code: r.code, stderr: r.stderr, results: r.code === 0 ? JSON.parse(r.stdout) : [] };
}

describe('hostile class names and templates', () => {
  it('keeps duplicate and empty class names as separate classes and truncates over-long prompts with a warning', async () => {
    const file = join(tmp, 'hostile.json');
    // CLIP's ImageNet list has two "missile" and two "sunglasses"; each stays its own class.
    const classNames = ['circle', 'missile', 'missile', '', `star ${LONG}`, 'sunglasses', 'sunglasses', 'diamond'];
    await writeFile(file, JSON.stringify({ schemaVersion: 1, name: 'hostile', description: 'x', source: 'x', classNames, templates: ['a photo of a {}.', `${LONG} {}`] }));
    const r = await evalJson(file);
    expect(r.code, r.stderr).toBe(0);
    const [result] = r.results;
    expect(result.dataset.numClasses).toBe(8);
    // The prompt set's names (duplicates and the empty one kept, in classifier-row order) are
    // recorded with the prompts; the dataset keeps its own names.
    expect(result.prompts.classNames).toEqual(classNames);
    expect(result.dataset.classNames).toHaveLength(8);
    expect(result.perClass).toHaveLength(8);
    expect(result.metrics.n).toBe(24);
    const truncations = r.stderr.split('\n').filter((l) => l.includes('truncated to 77 tokens'));
    expect(truncations.length).toBeGreaterThan(0);
    // One warning per distinct over-long prompt, never one per use.
    expect(new Set(truncations).size).toBe(truncations.length);
  }, 30_000);
});
