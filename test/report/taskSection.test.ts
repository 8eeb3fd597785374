import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { taskTables, taskSectionMarkdown, taskSectionHtml } from '../../src/report/taskSection.js';
import type { RobustnessGroup } from '../../src/report/robustnessTable.js';
import type { TaskResult } from '../../src/results/envelope.js';
import { makeResult } from './resultFactory.js';
import { signedPoints } from '../../src/util/numberFormat.js';
import { measuredSentence } from '../../src/report/reportContent.js';
import { cli } from '../helpers/cli.js';

function probe(dataset: string, variant: string, isStandard: boolean, acc1: number): TaskResult {
  return {
    task: 'linear_probe', model: { name: 'm' }, partial: false,
    dataset: { name: dataset, variant, family: 'shapes', isStandard, fingerprint: 'f', spec: 's', adapter: 'shapes' },
    trainDataset: { name: 'train', fingerprint: 'tf' },
    probe: { c: 1, fewshotK: 4 },
    metrics: { n: 1000, acc1, acc1Ci: [acc1 - 0.01, acc1 + 0.01], meanPerClassRecall: acc1, macroF1: acc1 },
  } as unknown as TaskResult;
}

describe('measuredSentence', () => {
  it('names the tasks with their result counts, the models, datasets and conditions (image and text shifts)', () => {
    const zs = makeResult({ model: 'm', variant: 'dark', acc1: 0.5 });
    const t = (task: string, shift: { corruption: string; severity: number } | null, textShift?: { name: string; severity: number }): TaskResult => ({ task, model: { name: 'n' }, dataset: { name: 'caps' }, shift, ...(textShift ? { textShift } : {}) }) as unknown as TaskResult;
    const s = measuredSentence([zs], [t('zeroshot_retrieval', null), t('zeroshot_retrieval', { corruption: 'fog', severity: 2 }), t('zeroshot_retrieval', null, { name: 'typo', severity: 3 })]);
    expect(zs.dataset.name).toBe('shapes-dark');
    expect(s).toBe('Measured: zero-shot classification (1 result) and zero-shot retrieval (3 results) of 2 models (m, n) on 2 datasets (caps, shapes-dark) under 3 conditions (none, fog@2, none · text typo:3).');
    expect(measuredSentence([], [])).toBe('Measured: nothing.');
  });
});

describe('taskTables (hand-computed)', () => {
  it('puts the probe beside the zero-shot line with each line\'s ER against the same fit', () => {
    // Baseline line on logit axes: logit(ood) = logit(id) - 1 → at id 0.8, ood = σ(ln 4 − 1) = 4/e ÷ (1 + 4/e) = 0.595390...
    const zsDark = makeResult({ model: 'm', variant: 'dark', acc1: 0.5 });
    const group = { key: 'shapes-dark', label: 'dark', isCorruption: false, line: { slope: 1, intercept: -1, count: 3, transform: 'logit' }, rows: [{ result: zsDark, effectiveRobustness: -0.05 }] } as unknown as RobustnessGroup;
    const tables = taskTables([], [probe('shapes-standard', 'shapes-standard', true, 0.8), probe('shapes-dark', 'shapes-dark', false, 0.7)], [group]);
    const t = tables.find((x) => x.id === 'linear-probe')!;
    const predicted = 1 / (1 + Math.exp(-(Math.log(0.8 / 0.2) - 1)));
    expect(predicted).toBeCloseTo(0.59539, 5);
    expect(t.rows[0][7]).toBe('ID');
    // Probe ER = 0.7 - 0.5954 = +10.5 pts; zero-shot ER as the robustness table has it (−5.0).
    expect(t.rows[1][7]).toBe(`+${(100 * (0.7 - predicted)).toFixed(1)}`);
    expect(t.rows[1][8]).toBe('50.0');
    expect(t.rows[1][9]).toBe(signedPoints(-0.05));
  });

  it('lists worst groups of zero-shot and probe results, and nothing when there is nothing beyond top-1', () => {
    const r = makeResult({ model: 'm', variant: 'dark', acc1: 0.6 });
    r.groups = { region: { a: { n: 2, acc1: 0.5, acc1Ci: [0, 1], meanPerClassRecall: 0.5 }, b: { n: 3, acc1: 1, acc1Ci: [0, 1], meanPerClassRecall: 1 } } };
    r.groupSummary = { region: { by: 'acc1', worst: { value: 'a', acc1: 0.5 }, best: { value: 'b', acc1: 1 }, gap: 0.5 } };
    const t = taskTables([r], [], [])[0];
    expect(t.id).toBe('worst-group');
    expect(t.rows[0].slice(3)).toEqual(['region', '2', '60.0', 'a (50.0 top-1)', 'b (100.0)', '50.0']);
    expect(taskTables([makeResult({})], [], [])).toEqual([]);
    const ml = { task: 'multilabel', model: { name: 'm' }, partial: true, dataset: { name: 'voc2007-test' }, multilabel: { n: 6, meanAveragePrecision: 0.5, perClass: [{ name: 'cat', ap: 0.9, positives: 1 }, { name: 'dog', ap: 0.25, positives: 3 }, { name: 'car', ap: 0.35, positives: 1 }, { name: 'bus', ap: 0.5, positives: 2 }], prompts: { name: 'cb', templates: [] } } } as unknown as TaskResult;
    const mlTable = taskTables([], [ml], [])[0];
    expect(mlTable.rows).toEqual([['m', 'voc2007-test', 'none', '6', '50.0', '–', 'dog 25.0, car 35.0, bus 50.0', 'yes']]);
    expect(taskSectionMarkdown([t]).join('\n')).toContain('## Worst-group accuracy');
    expect(taskSectionHtml([t])).toContain('<section id="worst-group">');
  });
});

