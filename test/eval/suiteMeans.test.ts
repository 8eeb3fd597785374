import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/eval/plan.js';
import { runPlan } from '../../src/eval/runPlan.js';
import { writeSuiteMeans } from '../../src/eval/suiteMeans.js';
import { suiteMeans } from '../../src/results/suiteMeans.js';
import { suiteAveragesSchema } from '../../src/results/suiteAverages.js';
import { meanCoverage } from '../../src/results/meanCoverage.js';
import { suiteMeanLines } from '../../src/cli/commands/evalTasks.js';
import { suiteAveragesFrom } from '../../src/report/taskSection.js';
import { silentLogger } from '../../src/util/log.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-suite-means-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLORS: Record<string, [number, number, number]> = { red: [220, 30, 30], green: [30, 190, 50], blue: [30, 50, 220], yellow: [235, 225, 30] };
const images = join(root, 'val2017');
/** Two SugarCrepe-layout files: (id, image, caption colour, negative colour). */
const FILES: Record<string, [string, string, string, string][]> = {
  swap_att: [['0', 'red', 'red', 'blue'], ['4', 'green', 'green', 'red'], ['9', 'blue', 'yellow', 'blue']],
  add_obj: [['1', 'yellow', 'yellow', 'green'], ['2', 'red', 'blue', 'red'], ['3', 'green', 'green', 'yellow'], ['5', 'blue', 'blue', 'red']],
};

function writeSuite(name: string, averages: unknown, extra: { datasets?: unknown[]; prompts?: string[] } = {}): string {
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    schemaVersion: 1, name, models: ['tiny-clip-shapes'],
    datasets: [...Object.keys(FILES).map((k) => ({ spec: `sugarcrepe:${join(root, `${k}.json`)}?images=${images}`, name: `sc-${k}` })), ...(extra.datasets ?? [])],
    ...(extra.prompts ? { prompts: extra.prompts } : {}),
    averages,
  }));
  return file;
}

beforeAll(async () => {
  mkdirSync(images, { recursive: true });
  for (const [name, [r, g, b]] of Object.entries(COLORS)) await sharp({ create: { width: 48, height: 40, channels: 3, background: { r, g, b } } }).png().toFile(join(images, `${name}.png`));
  for (const [k, entries] of Object.entries(FILES)) {
    writeFileSync(join(root, `${k}.json`), JSON.stringify(Object.fromEntries(entries.map(([id, img, pos, neg]) => [id, { filename: `${img}.png`, caption: `a ${pos} square`, negative_caption: `a ${neg} square` }]))));
  }
});

