/**
 * `--limit` classification results are flagged partial, as task results are: in the result
 * (its `limit`), the eval table, index.csv, the report and summary.csv. Before, the limit showed
 * only as `:limit=N:seed=S` at the end of the dataset fingerprint.
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { isPartialResult } from '../../src/results/partial.js';
import { cli } from '../helpers/cli.js';

const csv = async (file: string) => Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe('--limit flags classification results partial', () => {
  it('records the limit and flags it in the table, index.csv, the report and summary.csv; whole runs are not flagged', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-limit-'));
    const out = join(root, 'out');
    const limited = await cli(['eval', '--dataset', 'shapes:standard?n=40', '--limit', '10', '--out', out, '--cache-dir', join(root, 'c'), '--no-progress']);
    expect(limited.code).toBe(0);
    expect(limited.stdout.split('\n')[0]).toMatch(/\bpartial$/);
    expect(limited.stdout.split('\n')[2]).toMatch(/\byes$/);
    expect(limited.stderr).toMatch(/results are partial: --limit 10/);
    const whole = await cli(['eval', '--dataset', 'shapes:dark?n=12', '--out', out, '--cache-dir', join(root, 'c'), '--no-progress']);
    expect(whole.code).toBe(0);
    expect(whole.stdout).not.toMatch(/partial/);

    const files = (await readdir(out)).filter((f) => f.endsWith('.json'));
    const results = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(out, f), 'utf8'))));
    const lim = results.find((r) => r.dataset.name === 'shapes-standard');
    const all = results.find((r) => r.dataset.name === 'shapes-dark');
    expect(lim.limit).toEqual({ n: 10, seed: 0, of: 40 });
    expect(lim.metrics.n).toBe(10);
    expect('limit' in all).toBe(false);

    const index = await csv(join(out, 'index.csv'));
    expect(index.map((r) => [r.dataset, r.partial]).sort()).toEqual([['shapes-dark', 'false'], ['shapes-standard', 'true']]);

    const rep = await cli(['report', out, '-o', join(root, 'report'), '--bootstrap', '0']);
    expect(rep.code).toBe(0);
    const md = await readFile(join(root, 'report', 'report.md'), 'utf8');
    expect(md).toContain('**1 of 2 results are partial (--limit): shapes-standard 10 of 40 items (--limit 10, seed 0). Their numbers describe that seeded sample, not the whole dataset.**');
    expect(md).toMatch(/^\| tiny-clip-shapes \| [^|]+ \| shapes-standard \| none \| 10 \(partial\) \|/m);
    expect(md).toMatch(/^\| tiny-clip-shapes \| [^|]+ \| shapes-dark \| none \| 12 \|/m);
    const html = await readFile(join(root, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<p class="note partial">1 of 2 results are partial (--limit)');
    const summary = await csv(join(root, 'report', 'summary.csv'));
    expect(summary.map((r) => [r.dataset, r.partial]).sort()).toEqual([['shapes-dark', 'false'], ['shapes-standard', 'true']]);
  });

  it('reads a limited result written before the limit was recorded as partial from its fingerprint, and a limit that kept every item as whole', () => {
    const dataset = { fingerprint: 'abc:limit=20:seed=3' } as never;
    expect(isPartialResult({ dataset })).toBe(true);
    expect(isPartialResult({ dataset, limit: { n: 20, seed: 3, of: 20 } })).toBe(false);
    expect(isPartialResult({ dataset: { fingerprint: 'abc' } as never })).toBe(false);
  });
});
