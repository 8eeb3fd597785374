import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const SCENES = join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes/reference-images/scenes');
const tmp = mkdtempSync(join(tmpdir(), 'zs-classify-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const run = cli;

const scene = (name: string) => join(SCENES, name);
const sceneShape = (name: string) => (JSON.parse(readFileSync(scene(name.replace('.png', '.json')), 'utf8')) as { shape: string }).shape;
const SHAPES = 'circle,square,triangle,pentagon,hexagon,star,cross,diamond';
const STANDARD = ['standard-00000.png', 'standard-00001.png', 'standard-00002.png', 'standard-00003.png'];

interface JsonResult { model: string; results: { image: string; predictions: { label: string; probability: number }[] }[] }

describe('zeroshift classify', () => {
  it('ranks the true shape first on standard scenes (text output)', async () => {
    const { code, stdout } = await run(['classify', ...STANDARD.map(scene), '--labels', SHAPES, '--top', '1']);
    expect(code).toBe(0);
    const blocks = stdout.trim().split('\n');
    expect(blocks).toHaveLength(2 * STANDARD.length);
    STANDARD.forEach((name, i) => {
      expect(blocks[2 * i]).toBe(scene(name));
      expect(blocks[2 * i + 1]).toMatch(new RegExp(`^  [01]\\.\\d{4}  ${sceneShape(name)}$`));
    });
  });

  it('prints sorted softmax probabilities summing to 1 with --json', async () => {
    const { code, stdout } = await run(['classify', scene('standard-00002.png'), '--labels', SHAPES, '--json', '--dtype', 'q8']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as JsonResult;
    expect(doc.model).toBe('tiny-clip-shapes');
    const preds = doc.results[0].predictions;
    expect(preds).toHaveLength(8);
    expect(preds.reduce((a, p) => a + p.probability, 0)).toBeCloseTo(1, 6);
    for (let i = 1; i < preds.length; i++) expect(preds[i].probability).toBeLessThanOrEqual(preds[i - 1].probability);
    expect(preds[0].label).toBe(sceneShape('standard-00002.png'));
  });

  it('exits 2 for fewer than 2 labels, naming the flag', async () => {
    const { code, stderr } = await run(['classify', scene('standard-00000.png'), '--labels', 'circle, ']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--labels needs at least 2 comma-separated labels, got 1/);
  });

  it('exits 2 for a missing file and for a non-image file, naming the path', async () => {
    const missing = await run(['classify', join(tmp, 'nope.png'), '--labels', 'a,b']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`not found: ${join(tmp, 'nope.png')}`);
    const fake = join(tmp, 'fake.jpg');
    writeFileSync(fake, 'plain text, not a JPEG');
    const bad = await run(['classify', fake, '--labels', 'a,b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${fake}: not an image`);
  });

  it('exits 2 for a model directory missing a file, listing it', async () => {
    const dir = join(tmp, 'model');
    cpSync(join(PACKAGE_ROOT, 'models/tiny-clip-shapes'), dir, { recursive: true });
    rmSync(join(dir, 'tokenizer_config.json'));
    const { code, stderr } = await run(['classify', scene('standard-00000.png'), '--labels', 'a,b', '--model', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing 1 file\(s\): .*tokenizer_config\.json/);
  });

  it('exits 2 for a template without {} and for an unknown --dtype', async () => {
    expect((await run(['classify', scene('standard-00000.png'), '--labels', 'a,b', '--template', 'a photo'])).code).toBe(2);
    const dtype = await run(['classify', scene('standard-00000.png'), '--labels', 'a,b', '--dtype', 'fp8']);
    expect(dtype.code).toBe(2);
    expect(dtype.stderr).toMatch(/fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4/);
  });

  it('--prompts ensembles the set\'s templates as CLIP does (checked against a direct re-derivation)', async () => {
    const image = scene('sketch-00001.png');
    const labels = ['circle', 'square', 'star', 'cross'];
    const r = await run(['classify', image, '--labels', labels.join(','), '--prompts', 'imagenet', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonResult & { prompts: { set: string; templates: number } };
    expect(doc.prompts).toEqual({ set: 'imagenet', templates: 80 });
    // Independent: every prompt embedded, each normalised, averaged per class in float64, normalised; softmax(scale · cos).
    const { loadModel } = await import('../../src/model/loadModel.js');
    const { embedFiles } = await import('../../src/embed/embedFiles.js');
    const templates = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'prompts/imagenet.json'), 'utf8')) as { templates: string[] }).templates;
    const model = await loadModel('tiny-clip-shapes');
    try {
      const d = model.info.embedDim;
      const img = await embedFiles(model, [image], {});
      const logits: number[] = [];
      for (const label of labels) {
        const emb = await model.encodeText(templates.map((t) => t.replaceAll('{}', label)));
        const mean = new Float64Array(d);
        for (let k = 0; k < templates.length; k++) {
          let n = 0;
          for (let j = 0; j < d; j++) n += emb[k * d + j] ** 2;
          for (let j = 0; j < d; j++) mean[j] += emb[k * d + j] / Math.sqrt(n) / templates.length;
        }
        const norm = Math.sqrt(mean.reduce((a, v) => a + v * v, 0));
        let cos = 0;
        for (let j = 0; j < d; j++) cos += (mean[j] / norm) * img[j];
        logits.push(model.info.scoring.scale * cos);
      }
      const max = Math.max(...logits);
      const z = logits.reduce((a, l) => a + Math.exp(l - max), 0);
      const expected = new Map(labels.map((l, i) => [l, Math.exp(logits[i] - max) / z]));
      for (const p of doc.results[0].predictions) expect(p.probability).toBeCloseTo(expected.get(p.label)!, 5);
      // And it is not the single-template answer.
      const single = JSON.parse((await run(['classify', image, '--labels', labels.join(','), '--json'])).stdout) as JsonResult;
      expect(single.results[0].predictions.map((p) => p.probability)).not.toEqual(doc.results[0].predictions.map((p) => p.probability));
    } finally {
      await model.dispose();
    }
  });

  it('--prompts alone uses the set\'s class names; -m is --model; repeated -t templates are ensembled', async () => {
    const name = 'standard-00003.png';
    const alone = await run(['classify', scene(name), '--prompts', 'shapes-shape', '--top', '1', '-m', 'tiny-clip-shapes']);
    expect(alone.code, alone.stderr).toBe(0);
    const set = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'prompts/shapes-shape.json'), 'utf8')) as { classNames: string[] };
    const top = /^ {2}[01]\.\d{4} {2}(.*)$/m.exec(alone.stdout)![1];
    expect(set.classNames).toContain(top);
    expect(top).toContain(sceneShape(name));
    const robust = JSON.parse((await run(['classify', scene(name), '--labels', SHAPES, '-m', 'tiny-clip-shapes-robust', '--json'])).stdout) as JsonResult;
    expect(robust.model).toBe('tiny-clip-shapes-robust');
    const two = JSON.parse((await run(['classify', scene(name), '--labels', SHAPES, '-t', 'a photo of a {}.', '-t', 'a drawing of a {}.', '--json'])).stdout) as JsonResult & { prompts: { templates: number } };
    expect(two.prompts.templates).toBe(2);
  });

  it('exits 2 for --prompts with --template, a templates-only set without --labels, and an unknown set (did you mean)', async () => {
    const img = scene('standard-00000.png');
    const both = await run(['classify', img, '--labels', 'a,b', '--prompts', 'imagenet', '--template', 'a {}.']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give either --prompts or --template, not both/);
    const dir = join(tmp, 'templates-only.json');
    writeFileSync(dir, JSON.stringify({ schemaVersion: 1, name: 't', templates: ['a {}.'] }));
    const noLabels = await run(['classify', img, '--prompts', dir]);
    expect(noLabels.code).toBe(2);
    expect(noLabels.stderr).toMatch(/has templates only; give the classes with --labels/);
    const unknown = await run(['classify', img, '--labels', 'a,b', '--prompts', 'imagenet7']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown prompt set 'imagenet7'; did you mean 'imagenet-7'\?/);
  });

  it('help lists the built-in models, and its q8 example names a model with q8 towers', async () => {
    const help = (await run(['classify', '--help'])).stdout;
    const { builtinModels } = await import('../../src/model/builtinModels.js');
    for (const m of builtinModels().keys()) expect(help).toContain(m);
    const q8 = help.split('\n').filter((l) => l.includes('$ zeroshift') && l.includes('q8'));
    expect(q8.length).toBeGreaterThan(0);
    for (const l of q8) {
      const model = /(?:-m|--model) (\S+)/.exec(l)?.[1] ?? 'tiny-clip-shapes';
      expect(existsSync(join(PACKAGE_ROOT, 'models', model, 'onnx', 'vision_model_quantized.onnx')), l).toBe(true);
    }
  });

  it('takes a set of per-class sentences (CuPL layout) for its classes, and refuses --labels with it', async () => {
    const names = SHAPES.split(',');
    const file = join(tmp, 'cupl.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, name: 'shapes-cupl', classNames: names, templates: [], classPrompts: names.map((s) => [`a photo of a ${s}.`, `a ${s}.`]) }));
    const { code, stdout, stderr } = await run(['classify', scene('standard-00000.png'), '--prompts', file, '--json']);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout) as JsonResult;
    expect(doc.results[0].predictions.map((p) => p.label).sort()).toEqual([...names].sort());
    const refused = await run(['classify', scene('standard-00000.png'), '--prompts', file, '--labels', 'a,b']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/has its own sentences for each of its 8 classes, so it cannot take --labels/);
  });
});
