import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it, vi } from 'vitest';
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

/** Plain top-1, a worst-group rule and retrieval: one task of each kind DataComp's list has. */
const THREE_TASKS = [
  { id: 'shapes', name: 'Shapes', mainMetric: 'acc1', spec: 'shapes:standard?n=30' },
  { id: 'fairness/shapes-dark', name: 'Shapes dark', mainMetric: 'acc_wg', spec: 'shapes:dark?n=30' },
  { id: 'retrieval/shapes', name: 'Captions', mainMetric: 'mean_recall@1', spec: 'shapes-captions:standard?n=30' },
];

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
    const file = standIn(THREE_TASKS);
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

  it('runs every task under --shift too (classification, worst-group and retrieval record it); the averages stay over the clean results', async () => {
    const file = standIn(THREE_TASKS);
    const out = join(root, 'out-shift');
    const r = await cli(['eval', '--suite', file, '--limit', '12', '--shift', 'contrast:3', '-m', 'tiny-clip-shapes', '--out', out, '--no-cache', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const results = readdirSync(out).filter((f) => f.startsWith('tiny-clip-shapes__') && f.endsWith('.json')).map((f) => resultSchema.parse(JSON.parse(readFileSync(join(out, f), 'utf8'))));
    const tasks = readdirSync(out).filter((f) => f.startsWith('task-zeroshot_retrieval__')).map((f) => retrievalResultSchema.parse(JSON.parse(readFileSync(join(out, f), 'utf8'))));
    const shifts = (xs: { dataset: { name: string }; shift: { corruption: string; severity: number } | null }[]): string[] => xs.map((x) => `${x.dataset.name} ${x.shift ? `${x.shift.corruption}:${x.shift.severity}` : 'clean'}`).sort();
    expect(shifts(results)).toEqual(['shapes-dark clean', 'shapes-dark contrast:3', 'shapes-standard clean', 'shapes-standard contrast:3']);
    expect(shifts(tasks)).toEqual(['shapes-standard-captions clean', 'shapes-standard-captions contrast:3']);
    // The worst-group rule ran under the shift as well.
    expect(results.find((x) => x.dataset.name === 'shapes-dark' && x.shift)!.groups?.color).toBeDefined();
    const clean = (name: string) => results.find((x) => x.dataset.name === name && x.shift === null)!;
    const avg = suiteAveragesSchema.parse(JSON.parse(readFileSync(join(out, 'suite-averages__standin.json'), 'utf8')));
    expect(avg.models[0].scores.Shapes).toBe(clean('shapes-standard').metrics.acc1);
    expect(avg.models[0].scores.Captions).toBe(tasks.find((t) => t.shift === null)!.retrieval.meanRecallAt1);
    expect(r.stderr).toContain(`3 shifted result(s) (--shift) in ${out}, beside the clean ones; the averages are over the clean results`);
    // --skip-existing reuses every unit (it was forced off for task lists), and the averages are the same.
    const again = await cli(['eval', '--suite', file, '--limit', '12', '--shift', 'contrast:3', '-m', 'tiny-clip-shapes', '--out', out, '--no-cache', '--no-progress', '--skip-existing']);
    expect(again.code, again.stderr).toBe(0);
    const reused = readdirSync(out).filter((f) => f.startsWith('tiny-clip-shapes__') && f.endsWith('.json')).map((f) => resultSchema.parse(JSON.parse(readFileSync(join(out, f), 'utf8'))));
    expect(reused.map((x) => x.reusedAt !== undefined)).toEqual([true, true, true, true]);
    expect(suiteAveragesSchema.parse(JSON.parse(readFileSync(join(out, 'suite-averages__standin.json'), 'utf8'))).models).toEqual(avg.models);
  }, 240_000);

  it('refuses --shard (or a shard index in the environment: every shard would run every task) and the flags its tasks fix', async () => {
    const file = standIn([{ id: 'shapes', name: 'Shapes', mainMetric: 'acc1', spec: 'shapes:standard?n=10' }]);
    const flag = await cli(['eval', '--suite', file, '--shard', '1/2', '--out', join(root, 'out-shard'), '--no-progress']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--shard does not apply to the task-list suite .*standin-1-.*\.json: each of its tasks runs as its own plan/);
    expect(flag.stderr).toMatch(/hint: .*--dataset SPEC --shard I\/N/);
    vi.stubEnv('JOB_COMPLETION_INDEX', '1');
    vi.stubEnv('ZEROSHIFT_SHARDS', '2');
    try {
      const env = await cli(['eval', '--suite', file, '--out', join(root, 'out-shard'), '--no-progress']);
      expect(env.code).toBe(2);
      expect(env.stderr).toMatch(/--shard does not apply to the task-list suite/);
    } finally {
      vi.unstubAllEnvs();
    }
    const fixed = await cli(['eval', '--suite', file, '--prompts', 'shapes-shape', '--n', '8', '--out', join(root, 'out-shard'), '--no-progress']);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toMatch(/--prompts, --n do not apply to the task-list suite .*: each task fixes its dataset, prompts, group rule and task/);
    expect(readdirSync(root)).not.toContain('out-shard');
  }, 60_000);

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
