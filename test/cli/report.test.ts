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

describe('zeroshift report input checks', () => {
  async function quiet(args: string[]): Promise<{ code: number; stderr: string }> {
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      return { code: await runCli(args), stderr: errs.join('') };
    } finally {
      process.stderr.write = write;
    }
  }

  it('does not count a sub-run twice: report results/ after a demo in results/demo', async () => {
    const { cp } = await import('node:fs/promises');
    const demo = await writeSyntheticResults(5, 48);
    const parent = await writeSyntheticResults(5, 48);
    await cp(demo, join(parent, 'demo'), { recursive: true });
    const alone = join(demo, 'o');
    expect((await quiet(['report', demo, '-o', alone])).code).toBe(0);
    const plain = join(parent, 'o1');
    expect((await quiet(['report', parent, '-o', plain])).code).toBe(0);
    const recursive = join(parent, 'o2');
    const r = await quiet(['report', parent, '--recursive', '-o', recursive]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/is the same result as .*counted once/);
    const csv = await readFile(join(alone, 'summary.csv'), 'utf8');
    expect(await readFile(join(plain, 'summary.csv'), 'utf8')).toBe(csv);
    expect(await readFile(join(recursive, 'summary.csv'), 'utf8')).toBe(csv);
  });

  it('exits 2 on an unknown --reference or --fit-exclude model, suggesting the near one', async () => {
    const dir = await writeSyntheticResults(3, 16);
    const ref = await quiet(['report', dir, '-o', join(dir, 'o'), '--reference', 'tiny-clip-shape']);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toMatch(/--reference 'tiny-clip-shape' is not a model in these results; did you mean 'tiny-clip-shapes'/);
    const fit = await quiet(['report', dir, '-o', join(dir, 'o'), '--fit-exclude', 'zoo-smal']);
    expect(fit.code).toBe(2);
    expect(fit.stderr).toMatch(/did you mean 'zoo-small'/);
    expect(existsSync(join(dir, 'o', 'report.html'))).toBe(false);
  });
});
