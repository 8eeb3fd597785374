import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClassificationGroups } from '../../src/tasks/groupResults.js';
import type { Prediction, Result } from '../../src/results/schema.js';
import { resultSchema } from '../../src/results/schema.js';
import { plainProtocol } from '../../src/datasets/scoringProtocol.js';
import { makeTar } from '../datasets/helpers/tarWriter.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-groups-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A result shell around hand-made predictions (only the fields groups read matter). */
function shell(numClasses: number, acc5: boolean): Result {
  return { scoringProtocol: plainProtocol(), metrics: { n: 0, acc1: 0, acc1Ci: [0, 0], meanPerClassRecall: 0, ece: 0, ...(acc5 ? { acc5: 0 } : {}) }, dataset: { spec: 'x:y', numClasses } } as unknown as Result;
}
const pred = (id: string, label: number, top: number[]): Prediction => ({ id, label, top, scores: top.map(() => 0), correct: top[0] === label });

describe('addClassificationGroups (hand-computed)', () => {
  it('splits predictions by a metadata field, puts items without it in (missing) and ranks named groups', () => {
    const preds = [pred('a', 0, [0]), pred('b', 1, [0]), pred('c', 1, [1]), pred('d', 0, [0]), pred('e', 1, [0]), pred('f', 0, [1])];
    const meta = new Map<string, Record<string, unknown> | undefined>([
      ['a', { region: 'Europe' }], ['b', { region: 'Europe' }], ['c', { region: 'Europe' }],
      ['d', { region: 'Africa' }], ['e', { region: 'Africa' }], ['f', {}],
    ]);
    const r = shell(2, false);
    addClassificationGroups(r, preds, meta, [{ field: 'region' }]);
    // Europe: a ✓ (0), b ✗ (1), c ✓ (1) → 2/3; per class: class 0 1/1, class 1 1/2 → 0.75.
    // Africa: d ✓ (0), e ✗ (1) → 1/2; per class 1 and 0 → 0.5. (missing): f ✗.
    expect(r.groups!.region.Europe).toMatchObject({ n: 3, acc1: 2 / 3, meanPerClassRecall: 0.75 });
    expect(r.groups!.region.Africa).toMatchObject({ n: 2, acc1: 0.5, meanPerClassRecall: 0.5 });
    expect(r.groups!.region['(missing)']).toMatchObject({ n: 1, acc1: 0 });
    expect(r.groupSummary!.region).toEqual({ by: 'acc1', worst: { value: 'Africa', acc1: 0.5 }, best: { value: 'Europe', acc1: 2 / 3 }, gap: 2 / 3 - 0.5 });
    // Clopper-Pearson 95 % for 1/2: [0.025/2-quantile bound] = [0.01257911, 0.98742089].
    expect(r.groups!.region.Africa.acc1Ci[0]).toBeCloseTo(0.0125791, 6);
    expect(r.groups!.region.Africa.acc1Ci[1]).toBeCloseTo(0.9874209, 6);
  });

  it('ranks by top-5 when asked (Dollar Street) and refuses it with fewer than 5 classes', () => {
    // Group x: top-1 1/2, top-5 2/2; group y: top-1 2/2, top-5 2/2 except one miss → 1/2.
    const preds = [pred('1', 3, [3, 0, 1, 2, 4]), pred('2', 5, [0, 1, 2, 3, 5]), pred('3', 2, [2, 0, 1, 3, 4]), pred('4', 6, [1, 0, 2, 3, 4])];
    const meta = new Map([['1', { g: 'x' }], ['2', { g: 'x' }], ['3', { g: 'y' }], ['4', { g: 'y' }]]);
    const r = shell(7, true);
    addClassificationGroups(r, preds, meta, [{ field: 'g', by: 'acc5' }]);
    expect(r.groups!.g.x).toMatchObject({ acc1: 0.5, acc5: 1 });
    expect(r.groups!.g.y).toMatchObject({ acc1: 0.5, acc5: 0.5 });
    expect(r.groupSummary!.g).toEqual({ by: 'acc5', worst: { value: 'y', acc1: 0.5, metric: 0.5 }, best: { value: 'x', acc1: 0.5, metric: 1 }, gap: 0.5 });
    expect(() => addClassificationGroups(shell(3, false), preds, meta, [{ field: 'g', by: 'acc5' }])).toThrow(/ranked by top-5 .* fewer than 5 scored classes/);
  });
});

