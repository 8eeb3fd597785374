import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { resolveCeBaseline } from '../../src/report/ceBaseline.js';
import type { Result } from '../../src/results/schema.js';
import { cli } from '../helpers/cli.js';
import { makeResult } from './resultFactory.js';

function fromSuite(model: string, suite: { name: string; ceBaseline?: string } | null): Result {
  const r = makeResult({ model });
  r.provenance = {
    suite: suite ? { name: suite.name, file: `${suite.name}.json`, sha256: '0'.repeat(64), ...(suite.ceBaseline ? { ceBaseline: suite.ceBaseline } : {}) } : null,
    device: { requested: 'cpu', used: 'cpu' }, threads: 0, batchSize: 64, exifRotate: false,
    versions: { zeroshift: '0.1.0', node: 'v20', onnxruntime: '1', sharp: '0' }, gitCommit: null,
  };
  return r;
}

describe('resolveCeBaseline', () => {
  const results = [fromSuite('base', { name: 's', ceBaseline: 'base' }), fromSuite('robust', { name: 's', ceBaseline: 'base' }), fromSuite('zoo', { name: 'zoo' }), fromSuite('cli', null)];

  it('takes the baseline the suite recorded, and the flag over it', () => {
    expect(resolveCeBaseline(results, undefined)).toEqual({ model: 'base', source: "suite 's' (s.json)" });
    expect(resolveCeBaseline(results, 'robust')).toEqual({ model: 'robust', source: '--ce-baseline' });
    expect(resolveCeBaseline([fromSuite('zoo', { name: 'zoo' })], undefined)).toBeNull();
  });

  it('refuses a --ce-baseline that is not among the models, naming the nearest and the known ones', () => {
    expect(() => resolveCeBaseline(results, 'robus')).toThrow(/CE baseline 'robus' \(from --ce-baseline\) is not a model in these results; did you mean 'robust'\? \(models: base, cli, robust, zoo\)/);
    // A suite run with other --model's: its baseline is dropped with a notice, not an error.
    const dropped = resolveCeBaseline([fromSuite('m', { name: 's', ceBaseline: 'gone' })], undefined);
    expect(dropped?.model).toBeNull();
    expect(dropped?.notice).toMatch(/CE baseline 'gone' \(from suite 's' \(s\.json\)\) is not a model in these results \(models: m\); CE and mCE stay n\/a outside ImageNet: pass --ce-baseline MODEL/);
  });

  it('refuses suites that name different baselines unless the flag decides', () => {
    const mixed = [fromSuite('a', { name: 's1', ceBaseline: 'a' }), fromSuite('b', { name: 's2', ceBaseline: 'b' })];
    expect(() => resolveCeBaseline(mixed, undefined)).toThrow(/suites name different CE baselines: 'a' in suite 's1' \(s1\.json\), 'b' in suite 's2' \(s2\.json\)/);
    expect(resolveCeBaseline(mixed, 'b')?.model).toBe('b');
  });
});

describe('a suite names the CE baseline: eval records it, report uses it', () => {
  it('eval → report without --ce-baseline gives mCE; the flag overrides; an unknown one exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-cebaseline-'));
    const suite = join(dir, 'suite.json');
    await writeFile(suite, JSON.stringify({
      schemaVersion: 1, name: 'ce-test', models: ['tiny-clip-shapes', 'tiny-clip-shapes-robust'], ceBaseline: 'tiny-clip-shapes',
      datasets: [{ family: 'shapes', variants: ['standard'], options: { n: 24, seed: 0, task: 'shape' } }],
      shifts: { corruptions: ['contrast'], severities: [1, 2, 3, 4, 5] }, prompts: ['shapes-shape'],
    }));
    const results = join(dir, 'results');
    const ev = await cli(['eval', '--suite', suite, '--out', results, '--no-progress', '--cache-dir', join(dir, 'cache')]);
    expect(ev.code, ev.stderr).toBe(0);
    const one = JSON.parse(await readFile(join(results, (await readdir(results)).find((f) => f.endsWith('.json'))!), 'utf8')) as Result;
    expect(one.provenance?.suite).toMatchObject({ name: 'ce-test', ceBaseline: 'tiny-clip-shapes' });

    const mce = async (args: string[]): Promise<{ stderr: string; rows: Record<string, string>[] }> => {
      const out = join(dir, `report-${args.length}`);
      const r = await cli(['report', results, '-o', out, '--bootstrap', '0', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const rows = Papa.parse<Record<string, string>>(await readFile(join(out, 'summary.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
      return { stderr: r.stderr, rows: rows.filter((x) => x.mce !== '' && x.mce !== undefined) };
    };
    const bySuite = await mce([]);
    expect(bySuite.stderr).toContain(`CE baseline tiny-clip-shapes, named by suite 'ce-test' (${suite})`);
    // The baseline's own mCE is 100 % by definition; the other model is normalised by it.
    expect(bySuite.rows.find((x) => x.model === 'tiny-clip-shapes')?.mce).toBe('1');
    expect(bySuite.rows.find((x) => x.model === 'tiny-clip-shapes-robust')?.ce_normaliser).toBe('tiny-clip-shapes');
    const byFlag = await mce(['--ce-baseline', 'tiny-clip-shapes-robust']);
    expect(byFlag.rows.find((x) => x.model === 'tiny-clip-shapes-robust')?.mce).toBe('1');
    const unknown = await cli(['report', results, '-o', join(dir, 'bad'), '--ce-baseline', 'alexnet']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/CE baseline 'alexnet' \(from --ce-baseline\) is not a model in these results \(models: tiny-clip-shapes, tiny-clip-shapes-robust\)/);
  }, 300_000);
});
