import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    const preds = doc.results[0]!.predictions;
    expect(preds).toHaveLength(8);
    expect(preds.reduce((a, p) => a + p.probability, 0)).toBeCloseTo(1, 6);
    for (let i = 1; i < preds.length; i++) expect(preds[i]!.probability).toBeLessThanOrEqual(preds[i - 1]!.probability);
    expect(preds[0]!.label).toBe(sceneShape('standard-00002.png'));
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
});