/** Solid squares: the tiny model tells red from blue, so groups differ. */
async function square(path: string, rgb: [number, number, number]): Promise<void> {
  await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(path);
}

const COLORS: [number, number, number][] = [[230, 20, 20], [20, 40, 230], [20, 200, 40], [240, 230, 20], [250, 250, 250], [10, 10, 10]];
const REGION = ['north', 'north', 'south', 'south', 'east', 'none'];

function readOnlyResult(out: string): { result: Result; predictions: Prediction[]; index: Record<string, string>[] } {
  const file = readdirSync(out).find((f) => f.endsWith('.json') && !f.startsWith('.'))!;
  const result = resultSchema.parse(JSON.parse(readFileSync(join(out, file), 'utf8')));
  const predictions = readFileSync(join(out, result.predictionsFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Prediction);
  const index = Papa.parse<Record<string, string>>(readFileSync(join(out, 'index.csv'), 'utf8').trim(), { header: true }).data;
  return { result, predictions, index };
}

/** Groups recomputed here from the predictions file and the region each id was given. */
function expectGroupsMatch(result: Result, predictions: Prediction[], regionOf: (id: string) => string | undefined): void {
  const byRegion = new Map<string, boolean[]>();
  for (const p of predictions) {
    const g = regionOf(p.id) ?? '(missing)';
    byRegion.set(g, [...(byRegion.get(g) ?? []), p.label === p.top[0]]);
  }
  expect(Object.keys(result.groups!.region).sort()).toEqual([...byRegion.keys()].sort());
  for (const [g, list] of byRegion) {
    expect(result.groups!.region[g].n).toBe(list.length);
    expect(result.groups!.region[g].acc1).toBe(list.filter(Boolean).length / list.length);
  }
  const named = [...byRegion].filter(([g]) => g !== '(missing)').map(([g, l]) => [g, l.filter(Boolean).length / l.length] as const);
  expect(result.groupSummary!.region.worst.acc1).toBe(Math.min(...named.map(([, a]) => a)));
  expect(result.groupSummary!.region.best.acc1).toBe(Math.max(...named.map(([, a]) => a)));
}

const run = (dataset: string, out: string, ...extra: string[]) =>
  cli(['eval', '--dataset', dataset, '--model', 'tiny-clip-shapes', '--template', 'a photo of a {}.', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress', ...extra]);

describe('--group-by on zero-shot classification, end to end (tiny CLIP)', () => {
  beforeAll(async () => {
    // folder: class folders, a JSON beside each image except one, and one that is not JSON.
    for (const [c, name] of ['red', 'blue'].entries()) mkdirSync(join(root, 'folder', name), { recursive: true });
    for (let i = 0; i < COLORS.length; i++) {
      const cls = i % 2 === 0 ? 'red' : 'blue';
      await square(join(root, 'folder', cls, `img${i}.png`), COLORS[i]);
      if (REGION[i] !== 'none') writeFileSync(join(root, 'folder', cls, `img${i}.json`), JSON.stringify({ region: REGION[i] }));
    }
    await square(join(root, 'folder', 'red', 'bad.png'), [200, 0, 0]);
    writeFileSync(join(root, 'folder', 'red', 'bad.json'), '{"region": north');
  });

  it('folder with img.json sidecars: groups from the predictions, (missing), a bad JSON skipped, index.csv columns', async () => {
    const out = join(root, 'out-folder');
    const r = await run(`folder:${join(root, 'folder')}`, out, '--group-by', 'region');
    expect(r.code, r.stderr).toBe(0);
    const { result, predictions, index } = readOnlyResult(out);
    expect(result.skipped).toEqual([expect.objectContaining({ id: 'red/bad.png', reason: expect.stringMatching(/bad\.json is not JSON/) })]);
    expect(predictions).toHaveLength(6);
    const regionOf = (id: string): string | undefined => {
      const i = Number(/img(\d)/.exec(id)![1]);
      return REGION[i] === 'none' ? undefined : REGION[i];
    };
    expectGroupsMatch(result, predictions, regionOf);
    expect(result.groups!.region['(missing)'].n).toBe(1);
    expect(index[0]['worst_group:region']).toBe(result.groupSummary!.region.worst.value);
    expect(Number(index[0]['worst_group_acc1:region'])).toBe(result.groupSummary!.region.worst.acc1);
    expect(Number(index[0]['group_gap:region'])).toBe(result.groupSummary!.region.gap);
    // The eval table shows the worst group too (it had reached only index.csv).
    const worst = result.groupSummary!.region.worst;
    expect(r.stdout.split('\n')[0]).toMatch(/top-5 %\s+worst group$/);
    expect(r.stdout).toContain(`region=${worst.value} ${(100 * worst.acc1).toFixed(1)} %`);
  }, 120_000);

  it('csv metadata columns and a suite groupBy key give the same groups', async () => {
    const rows = COLORS.map((_, i) => `${i % 2 === 0 ? 'red' : 'blue'}/img${i}.png,${i % 2 === 0 ? 'red' : 'blue'},${REGION[i] === 'none' ? '' : REGION[i]}`);
    writeFileSync(join(root, 'folder', 'list.csv'), `path,label,region\n${rows.join('\n')}\n`);
    const out = join(root, 'out-csv');
    const suite = join(root, 'suite.json');
    writeFileSync(suite, JSON.stringify({ schemaVersion: 1, name: 'groups', models: ['tiny-clip-shapes'], datasets: [{ spec: `csv:${join(root, 'folder', 'list.csv')}`, groupBy: ['region'] }] }));
    const r = await cli(['eval', '--suite', suite, '--template', 'a photo of a {}.', '--out', out, '--cache-dir', join(root, 'cache'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const { result, predictions } = readOnlyResult(out);
    const regionOf = (id: string): string | undefined => {
      const i = Number(/img(\d)/.exec(id)![1]);
      return REGION[i] === 'none' ? undefined : REGION[i];
    };
    expectGroupsMatch(result, predictions, regionOf);
  }, 120_000);

  it('WebDataset KEY.json metadata', async () => {
    const dir = join(root, 'wds');
    mkdirSync(join(dir, 'test'), { recursive: true });
    writeFileSync(join(dir, 'classnames.txt'), 'red\nblue\n');
    writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
    const entries: { name: string; data: Uint8Array | string }[] = [];
    for (let i = 0; i < COLORS.length; i++) {
      entries.push({ name: `s${i}.png`, data: readFileSync(join(root, 'folder', i % 2 === 0 ? 'red' : 'blue', `img${i}.png`)) });
      entries.push({ name: `s${i}.cls`, data: String(i % 2) });
      if (REGION[i] !== 'none') entries.push({ name: `s${i}.json`, data: JSON.stringify({ region: REGION[i], income: 10 * i }) });
    }
    writeFileSync(join(dir, 'test', '0.tar'), makeTar(entries));
    const out = join(root, 'out-wds');
    const r = await run(`wds:${dir}`, out, '--group-by', 'region', '--group-by', 'income');
    expect(r.code, r.stderr).toBe(0);
    const { result, predictions } = readOnlyResult(out);
    const regionOf = (id: string): string | undefined => {
      const i = Number(/s(\d)$/.exec(id)![1]);
      return REGION[i] === 'none' ? undefined : REGION[i];
    };
    expectGroupsMatch(result, predictions, regionOf);
    // Numbers group by their JSON text.
    expect(Object.keys(result.groups!.income).sort()).toEqual(['(missing)', '0', '10', '20', '30', '40']);
  }, 120_000);

  it('WebDataset KEY.npy metadata vectors (DataComp fairness/WILDS layout) named by ?metadata-fields=, with an excluded group', async () => {
    const dir = join(root, 'wds-npy');
    mkdirSync(join(dir, 'test'), { recursive: true });
    writeFileSync(join(dir, 'classnames.txt'), 'red\nblue\n');
    writeFileSync(join(dir, 'test', 'nshards.txt'), '1\n');
    /** A 1-D int64 .npy as numpy.save writes it (v1.0 header, magic + header padded to a multiple of 64 bytes). */
    const npy = (values: number[]): Buffer => {
      let header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${values.length},), }`;
      header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
      const body = Buffer.alloc(8 * values.length);
      values.forEach((v, i) => body.writeBigInt64LE(BigInt(v), 8 * i));
      return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from([header.length, 0]), Buffer.from(header, 'latin1'), body]);
    };
    const entries: { name: string; data: Uint8Array | string }[] = [];
    for (let i = 0; i < COLORS.length; i++) {
      entries.push({ name: `s${i}.png`, data: readFileSync(join(root, 'folder', i % 2 === 0 ? 'red' : 'blue', `img${i}.png`)) });
      entries.push({ name: `s${i}.cls`, data: String(i % 2) });
      entries.push({ name: `s${i}.npy`, data: npy([i % 3, 1990 + i]) });
    }
    writeFileSync(join(dir, 'test', '0.tar'), makeTar(entries));
    const { parseNpyVector } = await import('../../src/datasets/npyMetadata.js');
    expect(parseNpyVector(npy([3, -2]), 'x')).toEqual({ ok: true, values: [3, -2] });
    const out = join(root, 'out-wds-npy');
    const r = await run(`wds:${dir}?metadata-fields=income_ds,year`, out, '--group-by', 'income_ds');
    expect(r.code, r.stderr).toBe(0);
    const { result, predictions } = readOnlyResult(out);
    const bucket = (id: string): string => String(Number(/s(\d)$/.exec(id)![1]) % 3);
    const want: Record<string, boolean[]> = {};
    for (const p of predictions) (want[bucket(p.id)] ??= []).push(p.label === p.top[0]);
    for (const [k, list] of Object.entries(want)) expect(result.groups!.income_ds[k].acc1).toBe(list.filter(Boolean).length / list.length);
    // groupSummary's exclusion (FMoW's region 'Other'): ranking without group '0'.
    const { groupSummary } = await import('../../src/metrics/groups.js');
    const s = groupSummary(result.groups!.income_ds, 'acc1', ['0'])!;
    expect([s.worst.value, s.best.value]).not.toContain('0');
  }, 120_000);

  it('exits 2 naming the field and the dataset when no item has it', async () => {
    const r = await run(`folder:${join(root, 'folder')}`, join(root, 'out-none'), '--group-by', 'income');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--group-by income: no item of dataset folder \(folder:.*\) has a metadata field 'income'; fields present: folder, region/);
  }, 120_000);

  it('shapes scenes: groups ride along each shift, and --skip-existing recomputes a result that lacks the field', async () => {
    const out = join(root, 'out-shapes');
    const first = await run('shapes:dark?n=40', out, '--shift', 'fog:3');
    expect(first.code, first.stderr).toBe(0);
    const again = await run('shapes:dark?n=40', out, '--shift', 'fog:3', '--group-by', 'color', '--skip-existing');
    expect(again.code, again.stderr).toBe(0);
    const files = readdirSync(out).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    expect(files).toHaveLength(2);
    for (const f of files) {
      const result = resultSchema.parse(JSON.parse(readFileSync(join(out, f), 'utf8')));
      // The first run wrote no groups: these come from the unit that --skip-existing did not reuse.
      expect(Object.values(result.groups!.color).reduce((s, g) => s + g.n, 0)).toBe(40);
    }
  }, 120_000);
});
