/** CPU and CUDA results of one model are told apart everywhere they are named, as dtypes are. */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/cli/summaryTable.js';
import { checkReportInputs } from '../../src/report/checkInputs.js';
import { writeReport } from '../../src/report/writeReport.js';
import { modelLabel } from '../../src/results/modelLabel.js';
import { keyOfResult, legacyBaseName, resultBaseName } from '../../src/results/paths.js';
import { resultSchema, type Result } from '../../src/results/schema.js';
import { indexRows } from '../../src/results/indexCsv.js';
import { makeResult } from './resultFactory.js';

/** One model's result as recorded on `provider` (cpu: not recorded), at `dtype`. */
function on(provider: 'cpu' | 'cuda', dtype: Result['model']['dtype'] = 'fp32', o: Parameters<typeof makeResult>[0] = {}): Result {
  const r = makeResult({ model: 'm', ...o });
  r.model.dtype = dtype;
  if (provider === 'cuda') r.model.executionProvider = 'cuda';
  r.id = `${r.id}-${provider}-${dtype}`;
  return r;
}

describe('execution provider in the result identity', () => {
  it('labels a model by dtype and provider unless fp32 on cpu', () => {
    expect(modelLabel(on('cpu').model)).toBe('m');
    expect(modelLabel(on('cuda').model)).toBe('m (cuda)');
    expect(modelLabel(on('cuda', 'q8').model)).toBe('m (q8, cuda)');
    expect(modelLabel(on('cpu', 'q8').model)).toBe('m (q8)');
  });

  it('is in the file name unless cpu; the cpu and legacy names are unchanged', () => {
    expect(resultBaseName(keyOfResult(on('cpu')))).toMatch(/^m__shapes-standard__none__p__/);
    expect(resultBaseName(keyOfResult(on('cuda')))).toMatch(/^m-cuda__shapes-standard__none__p__/);
    expect(resultBaseName(keyOfResult(on('cuda', 'q8')))).toMatch(/^m-q8-cuda__shapes-standard__none__p__/);
    expect(legacyBaseName(keyOfResult(on('cuda', 'q8')))).toBe('m__shapes-standard__none__p');
  });

  it('reads an unknown provider as an error, and cpu results without the field', () => {
    expect(resultSchema.safeParse({ ...on('cpu'), predictionsFile: 'x' }).success).toBe(true);
    expect(resultSchema.safeParse({ ...on('cpu'), model: { ...on('cpu').model, executionProvider: 'tpu' } }).success).toBe(false);
  });

  it('report takes cpu and cuda runs of one model as two runs, and a refusal names the provider', () => {
    expect(checkReportInputs([on('cpu'), on('cuda')], ['a.json', 'b.json']).keep).toEqual([0, 1]);
    expect(() => checkReportInputs([on('cuda'), on('cuda', 'fp32', { n: 500 })], ['a.json', 'b.json'])).toThrow(/2 different results for m \(cuda\) × shapes-standard × none × p with mixed n/);
  });

  it('the eval table, index.csv, summary.csv and the report name the provider', async () => {
    const results = [on('cpu', 'fp32', { acc1: 0.6 }), on('cuda', 'fp32', { acc1: 0.55 })];
    expect(summaryTable(results)).toMatch(/^m \(cuda\) /m);
    expect(indexRows(results).map((r) => [r.dtype, r.execution_provider])).toEqual([['fp32', 'cpu'], ['fp32', 'cuda']]);
    const outDir = join(mkdtempSync(join(tmpdir(), 'zs-ep-')), 'report');
    const written = await writeReport(results, { outDir, replicates: 0 });
    const csv = Papa.parse<Record<string, string>>(await readFile(written.csv, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(csv.map((r) => [r.model, r.dtype, r.execution_provider])).toEqual([['m', 'fp32', 'cpu'], ['m', 'fp32', 'cuda']]);
    const md = await readFile(written.md, 'utf8');
    expect(md).toMatch(/^\| m \(cuda\) \| p \| shapes \|/m);
    expect(md).toMatch(/^\| m \| p \| shapes \|/m);
    expect(await readFile(written.html, 'utf8')).toContain('<th scope="row">m (cuda)</th>');
  });
});
