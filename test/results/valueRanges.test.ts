/** Values out of range are refused where a result is read: report and compare alike, one check. */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultRangeProblem } from '../../src/results/valueRanges.js';
import type { Result } from '../../src/results/schema.js';
import { cli } from '../helpers/cli.js';
import { syntheticResults, writeSyntheticResults } from '../report/syntheticResults.js';

const base = (): Result => syntheticResults(3, 16)[0].result;

describe('result value ranges', () => {
  it('accepts what zeroshift writes', () => {
    for (const { result } of syntheticResults(3, 16)) expect(resultRangeProblem(result)).toBeNull();
  });

  it.each<[string, (r: Result) => void, RegExp]>([
    ['acc1 above 1', (r) => { r.metrics.acc1 = 2.5; }, /metrics\.acc1 2\.5 is outside \[0, 1\]/],
    ['an interval that does not hold its value', (r) => { r.metrics.acc1Ci = [0.9, 0.95]; r.metrics.acc1 = 0.5; }, /metrics\.acc1Ci \[0\.9, 0\.95\] does not hold metrics\.acc1 0\.5/],
    ['an inverted interval', (r) => { r.metrics.acc1Ci = [0.7, 0.2]; }, /metrics\.acc1Ci \[0\.7, 0\.2\] does not hold/],
    ['a negative ECE', (r) => { r.metrics.ece = -0.1; }, /metrics\.ece -0\.1 is outside \[0, 1\]/],
    ['per-class n that do not sum to n', (r) => { r.perClass[0].n += 1; r.perClass[0].accuracy = r.perClass[0].correct / r.perClass[0].n; }, /perClass n sum to \d+, but metrics\.n is 16/],
    ['more correct than items in a class', (r) => { r.perClass[1].correct = r.perClass[1].n + 1; }, /perClass\[1\] correct \d+ is more than its n/],
    ['per-class corrects that are not acc1', (r) => { r.metrics.acc1 = Math.min(1, r.metrics.acc1 + 0.0625); r.metrics.acc1Ci = [0, 1]; }, /perClass correct sum to \d+ of 16 .*but metrics\.acc1 is/],
  ])('refuses %s', (_, edit, message) => {
    const r = base();
    edit(r);
    expect(resultRangeProblem(r)).toMatch(message);
  });

  it('report and compare both exit 2 on acc1 2.5 with CI [3, -1], naming the file and key', async () => {
    const dir = await writeSyntheticResults(3, 16);
    const file = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()[0];
    const raw = JSON.parse(await readFile(join(dir, file), 'utf8')) as Result;
    raw.metrics.acc1 = 2.5;
    raw.metrics.acc1Ci = [3, -1];
    await writeFile(join(dir, file), JSON.stringify(raw));
    const report = await cli(['report', dir, '--out', join(dir, 'out')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(new RegExp(`${file.replace(/\./g, '\\.')}: invalid result: metrics\\.acc1 2\\.5 is outside \\[0, 1\\]`));
    const compare = await cli(['compare', dir, dir]);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toMatch(/invalid result: metrics\.acc1 2\.5 is outside \[0, 1\]/);
  });
});