describe('a suite of SugarCrepe files with their mean', () => {
  it('runs each file as image_caption_selection and records the mean of its files\' acc, naming its count', async () => {
    const plan = await buildPlan({ suite: writeSuite('sc-mini', [{ name: 'SugarCrepe mean', datasets: 'all' }]), ensembling: 'clip', env: {} });
    expect(plan.suiteMembers.map((m) => m.label)).toEqual(['sc-swap_att', 'sc-add_obj']);
    const outDir = join(root, 'out');
    const outcome = await runPlan(plan, { outDir, cacheDir: null, batchSize: 8, decodeConcurrency: 2, exifRotate: false, skipExisting: false, argv: ['test'], log: silentLogger, model: {}, shiftAssets: plan.shiftAssets });
    expect(outcome.results).toEqual([]);
    expect(outcome.taskResults.map((t) => [t.task, t.dataset.name, t.selection?.n])).toEqual([['image_caption_selection', 'sugarcrepe-swap_att', 3], ['image_caption_selection', 'sugarcrepe-add_obj', 4]]);
    const written = await writeSuiteMeans(plan, outcome, outDir, null);
    const file = suiteAveragesSchema.parse(JSON.parse(readFileSync(written!.file, 'utf8')));
    const accs = outcome.taskResults.map((t) => t.selection!.acc.value);
    expect(file.members).toEqual({ 'SugarCrepe mean': ['sc-swap_att', 'sc-add_obj'] });
    expect(file.metrics).toEqual({ 'sc-swap_att': 'acc', 'sc-add_obj': 'acc' });
    expect(file.models).toEqual([{ model: 'tiny-clip-shapes', scores: { 'sc-swap_att': accs[0], 'sc-add_obj': accs[1] }, averages: { 'SugarCrepe mean': (accs[0] + accs[1]) / 2 }, missing: { 'SugarCrepe mean': [] } }]);
    expect(suiteMeanLines(file, written!.file)[0]).toMatch(/^SugarCrepe mean \(acc on clean results\), tiny-clip-shapes: [\d.]+ % \(mean of 2 of 2\)$/);
    expect(suiteAveragesFrom(file).rows[0].coverage).toEqual(['mean of 2 of 2']);
    // A shard holds part of the results: no means from it.
    expect(await writeSuiteMeans({ ...plan, shard: {} }, outcome, outDir, null)).toBeNull();

    // A file without a result is missing from its mean, and the count says so.
    const partial = suiteMeans(plan.suite!, plan.suiteMembers, [], outcome.taskResults.slice(1), null);
    expect(partial.models[0].averages['SugarCrepe mean']).toBe(accs[1]);
    expect(partial.models[0].missing['SugarCrepe mean']).toEqual(['sc-swap_att']);
    expect(meanCoverage(partial, partial.models[0], 'SugarCrepe mean')).toBe('mean of 1 of 2');
    // Shifted results never enter the clean mean.
    const shifted = outcome.taskResults.map((t) => ({ ...t, shift: { corruption: 'contrast', severity: 3 } })) as unknown as typeof outcome.taskResults;
    expect(suiteMeans(plan.suite!, plan.suiteMembers, [], shifted, null).models).toEqual([]);
    const textShifted = outcome.taskResults.map((t) => ({ ...t, textShift: { name: 'typo', severity: 2 } }));
    expect(suiteMeans(plan.suite!, plan.suiteMembers, [], textShifted, null).models).toEqual([]);
  }, 120_000);

  it('ships sugar-crepe: the 7 prepared files, which say how to prepare them when absent', async () => {
    const empty = join(root, 'no-data');
    mkdirSync(empty, { recursive: true });
    await expect(buildPlan({ suite: 'sugar-crepe', dataDir: empty, ensembling: 'clip', env: {} })).rejects.toThrow(/sugar-crepe\.json: dataset 'sugarcrepe\/add_att' is not prepared .*run: zeroshift prepare sugarcrepe\/add_att .*\(it prepares coco\/val2017 too\)/);
  });

  it('refuses an average naming a dataset the suite does not have', async () => {
    const file = writeSuite('sc-typo', [{ name: 'mean', datasets: ['sc-swap_att', 'sc-swap_atr'] }]);
    await expect(buildPlan({ suite: file, ensembling: 'clip', env: {} })).rejects.toThrow(/averages\[0\] \(mean\) names 'sc-swap_atr', not a dataset of the suite; its datasets: sc-swap_att, sc-add_obj/);
  });
});

/** The suite-averages file in `dir`, without createdAt (the only field a merge may change). */
function meansIn(dir: string): Record<string, unknown> {
  const names = readdirSync(dir).filter((n) => n.startsWith('suite-averages__'));
  expect(names).toEqual(['suite-averages__sc-sharded.json']);
  const { createdAt, ...rest } = suiteAveragesSchema.parse(JSON.parse(readFileSync(join(dir, names[0]), 'utf8')));
  void createdAt;
  return rest;
}

