/**
 * Names users choose (model, dataset, prompt set) reach index.csv and summary.csv; none may be
 * a live spreadsheet formula there, and the result JSON keeps them exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { readResult, writeResult } from '../../src/results/store.js';
import { rebuildIndex } from '../../src/results/indexCsv.js';
import { loadResults } from '../../src/report/loadResults.js';
import { writeReport } from '../../src/report/writeReport.js';
import { FORMULA_CELL } from '../../src/util/csv.js';
import { makeResult } from '../report/resultFactory.js';

const HOSTILE = ['=HYPERLINK("http://evil","x")', '+1+cmd|calc', '-2+3+cmd', '@SUM(1)', '\tTAB', '\rCR'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-csv-injection-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function liveFormulas(csvText: string): string[] {
  const cells = Papa.parse<string[]>(csvText.trim()).data.flat();
  return cells.filter((c) => FORMULA_CELL.test(c));
}

describe('CSV formula injection', () => {
  it('index.csv and summary.csv hold no live formula; the JSON keeps the names exactly', async () => {
    const files: string[] = [];
    for (const [i, name] of HOSTILE.entries()) {
      const r = makeResult({ model: name, prompts: HOSTILE[(i + 1) % HOSTILE.length], acc1: 0.5 + i / 100, n: 100 });
      r.dataset.name = HOSTILE[(i + 2) % HOSTILE.length];
      files.push(await writeResult(dir, r, []));
    }
    const index = readFileSync(await rebuildIndex(dir), 'utf8');
    expect(liveFormulas(index)).toEqual([]);
    // Every hostile name is there, neutralised with a leading quote.
    const cells = Papa.parse<string[]>(index.trim()).data.flat();
    for (const name of HOSTILE) expect(cells).toContain(`'${name}`);
    // Numbers stay numbers.
    const rows = Papa.parse<Record<string, string>>(index.trim(), { header: true }).data;
    for (const row of rows) expect(Number.isFinite(Number(row.acc1)) && Number.isFinite(Number(row.acc1_ci_low))).toBe(true);

    const loaded = await loadResults([dir]);
    const report = await writeReport(loaded.results, { outDir: join(dir, 'report'), replicates: 0 });
    const summary = readFileSync(report.csv, 'utf8');
    expect(liveFormulas(summary)).toEqual([]);
    expect(Papa.parse<string[]>(summary.trim()).data.flat()).toContain(`'${HOSTILE[0]}`);

    const names = await Promise.all(files.map(async (f) => (await readResult(f)).model.name));
    expect(names.sort()).toEqual([...HOSTILE].sort());
  });
});
