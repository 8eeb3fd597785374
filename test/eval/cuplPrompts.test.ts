import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { loadModel } from '../../src/model/loadModel.js';
import { openDataset } from '../../src/datasets/registry.js';
import { classifierFor } from '../../src/tasks/classifiers.js';
import { promptsFor } from '../../src/eval/resources.js';
import { plainProtocol } from '../../src/datasets/scoringProtocol.js';
import { silentLogger } from '../../src/util/log.js';
import type { ClipModel } from '../../src/model/types.js';
import type { EvalUnit } from '../../src/tasks/unit.js';
import type { Result } from '../../src/results/schema.js';

const SHAPES = ['circle', 'square', 'triangle', 'pentagon', 'hexagon', 'star', 'cross', 'diamond'];
// CuPL-style sentences, one list per shape class (schemaVersion 2, no templates).
const CLASS_PROMPTS = SHAPES.map((s) => [`A ${s} is a flat shape.`, `A drawing of a ${s} on a plain background.`, `The ${s} is the only shape in the picture.`]);

let tmp: string;
let file: string;
let model: ClipModel;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-cupl-'));
  file = join(tmp, 'shapes-cupl.json');
  await writeFile(file, JSON.stringify({ schemaVersion: 2, name: 'shapes-cupl', source: 'hand-written', classNames: SHAPES, templates: [], classPrompts: CLASS_PROMPTS }));
  model = await loadModel('tiny-clip-shapes');
});
afterAll(async () => model.dispose());

describe('per-class prompt sets in eval and compare-prompts', () => {
  it("eval's classifier from a per-class set equals the sentences' embeddings normalised, averaged and normalised", async () => {
    const dataset = await openDataset('shapes:standard?n=8');
    const unit: EvalUnit = {
      modelRef: 'tiny-clip-shapes', shift: null, promptSets: [{ set: file }], ensembling: 'clip',
      target: { spec: dataset.spec, family: null, variant: null, isStandard: false, subset: null, protocol: null, scoringProtocol: plainProtocol() },
    };
    const sel = await promptsFor({ set: file }, unit, dataset);
    const built = await classifierFor({ set: file }, sel, unit, { model, dataset, cacheDir: null, log: silentLogger });
    const dim = model.info.embedDim;
    for (let k = 0; k < SHAPES.length; k++) {
      const emb = await model.encodeText(CLASS_PROMPTS[k]);
      const mean = new Float64Array(dim);
      for (let r = 0; r < CLASS_PROMPTS[k].length; r++) {
        const row = emb.subarray(r * dim, (r + 1) * dim);
        const n = Math.hypot(...row);
        row.forEach((x, d) => (mean[d] += x / n));
      }
      const n = Math.hypot(...mean);
      mean.forEach((x, d) => expect(built.weights[k * dim + d]).toBeCloseTo(x / n, 6));
    }
    expect(built.prompt.templates).toEqual([]);
    expect(built.prompt.classPrompts?.texts).toBe(24);
  });

  it('compare-prompts ranks a per-class set against a template set; results record the sentences count', async () => {
    const out = join(tmp, 'cp');
    const r = await cli(['compare-prompts', '--dataset', 'shapes:standard', '--n', '16', '--prompts', file, '--prompts', 'shapes-shape', '--out', out, '--cache-dir', join(tmp, 'c'), '--no-progress', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [group] = JSON.parse(r.stdout) as { ranking: { prompts: string; templates: number }[] }[];
    expect(group.ranking.map((x) => x.prompts).sort()).toEqual(['shapes-cupl', 'shapes-shape']);
    const results = await Promise.all((await readdir(out)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(out, f), 'utf8')) as Result));
    const cupl = results.find((x) => x.prompts.name === 'shapes-cupl');
    expect(cupl?.prompts.classPrompts?.texts).toBe(24);
    expect(cupl?.prompts.templates).toEqual([]);
    const each = await cli(['compare-prompts', '--dataset', 'shapes:standard', '--n', '16', '--prompts', file, '--each-template', '--out', out, '--no-cache', '--no-progress']);
    expect(each.code).toBe(2);
    expect(each.stderr).toMatch(/has no templates, only per-class sentences \(classPrompts\); nothing to compare one template at a time/);
  });
});