describe('a sharded suite with averages, merged', () => {
  // Two SugarCrepe files (selection) and a classification set under two prompt sets: the suite's
  // first (shapes-shape) sorts after the other (its class names rotated, so its top-1 differs):
  // merge reads files by name, and the mean must still count the first set.
  const suite = (): string => {
    const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../prompts/shapes-shape.json'), 'utf8')) as { classNames: string[] };
    const rotated = join(root, 'aa-rotated.json');
    writeFileSync(rotated, JSON.stringify({ ...shipped, name: 'aa-rotated', classNames: [...shipped.classNames.slice(1), shipped.classNames[0]] }));
    return writeSuite('sc-sharded', [{ name: 'all three', datasets: 'all' }, { name: 'SugarCrepe', datasets: ['sc-swap_att', 'sc-add_obj'] }], {
      datasets: [{ spec: 'shapes:standard?n=24&seed=3&task=shape', name: 'shapes' }],
      prompts: ['shapes-shape', rotated],
    });
  };
  const run = async (args: string[]): Promise<string> => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    return r.stderr;
  };

  it('writes the unsharded run\'s means (members, metrics, means, missing, limit), and the report shows them', async () => {
    const file = suite();
    const common = ['eval', '--suite', file, '--no-cache', '--no-progress', '--limit', '20'];
    await run([...common, '--out', join(root, 'whole')]);
    for (const i of [1, 2]) await run([...common, '--shard', `${i}/2`, '--out', join(root, `shard${i}`)]);
    // A shard holds part of the results: it writes no means of its own.
    for (const i of [1, 2]) expect(readdirSync(join(root, `shard${i}`)).filter((n) => n.startsWith('suite-averages__'))).toEqual([]);
    const whole = meansIn(join(root, 'whole'));
    const scores = (whole.models as { scores: Record<string, number> }[])[0].scores;
    expect(Object.keys(scores)).toEqual(['sc-swap_att', 'sc-add_obj', 'shapes']);
    // The first prompt set counts, and it differs from the other set (else the order would not matter).
    const index = readFileSync(join(root, 'whole', 'index.csv'), 'utf8').split('\n');
    const header = index[0].split(',');
    const acc = (prompts: string): number => Number(index.find((l) => l.split(',')[header.indexOf('prompts')] === prompts)!.split(',')[header.indexOf('acc1')]);
    expect(scores.shapes).toBeCloseTo(acc('shapes-shape'), 10);
    expect(acc('aa-rotated')).not.toBeCloseTo(acc('shapes-shape'), 3);

    const stderr = await run(['merge', join(root, 'shard1'), join(root, 'shard2'), '--out', join(root, 'merged')]);
    expect(meansIn(join(root, 'merged'))).toEqual(whole);
    expect(whole).toMatchObject({ limit: { n: 20, seed: 0 }, members: { 'all three': ['sc-swap_att', 'sc-add_obj', 'shapes'] } });
    expect(stderr).toMatch(/all three \(acc, top-1 on clean results\), tiny-clip-shapes: [\d.]+ % \(mean of 3 of 3\)/);
    expect(stderr).toMatch(/suite means written to .*merged\/suite-averages__sc-sharded\.json \(partial: --limit 20\)/);

    await run(['report', join(root, 'merged'), '--out', join(root, 'report')]);
    const md = readFileSync(join(root, 'report', 'report.md'), 'utf8');
    const mean = (whole.models as { averages: Record<string, number> }[])[0].averages['all three'];
    expect(md).toMatch(/all three/);
    expect(md).toContain((100 * mean).toFixed(1));
    expect(md).toMatch(/mean of 3 of 3/);
  }, 240_000);

  it('lists a member without a merged result as missing, and says why it writes none for older manifests', async () => {
    // A shard as if it had not run the unit of one SugarCrepe file: the mean must not read as complete.
    const withTask = readdirSync(join(root, 'shard1')).some((n) => n.startsWith('task-')) ? 'shard1' : 'shard2';
    const other = withTask === 'shard1' ? 'shard2' : 'shard1';
    const cut = join(root, `${withTask}-cut`);
    cpSync(join(root, withTask), cut, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(cut, 'shard-manifest.json'), 'utf8')) as { units: { key: string }[]; results: string[] };
    const dropped = manifest.results.find((n) => n.startsWith('task-'))!;
    const task = JSON.parse(readFileSync(join(cut, dropped), 'utf8')) as { dataset: { spec: string } };
    manifest.results = manifest.results.filter((n) => n !== dropped);
    manifest.units = manifest.units.filter((u) => !u.key.includes(task.dataset.spec));
    writeFileSync(join(cut, 'shard-manifest.json'), JSON.stringify(manifest));
    const stderr = await run(['merge', join(root, other), cut, '--out', join(root, 'merged-cut')]);
    const label = task.dataset.spec.includes('swap_att') ? 'sc-swap_att' : 'sc-add_obj';
    const cutMeans = meansIn(join(root, 'merged-cut')) as { models: { missing: Record<string, string[]> }[] };
    expect(cutMeans.models[0].missing).toEqual({ 'all three': [label], SugarCrepe: [label] });
    expect(stderr).toMatch(new RegExp(`all three .*\\(mean of 2 of 3; missing: ${label}\\)`));

    // Shards from before manifests recorded the means: none written, and the merge says why.
    const old = join(root, 'shard2-old');
    cpSync(join(root, 'shard2'), old, { recursive: true });
    const oldManifest = JSON.parse(readFileSync(join(old, 'shard-manifest.json'), 'utf8')) as { suite: { means?: unknown } };
    delete oldManifest.suite.means;
    writeFileSync(join(old, 'shard-manifest.json'), JSON.stringify(oldManifest));
    const oldOut = await run(['merge', join(root, 'shard1'), old, '--out', join(root, 'merged-old')]);
    expect(existsSync(join(root, 'merged-old', 'suite-averages__sc-sharded.json'))).toBe(false);
    expect(oldOut).toMatch(/no suite means written: .*shard2-old: written by a zeroshift that did not record the suite's means in shard-manifest\.json; rerun the shards/);
  }, 120_000);
});
