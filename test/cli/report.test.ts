import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { writeSyntheticResults } from '../report/syntheticResults.js';

describe('zeroshift report', () => {
  it('writes the report from a results directory', async () => {
    const dir = await writeSyntheticResults(3, 64);
    const out = join(dir, 'out');
    expect(await runCli(['report', dir, '--out', out, '--title', 'CLI test'])).toBe(0);
    for (const f of ['report.html', 'report.md', 'summary.csv', 'charts/accuracy-by-dataset.png']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('# CLI test');
  });

  it('names the file and the failing key of an invalid result', async () => {
    const dir = await writeSyntheticResults(3, 16);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ kind: 'zeroshift-result', schemaVersion: 1, metrics: { acc1: 'high' } }));
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['report', bad, '--out', join(dir, 'o')])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errs.join('')).toMatch(/bad\.json: invalid result at '[a-zA-Z.]+'/);
  });

  it('rejects an unknown baseline, listing the known ones', async () => {
    const dir = await writeSyntheticResults(3, 16);
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['report', dir, '--out', join(dir, 'o'), '--baseline', 'nope'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errs.join('')).toMatch(/unknown baseline 'nope'; known: clip-benchmark, testbed/);
  });
});