describe('report with task results (tiny CLIP, end to end)', () => {
  const root = mkdtempSync(join(tmpdir(), 'zs-report-tasks-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('report.md and report.html show worst groups, the probe line and retrieval from one results directory', async () => {
    const out = join(root, 'results');
    const common = ['--out', out, '--cache-dir', join(root, 'cache'), '--no-progress', '-m', 'tiny-clip-shapes'];
    for (const args of [
      ['eval', '--dataset', 'shapes:standard?n=40', '--dataset', 'shapes:dark?n=40', '--group-by', 'color', ...common],
      ['eval', '--task', 'linear_probe', '--dataset', 'shapes:standard?n=100', '--fewshot-k', '2', ...common],
      ['eval', '--dataset', 'shapes-captions:standard?n=30', ...common],
    ]) {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const rep = await cli(['report', out, '-o', join(root, 'report'), '--bootstrap', '0']);
    expect(rep.code, rep.stderr).toBe(0);
    const md = readFileSync(join(root, 'report', 'report.md'), 'utf8');
    expect(md).toContain('## Worst-group accuracy');
    expect(md).toMatch(/\| tiny-clip-shapes \| zero-shot · .* \| shapes-dark \| color \|/);
    expect(md).toContain('## Linear probe vs zero-shot');
    // The probe was scored on the shapes family's three shifted variants by itself.
    for (const v of ['shapes-dark', 'shapes-sketch', 'shapes-heldout']) expect(md).toMatch(new RegExp(`\\| tiny-clip-shapes \\| ${v} \\| shapes-standard`));
    expect(md).toContain('## Zero-shot retrieval');
    const html = readFileSync(join(root, 'report', 'report.html'), 'utf8');
    for (const id of ['worst-group', 'linear-probe', 'retrieval']) expect(html).toContain(`<section id="${id}">`);
  }, 240_000);

  it('a directory of task results only (retrieval under a shift, a probe) reports exit 0 with their tables and per-shift drops', async () => {
    const out = join(root, 'tasks-only');
    const common = ['--out', out, '--cache-dir', join(root, 'cache'), '--no-progress', '-m', 'tiny-clip-shapes'];
    for (const args of [
      ['eval', '--dataset', 'shapes-captions:standard?n=30', '--shift', 'contrast:5', ...common],
      ['eval', '--task', 'linear_probe', '--dataset', 'shapes:standard?n=60', '--fewshot-k', '2', '--shift', 'contrast:5', ...common],
    ]) {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const rep = await cli(['report', out, '-o', join(root, 'report-tasks'), '--bootstrap', '0']);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stderr).toMatch(/0 classification result\(s\), \d+ task result\(s\) \(linear_probe, zeroshot_retrieval\)/);
    const md = readFileSync(join(root, 'report-tasks', 'report.md'), 'utf8');
    expect(md).toContain('## Zero-shot retrieval');
    expect(md).toContain('## Linear probe vs zero-shot');
    const rows = md.split('\n').filter((l) => l.startsWith('| tiny-clip-shapes | shapes-standard-captions |'));
    expect(rows.map((l) => l.split(' | ')[2])).toEqual(['none', 'contrast@5']);
    // The shifted row's Δ is its mean R@1 minus the clean row's, in points.
    const cells = rows.map((l) => l.split(' | '));
    const drop = Number(cells[1][11]) - Number(cells[0][11]);
    expect(cells[1][12]).toBe(signedPoints(drop / 100));
    expect(md).toMatch(/\| tiny-clip-shapes \| shapes-standard · contrast@5 \|/);
    // The first screen says what was measured, and shows no empty classification summary.
    expect(md.split('\n').slice(0, 6).join('\n')).toMatch(/from 0 classification results and \d+ task results\.\n\nMeasured: zero-shot retrieval \(2 results\) and linear probe \(\d+ results\) of 1 model \(tiny-clip-shapes\) on \d+ datasets \(.*shapes-standard-captions.*\) under 2 conditions \(none, contrast@5\)\./);
    expect(md).not.toContain('## Summary');
    expect(md).not.toContain('No in-distribution results');
    const html = readFileSync(join(root, 'report-tasks', 'report.html'), 'utf8');
    expect(html).toMatch(/<p class="measured">Measured: zero-shot retrieval \(2 results\)/);
    expect(html).not.toContain('id="summary"');
  }, 240_000);
});
