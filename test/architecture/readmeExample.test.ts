import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resultSchema } from '../../src/results/schema.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The README's fenced js/ts blocks that import from the package. */
function libraryExamples(readme: string): string[] {
  return [...readme.matchAll(/```(?:js|javascript|ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("from 'zeroshift'"));
}

describe("README's library example", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written against the built package entry point (dist/index.js), offline, with the embedded model', () => {
    const examples = libraryExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(examples).toHaveLength(1);
    const entry = pathToFileURL(join(ROOT, 'dist', 'index.js')).href;
    const code = examples[0].replaceAll("from 'zeroshift'", `from ${JSON.stringify(entry)}`);
    dir = mkdtempSync(join(tmpdir(), 'zs-readme-lib-'));
    writeFileSync(join(dir, 'example.mjs'), code);
    // HF_HUB_OFFLINE: a model lookup that tried the network would fail instead of downloading.
    const run = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HF_HUB_OFFLINE: '1' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    // Every line printed is one result the runner wrote, with that result's own numbers.
    const outDir = join(dir, 'results', 'library');
    const results = readdirSync(outDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => resultSchema.parse(JSON.parse(readFileSync(join(outDir, f), 'utf8'))));
    const expected = results.map((r) => `${r.dataset.name} ${r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'clean'} acc1=${r.metrics.acc1.toFixed(3)}`);
    expect(results.map((r) => r.shift?.corruption ?? 'clean').sort()).toEqual(['clean', 'gaussian_noise']);
    expect(results.every((r) => r.metrics.n === 60 && r.model.name === 'tiny-clip-shapes')).toBe(true);
    expect(run.stdout.trim().split('\n').sort()).toEqual(expected.sort());
  }, 180_000);
});
