import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { planDatacompTasks } from '../../src/eval/datacompSuite.js';
import { loadDatacompTaskList } from '../../src/eval/datacomp.js';
import { resultSchema } from '../../src/results/schema.js';
import { retrievalResultSchema } from '../../src/results/tasks/retrieval.js';
import { suiteAveragesSchema } from '../../src/results/suiteAverages.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-datacomp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A three-task stand-in with DataComp's structure: plain top-1, a worst-group rule, retrieval; averages as aggregate_scores.py. */
function standIn(tasks: { id: string; name: string; mainMetric: string; spec: string }[]): string {
  const file = join(root, `standin-${tasks.length}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({
    kind: 'zeroshift-datacomp-tasklist', schemaVersion: 1, name: 'standin', source: 'test',
    mainMetrics: { acc1: 'top-1', acc_wg: 'worst group', 'mean_recall@1': 'retrieval' },
    groupProtocols: { 'fairness/shapes-dark': { groupBy: 'color', metric: 'acc1' } },
    averages: { Classification: tasks.filter((t) => !t.id.startsWith('retrieval/')).map((t) => t.name), Retrieval: tasks.filter((t) => t.id.startsWith('retrieval/')).map((t) => t.name), Average: 'all tasks' },
    tasks: tasks.map((t) => ({ ...t, size: 20, tags: [] })),
  }));
  return file;
}

describe('eval --suite on a DataComp-style task list', () => {
  it('plans every DataComp task: DataComp\'s download layout, the retrieval mirrors, the group rules, WinoGAViL not run', () => {
    const list = loadDatacompTaskList();
    const planned = planDatacompTasks(list, 'x.json', '/data');
    expect(planned).toHaveLength(38);
    const by = (id: string) => planned.find((p) => p.task.id === id)!;
    expect(by('vtab/caltech101').spec).toBe('wds:/data/wds_vtab-caltech101_test?split=test');
    expect(by('fairness/dollar_street')).toMatchObject({ spec: 'wds:/data/wds_dollar_street_test?split=test&metadata-fields=income_ds,income_meta,region', groupBy: { field: 'income_ds', by: 'acc5' } });
    expect(by('wilds/fmow')).toMatchObject({ kind: 'classification', groupBy: { field: 'region', by: 'acc1', exclude: ['5'] } });
    expect(by('retrieval/mscoco_2014_5k_test_image_text_retrieval')).toMatchObject({ kind: 'retrieval', spec: 'wds:/data/wds/mscoco_captions?split=test' });
    expect(by('misc/winogavil')).toMatchObject({ kind: 'unsupported', spec: null });
  });

  it('runs a 3-task stand-in with --limit: averages equal the means of the main metrics in the written results; report and summary.csv show them', async () => {
    const file = standIn([
      { id: 'shapes', name: 'Shapes', mainMetric: 'acc1', spec: 'shapes:standard?n=30' },
      { id: 'fairness/shapes-dark', name: 'Shapes dark', mainMetric: 'acc_wg', spec: 'shapes:dark?n=30' },
      { id: 'retrieval/shapes', name: 'Captions', mainMetric: 'mean_recall@1', spec: 'shapes-captions:standard?n=30' },
    ]);
    const out = join(root, 'out');
    const r = await cli(['eval', '--suite', file, '--limit', '20', '-m', 'tiny-clip-shapes', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const avg = suiteAveragesSchema.parse(JSON.parse(readFileSync(join(out, 'suite-averages__standin.json'), 'utf8')));
    // Independent: the main metrics read back from the result files.
    const results = readdirSync(out).filter((f) => f.startsWith('tiny-clip-shapes__') && f.endsWith('.json')).map((f) => resultSchema.parse(JSON.parse(readFileSync(join(out, f), 'utf8'))));
    const std = results.find((x) => x.dataset.name === 'shapes-standard')!;
    const dark = results.find((x) => x.dataset.name === 'shapes-dark')!;
    expect(std.metrics.n).toBe(20);
    const retr = retrievalResultSchema.parse(JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.startsWith('task-zeroshot_retrieval__'))!), 'utf8')));
    const worst = Math.min(...Object.entries(dark.groups!.color).filter(([k]) => k !== '(missing)').map(([, g]) => g.acc1));
    const m = avg.models[0];
    expect(m.scores).toEqual({ Shapes: std.metrics.acc1, 'Shapes dark': worst, Captions: retr.retrieval.meanRecallAt1 });
    expect(m.averages.Classification).toBeCloseTo((std.metrics.acc1 + worst) / 2, 12);
    expect(m.averages.Retrieval).toBe(retr.retrieval.meanRecallAt1);
    expect(m.averages.Average).toBeCloseTo((std.metrics.acc1 + worst + retr.retrieval.meanRecallAt1) / 3, 12);
    expect(avg.limit).toEqual({ n: 20, seed: 0 });
    const rep = await cli(['report', out, '-o', join(root, 'report'), '--bootstrap', '0']);
    expect(rep.code, rep.stderr).toBe(0);
    const csv = Papa.parse<Record<string, string>>(readFileSync(join(root, 'report', 'summary.csv'), 'utf8').trim(), { header: true }).data;
    const row = csv.find((x) => x.dataset === 'standin: Average')!;
    expect(Number(row.acc1)).toBe(m.averages.Average);
    expect(readFileSync(join(root, 'report', 'report.md'), 'utf8')).toContain('## standin averages');
  }, 240_000);

  it('missing data stops before any work, listing every task without data and what to do', async () => {
    const file = standIn([
      { id: 'a', name: 'A', mainMetric: 'acc1', spec: `wds:${join(root, 'nowhere-a')}` },
      { id: 'shapes', name: 'Shapes', mainMetric: 'acc1', spec: 'shapes:standard?n=10' },
      { id: 'b', name: 'B', mainMetric: 'acc1', spec: `wds:${join(root, 'nowhere-b')}` },
    ]);
    const r = await cli(['eval', '--suite', file, '--out', join(root, 'out-missing'), '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 of 3 tasks of standin have no data:\n {2}A \(wds:.*nowhere-a\): .*\n {2}B \(wds:.*nowhere-b\)/);
  }, 60_000);
});
