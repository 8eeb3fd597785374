import { readFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { compareSchema } from '../../src/compare/schema.js';
import { HAND, handResult, itemId, writeDir } from './pairFixture.js';

/** SciPy's numbers for the hand case's table (5, 1, 4, 2): scripts/reference/paired_difference_scipy.py. */
const reference = (JSON.parse(readFileSync(new URL('../fixtures/compare/paired-difference.json', import.meta.url), 'utf8')) as { cases: { table: number[]; ci: [number, number] }[] })
  .cases.find((c) => c.table.join() === '5,1,4,2')!;

async function handDirs(): Promise<[string, string]> {
  return [await writeDir([handResult('model-a', HAND[0])]), await writeDir([handResult('model-b', HAND[1])])];
}

async function resultFile(dir: string): Promise<string> {
  return join(dir, (await readdir(dir)).find((f) => f.endsWith('.json'))!);
}

describe('zeroshift compare: the hand-computed case end to end', () => {
  it('prints, writes and validates the paired numbers', async () => {
    const [a, b] = await handDirs();
    const out = join(a, 'cmp');
    const r = await cli(['compare', a, b, '-o', out, '--flips', '3', '--top-classes', '2', '--no-thumbnails']);
    expect(r.code, r.stderr).toBe(0);
    // accuracies 6/12 and 9/12; B − A = 3/12; McNemar exact p = 2·P(X ≤ 1 | 5, ½) = 2·6/32.
    expect(r.stdout).toMatch(/shapes-standard\s+-\s+p\s+12\s+50\.0\s+75\.0\s+\+25\.0 \[−12\.5, \+54\.4\]\s+0\.3750\s+1\s+4/);
    const json = compareSchema.parse(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')));
    const u = json.units[0];
    expect(json.units).toHaveLength(1);
    expect([u.n, u.accA, u.accB, u.difference.estimate]).toEqual([12, 0.5, 0.75, 0.25]);
    expect(u.mcnemarP).toBeCloseTo(0.375, 14);
    expect(u.table).toEqual({ bothRight: 5, onlyA: 1, onlyB: 4, bothWrong: 2 });
    expect(u.difference.ci[0]).toBeCloseTo(reference.ci[0], 12);
    expect(u.difference.ci[1]).toBeCloseTo(reference.ci[1], 12);
    // Flips: A's most confident mistakes first (7: 0.9, 9: 0.8, 8: 0.7; 6 is the fourth), capped at 3.
    expect(u.lost.map((f) => f.id)).toEqual([itemId(5)]);
    expect(u.gained.map((f) => f.id)).toEqual([7, 9, 8].map(itemId));
    expect(u.gained[0]).toMatchObject({ label: 'pentagon', a: { predicted: 'hexagon', score: 0.9 }, b: { predicted: 'pentagon' } });
    // Classes 0, 2 and 3 each gain one of three items (+1/3); class 1 swaps one item for another (±0).
    expect(u.classes.map((c) => [c.name, c.n, c.change])).toEqual([['circle', 3, 1 / 3], ['triangle', 3, 1 / 3]]);
    expect(json.a.models).toEqual([expect.objectContaining({ name: 'model-a', dtype: 'fp32' })]);
    const md = await readFile(join(out, 'compare.md'), 'utf8');
    expect(md).toContain('| shapes-standard | - | p | 12 | 50.0 | 75.0 |');
    expect(md).toContain('A wrong, B right (3 of 4 shown)');
    const html = await readFile(join(out, 'compare.html'), 'utf8');
    expect(html).toContain('data-metric="difference" data-value="0.25"');
    expect(html).toContain('A✗B✓: 4 item(s) <small>(3 shown; all in <a href="compare-flips.jsonl">compare-flips.jsonl</a>)</small>');
    // Every flipped item, beyond the 3 shown: item 6 (A's fourth most confident mistake) too.
    const flips = (await readFile(join(out, 'compare-flips.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { unit: number; direction: string; id: string; shift: string | null });
    expect(flips.map((f) => [f.unit, f.direction, f.id, f.shift])).toEqual([
      [0, 'a-right-b-wrong', itemId(5), null],
      ...[7, 9, 8, 6].map((i) => [0, 'a-wrong-b-right', itemId(i), null]),
    ]);
  });

  it('embeds thumbnails of the flipped items, resolved from the dataset the results name', async () => {
    const [a, b] = await handDirs();
    const out = join(a, 'cmp');
    const r = await cli(['compare', a, b, '-o', out, '--flips', '2']);
    expect(r.code, r.stderr).toBe(0);
    const html = await readFile(join(out, 'compare.html'), 'utf8');
    // 1 lost + 2 gained shown, each with its image (64 px WebP: hundreds of them fit a page).
    expect(html.match(/<img src="data:image\/webp;base64,[A-Za-z0-9+/=]+" alt="shapes-standard-\d+">/g)).toHaveLength(3);
  });

  it('keeps compare.html small with thumbnails: 4 per direction and unit, 64 px WebP', async () => {
    // 12 units of 40 items with 26 lost and 4 gained each; the default --flips 12 in compare.json.
    const items = (right: (i: number) => boolean) => Array.from({ length: 40 }, (_, i) => ({ correct: right(i), score: 0.5 + i / 100 }));
    const [itemsA, itemsB] = [items((i) => i < 36), items((i) => i < 10 || i >= 36)];
    const shifts = ['contrast', 'brightness', 'fog'].flatMap((corruption) => [1, 3, 5].map((severity) => ({ corruption, severity })));
    const units = (model: string, its: typeof itemsA) => [handResult(model, its), ...shifts.map((shift) => handResult(model, its, { shift }))];
    const a = await writeDir(units('model-a', itemsA));
    const b = await writeDir(units('model-b', itemsB));
    const out = join(a, 'cmp');
    const r = await cli(['compare', a, b, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = await readFile(join(out, 'compare.html'), 'utf8');
    expect(html.match(/<img src="data:image\/webp;base64,/g)).toHaveLength(10 * 8);
    // Before: all 12 + 4 flips of each unit as 128 px PNG, 72.8 kB of page a unit; now 7.9 kB.
    expect(html.length / 10).toBeLessThanOrEqual(16_000);
  });

  it('picks two dtypes of one model from one directory with --a/--b', async () => {
    const dir = await writeDir([handResult('m', HAND[0]), handResult('m', HAND[1], { dtype: 'q8' })]);
    const r = await cli(['compare', dir, '--a', 'm:fp32', '--b', 'q8', '-o', join(dir, 'c'), '--no-thumbnails', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = compareSchema.parse(JSON.parse(r.stdout));
    expect([json.a.selector, json.b.selector, json.units[0].difference.estimate]).toEqual(['m:fp32', 'q8', 0.25]);
  });

  it('compares two prompt sets of one model on every shift with --a-prompts/--b-prompts', async () => {
    const run = (prompts: string, items: typeof HAND[0], shift: { corruption: string; severity: number } | null = null) => handResult('m', items, { shift, prompts });
    const fog = { corruption: 'fog', severity: 3 };
    const dir = await writeDir([run('p1', HAND[0]), run('p2', HAND[1]), run('p1', HAND[1], fog), run('p2', HAND[0], fog)]);
    const r = await cli(['compare', dir, '--a-prompts', 'p1', '--b-prompts', 'p2', '-o', join(dir, 'c'), '--no-thumbnails', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = compareSchema.parse(JSON.parse(r.stdout));
    expect(json.units.map((u) => [u.key.shift?.corruption ?? '-', u.key.prompts, u.difference.estimate])).toEqual([['-', 'p1 vs p2', 0.25], ['fog', 'p1 vs p2', -0.25]]);
    expect([json.a.selector, json.b.selector]).toEqual(['prompts=p1', 'prompts=p2']);
    const missing = await cli(['compare', dir, '--a-prompts', 'p1', '--b-prompts', 'p3', '-o', join(dir, 'c')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--b-prompts 'p3': no results with that prompt set in .*; did you mean 'p1'\?; prompt sets there: p1, p2/);
    const one = await cli(['compare', dir, '--b-prompts', 'p2', '--a', 'm', '-o', join(dir, 'c')]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/A \(.*\) has 2 results for shapes-standard · (no shift|fog:3) · p1: .*\n {2}hint: pick its prompt set with --a-prompts SET/);
  });

  it('lists units present on one side only and compares the rest', async () => {
    const a = await writeDir([handResult('a', HAND[0]), handResult('a', HAND[0], { shift: { corruption: 'fog', severity: 3 } })]);
    const b = await writeDir([handResult('b', HAND[1])]);
    const r = await cli(['compare', a, b, '-o', join(a, 'c'), '--no-thumbnails']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/not compared: shapes-standard · fog:3 · p is only in A \(.*fog-3.*\.json\)/);
    expect(r.stdout).toMatch(/Not compared \(1 unit\(s\) on one side only\):\n {2}only in A: shapes-standard · fog:3 · p/);
    const json = compareSchema.parse(JSON.parse(await readFile(join(a, 'c', 'compare.json'), 'utf8')));
    expect(json.unpaired).toEqual([expect.objectContaining({ side: 'a', key: { dataset: 'shapes-standard', shift: { corruption: 'fog', severity: 3 }, prompts: 'p' } })]);
  });
});

describe('zeroshift compare refuses what it cannot pair', () => {
  it.each([
    ['dataset.fingerprint', (r: ReturnType<typeof handResult>) => { r.result.dataset.fingerprint = 'f'.repeat(64); }],
    ['scoringProtocol', (r: ReturnType<typeof handResult>) => { r.result.scoringProtocol = { classColumns: [0, 1, 2, 3, 4, 5, 6, 7], labelColumns: null, crop: null }; }],
    ['items', (r: ReturnType<typeof handResult>) => { r.predictions[3].id = 'another-image'; }],
  ])('a pair that differs in %s: exit 2 naming both files and the field', async (field, change) => {
    const b = handResult('b', HAND[1]);
    change(b);
    const [da, db] = [await writeDir([handResult('a', HAND[0])]), await writeDir([b])];
    const r = await cli(['compare', da, db, '-o', join(da, 'c'), '--no-thumbnails']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot compare shapes-standard · no shift · p: ${await resultFile(da)} and ${await resultFile(db)} differ in ${field} (`);
  });

  it('results of different datasets: nothing in common', async () => {
    const other = handResult('b', HAND[1]);
    other.result.dataset.name = 'shapes-dark';
    const [da, db] = [await writeDir([handResult('a', HAND[0])]), await writeDir([other])];
    const r = await cli(['compare', da, db, '-o', join(da, 'c')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to compare: A \(.*\) and B \(.*\) have no dataset × shift × prompts in common \(A: shapes-standard · no shift · p; B: shapes-dark · no shift · p\)/);
  });

  it('a predictions file that disagrees with its result', async () => {
    const [da, db] = await handDirs();
    const pred = join(db, (await readdir(db)).find((f) => f.endsWith('.predictions.jsonl'))!);
    const lines = (await readFile(pred, 'utf8')).trim().split('\n');
    await writeFile(pred, `${lines.slice(1).join('\n')}\n`);
    const r = await cli(['compare', da, db, '-o', join(da, 'c')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/predictions \(11 items, top-1 8\/11\) disagree with the result \(n 12, top-1 0\.75\)/);
  });

  it('one directory without --a/--b, an unknown model, two results of one unit', async () => {
    const dir = await writeDir([handResult('tiny-clip-shapes', HAND[0]), handResult('tiny-clip-shapes', HAND[1], { dtype: 'q8' })]);
    const one = await cli(['compare', dir]);
    expect([one.code, one.stderr]).toEqual([2, expect.stringMatching(/with one results directory, --a and --b \(or --a-prompts and --b-prompts\) pick the two sides/)]);
    const unknown = await cli(['compare', dir, '--a', 'tiny-clip-shape', '--b', 'q8']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--a 'tiny-clip-shape': no results of model 'tiny-clip-shape' in .*; did you mean 'tiny-clip-shapes'\?; models there: tiny-clip-shapes/);
    const noDtype = await cli(['compare', dir, '--a', 'fp32', '--b', 'tiny-clip-shapes:fp16']);
    expect(noDtype.stderr).toMatch(/--b 'tiny-clip-shapes:fp16': no fp16 results of model 'tiny-clip-shapes' in .*; dtypes there: fp32, q8/);
    const same = await cli(['compare', dir, dir, '--a', 'q8', '--b', 'q8', '-o', join(dir, 'c'), '--no-thumbnails']);
    expect([same.code, same.stderr]).toEqual([0, expect.stringMatching(/warning: A and B are the same results/)]);
    const both = await cli(['compare', dir, dir, '-o', join(dir, 'c')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/A \(.*\) has 2 results for shapes-standard · no shift · p: .*\(tiny-clip-shapes, (fp32|q8), p\), .*\(tiny-clip-shapes, (fp32|q8), p\)\n {2}hint: pick one side's model with --a MODEL\[:DTYPE\]/);
  });
});
