import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
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
      expect(await runCli(['report', dir, '--out', join(dir, 'o'), '--baseline', 'testbd'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    // `own` (the default) is a choice too.
    expect(errs.join('')).toMatch(/unknown --baseline 'nope'; known: clip-benchmark, own, testbed/);
    expect(errs.join('')).toMatch(/unknown --baseline 'testbd'; did you mean 'testbed'\?; known: clip-benchmark, own, testbed/);
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

  it('says why each n/a is n/a, in report.html and report.md (was only on stderr)', async () => {
    // Two runs of one model (its two prompt sets): a line needs 3 baseline models of distinct ID accuracy.
    const two = await writeSyntheticResults(2, 16);
    for (const f of await readdir(two)) if (!f.startsWith('tiny-clip-shapes__')) await rm(join(two, f));
    const r = await quiet(['report', two, '-o', join(two, 'o'), '--bootstrap', '0']);
    expect(r.code, r.stderr).toBe(0);
    const reason = /no baseline line: it needs at least 3 baseline models with distinct ID accuracy, got 2/;
    expect(r.stderr).toMatch(reason);
    const html = await readFile(join(two, 'o', 'report.html'), 'utf8');
    const md = await readFile(join(two, 'o', 'report.md'), 'utf8');
    // The cell points to the reason (tooltip and footnote mark), and the reason is written under the table.
    expect(html).toMatch(/<td class="na" title="no baseline line: it needs at least 3[^"]*">n\/a<sup>1<\/sup><\/td>/);
    expect(html).toMatch(/<ol class="note na-reasons"><li>n\/a: no baseline line: it needs at least 3 baseline models/);
    expect(html).toMatch(/<td class="num na" title="no baseline line[^"]*">n\/a<sup>1<\/sup>/);
    expect(md).toMatch(/\| n\/a \[1\] \| n\/a \[1\] \|/);
    expect(md).toMatch(/^\[1\] n\/a: no baseline line: it needs at least 3 baseline models with distinct ID accuracy, got 2/m);
    // With a line but no bootstrap, only the interval is n/a, and it says why.
    const six = await writeSyntheticResults(6, 16); // six runs: lines are fitted
    expect((await quiet(['report', six, '-o', join(six, 'o'), '--bootstrap', '0'])).code).toBe(0);
    const md6 = await readFile(join(six, 'o', 'report.md'), 'utf8');
    expect(md6).toMatch(/\| [+−-]\d+\.\d \| n\/a \[1\] \|/);
    expect(md6).toMatch(/^\[1\] n\/a: no bootstrap \(--bootstrap 0\)/m);
    expect(await readFile(join(six, 'o', 'report.html'), 'utf8')).toContain('title="no bootstrap (--bootstrap 0)">n/a<sup>1</sup>');
  });
});
