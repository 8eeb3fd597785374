import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/eval/plan.js';
import { runPlan } from '../../src/eval/runPlan.js';
import { suiteMeans, writeSuiteMeans } from '../../src/eval/suiteMeans.js';
import { suiteAveragesSchema } from '../../src/results/suiteAverages.js';
import { meanCoverage } from '../../src/results/meanCoverage.js';
import { suiteMeanLines } from '../../src/cli/commands/evalTasks.js';
import { suiteAveragesFrom } from '../../src/report/taskSection.js';
import { silentLogger } from '../../src/util/log.js';

const root = mkdtempSync(join(tmpdir(), 'zs-suite-means-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLORS: Record<string, [number, number, number]> = { red: [220, 30, 30], green: [30, 190, 50], blue: [30, 50, 220], yellow: [235, 225, 30] };
const images = join(root, 'val2017');
/** Two SugarCrepe-layout files: (id, image, caption colour, negative colour). */
const FILES: Record<string, [string, string, string, string][]> = {
  swap_att: [['0', 'red', 'red', 'blue'], ['4', 'green', 'green', 'red'], ['9', 'blue', 'yellow', 'blue']],
  add_obj: [['1', 'yellow', 'yellow', 'green'], ['2', 'red', 'blue', 'red'], ['3', 'green', 'green', 'yellow'], ['5', 'blue', 'blue', 'red']],
};

function writeSuite(name: string, averages: unknown): string {
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify({
    schemaVersion: 1, name, models: ['tiny-clip-shapes'],
    datasets: Object.keys(FILES).map((k) => ({ spec: `sugarcrepe:${join(root, `${k}.json`)}?images=${images}`, name: `sc-${k}` })),
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
