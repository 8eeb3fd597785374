/** fp32 and q8 results of one model are told apart everywhere they are named. */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/cli/summaryTable.js';
import { checkReportInputs } from '../../src/report/checkInputs.js';
import { writeReport } from '../../src/report/writeReport.js';
import { legacyBaseName, resultBaseName, keyOfResult } from '../../src/results/paths.js';
import { indexRows } from '../../src/results/indexCsv.js';
import type { Result } from '../../src/results/schema.js';
import { makeResult } from './resultFactory.js';

/** One model's result at `dtype` (its own graph hash, so its own id). */
function at(dtype: Result['model']['dtype'], o: Parameters<typeof makeResult>[0] = {}): Result {
  const r = makeResult({ model: 'm', ...o });
  r.model.dtype = dtype;
  r.model.hashes.visionModel = `${dtype}`.padEnd(64, '0');
  r.id = `${r.id}-${dtype}`;
  return r;
}

describe('dtype in the result identity', () => {
  it('is in the file name unless fp32; the legacy name (for migration) is unchanged', () => {
    const q8 = at('q8');
    expect(resultBaseName(keyOfResult(q8))).toMatch(/^m-q8__shapes-standard__none__p__/);
    expect(resultBaseName(keyOfResult(at('fp32')))).toMatch(/^m__shapes-standard__none__p__/);
    expect(legacyBaseName(keyOfResult(q8))).toBe('m__shapes-standard__none__p');
  });

  it('report takes fp32 and q8 of one model as two runs, and a refusal names the dtype', () => {
    const fp32 = at('fp32');
    const q8 = at('q8');
    expect(checkReportInputs([fp32, q8], ['a.json', 'b.json']).keep).toEqual([0, 1]);
    const q8b = at('q8', { n: 500 });
    expect(() => checkReportInputs([q8, q8b], ['a.json', 'b.json'])).toThrow(/2 different results for m \(q8\) × shapes-standard × none × p with mixed n/);
  });

  it('the eval table, index.csv, summary.csv and the report name the dtype', async () => {
    const results = [at('fp32', { acc1: 0.6 }), at('q8', { acc1: 0.55 })];
    expect(summaryTable(results)).toMatch(/m \(q8\)/);
    expect(indexRows(results).map((r) => r.dtype)).toEqual(['fp32', 'q8']);
    const outDir = join(mkdtempSync(join(tmpdir(), 'zs-dtype-')), 'report');
    const written = await writeReport(results, { outDir, replicates: 0 });
    const csv = Papa.parse<Record<string, string>>(await readFile(written.csv, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(csv.map((r) => [r.model, r.dtype])).toEqual([['m', 'fp32'], ['m', 'q8']]);
    const md = await readFile(written.md, 'utf8');
    expect(md).toMatch(/^\| m \(q8\) \| p \| shapes \|/m);
    expect(md).toMatch(/^\| m \| p \| shapes \|/m);
    const html = await readFile(written.html, 'utf8');
    expect(html).toContain('<th scope="row">m (q8)</th>');
  });
});
