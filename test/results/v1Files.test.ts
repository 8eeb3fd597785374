import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnyResult } from '../../src/results/envelope.js';
import { readPredictions, readResult } from '../../src/results/store.js';
import { rebuildIndex } from '../../src/results/indexCsv.js';
import { cli } from '../helpers/cli.js';

// Files an older zeroshift wrote (test/fixtures/results-v1/README.md names the commits), read as they are.
const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'results-v1');
const CLASSIFICATION = 'tiny-clip-shapes__shapes-dark__none__shapes-shape.json';
const RETRIEVAL = 'task-zeroshot_retrieval__tiny-clip-shapes__shapes-standard-captions__d9fff737.json';
const PROBE = 'task-linear_probe__tiny-clip-shapes__shapes-dark__a3519a4a.json';

const root = mkdtempSync(join(tmpdir(), 'zs-v1-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const raw = (name: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('result files of version 1, through the results envelope', () => {
  it('reads a TaskResult v1 of retrieval and of the probe as v2, unshifted, with the numbers the file holds', async () => {
    const ret = await readAnyResult(join(FIXTURES, RETRIEVAL));
    expect(raw(RETRIEVAL).schemaVersion).toBe(1);
    expect(ret).toMatchObject({ schemaVersion: 2, kind: 'zeroshift-task-result', task: 'zeroshot_retrieval', id: 'd9fff737d96267ac0c9906e8', shift: null });
    expect(ret.task === 'zeroshot_retrieval' && ret.retrieval).toEqual(raw(RETRIEVAL).retrieval);

    const probe = await readAnyResult(join(FIXTURES, PROBE));
    expect(probe).toMatchObject({ schemaVersion: 2, task: 'linear_probe', shift: null, trainDataset: { name: 'shapes-standard' } });
    if (probe.task !== 'linear_probe') throw new Error('not a probe result');
    expect(probe.metrics).toEqual(raw(PROBE).metrics);
    expect(probe.metrics.acc1).toBe(0.25);
    expect(probe.probe).toEqual(raw(PROBE).probe);
  });

  it('reads a Result v1 as v2: softmax over logitScale, the plain protocol, predictions gaining `correct`', async () => {
    const file = join(FIXTURES, CLASSIFICATION);
    const v1 = raw(CLASSIFICATION);
    expect(v1.schemaVersion).toBe(1);
    const r = await readAnyResult(file);
    if (r.kind !== 'zeroshift-result') throw new Error('not a classification result');
    expect(r).toMatchObject({ schemaVersion: 2, task: 'zeroshot_classification', id: v1.id, shift: null });
    expect(r.model.scoring).toEqual({ rule: 'softmax', scale: v1.model.logitScale, bias: 0 });
    expect(r.metrics).toEqual(v1.metrics);
    expect(r.scoringProtocol).toEqual({ classColumns: null, labelColumns: null, crop: null });
    const predictions = await readPredictions(file, r);
    expect(predictions).toHaveLength(6);
    expect(predictions.filter((p) => p.correct).length / 6).toBe(v1.metrics.acc1);
    expect(predictions.every((p) => p.correct === (p.top[0] === p.label))).toBe(true);
    expect(await readResult(file)).toEqual(r);
  });

  it('indexes and reports a directory of v1 files: one index.csv row each, every task in report.md', async () => {
    const dir = join(root, 'results');
    cpSync(FIXTURES, dir, { recursive: true });
    await rebuildIndex(dir);
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(dir, 'index.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((row) => [row.task, row.dataset, row.shift])).toEqual([
      ['zeroshot_classification', 'shapes-dark', 'none'],
      ['linear_probe', 'shapes-dark', 'none'],
      ['zeroshot_retrieval', 'shapes-standard-captions', 'none'],
    ]);
    expect(Number(rows[0].acc1)).toBe(raw(CLASSIFICATION).metrics.acc1);
    expect(rows[1]).toMatchObject({ acc1: '0.25', train_dataset: 'shapes-standard', n: '12' });
    expect(rows[2]).toMatchObject({ 'image_retrieval_recall@1': '1', 'mean_recall@1': '1', n: '6' });

    const rep = await cli(['report', dir, '-o', join(root, 'report'), '--bootstrap', '0']);
    expect(rep.code).toBe(0);
    const md = readFileSync(join(root, 'report', 'report.md'), 'utf8');
    expect(md).toContain('from 1 classification results and 2 task results');
    expect(md).toContain('| tiny-clip-shapes | shapes-dark | shapes-standard | all | 3.16 | 25.0 \\[5.5, 57.2\\] |');
    expect(md).toContain('| tiny-clip-shapes | shapes-standard-captions | none | 6 | 18 | 100.0 |');
    expect(md).toContain('| tiny-clip-shapes | shapes-shape | shapes-dark | none | 6 | 33.3 |');
  }, 60_000);
});
