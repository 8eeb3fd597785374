import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FAMILIES = join(PACKAGE_ROOT, 'test/fixtures/families');
const SIGLIP = join(FAMILIES, 'tiny-siglip');
const tmp = mkdtempSync(join(tmpdir(), 'zs-verify-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

interface Ref { texts: string[]; images: string[]; text_embeds: number[][]; image_embeds: number[][]; scoring: { scale: number; bias: number } }
const ref = JSON.parse(readFileSync(join(SIGLIP, 'reference.json'), 'utf8')) as Ref;

function referenceFile(name: string, tweak?: (e: number[]) => number[]): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify({
    images: ref.images.map((p, i) => ({ path: join(FAMILIES, 'images', p), embedding: i === 1 && tweak ? tweak(ref.image_embeds[i]) : ref.image_embeds[i] })),
    texts: ref.texts.map((text, i) => ({ text, embedding: ref.text_embeds[i] })),
  }));
  return file;
}

describe('zeroshift verify', () => {
  it('prints the family, graphs, preprocessing, tokenization and scoring of a SigLIP export', async () => {
    const { code, stdout } = await cli(['verify', SIGLIP, '--threads', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/family +siglip, split graph\(s\), embedding width 12/);
    expect(stdout).toMatch(/text .*text_model\.onnx: feeds input_ids int64 \[batch_size, sequence_length\]; reads 'pooler_output'/);
    expect(stdout).toMatch(/preprocess +SiglipImageProcessor: resize exactly 16x16 \(bicubic\), no crop/);
    expect(stdout).toMatch(/as siglip usually does/);
    expect(stdout).toMatch(/tokenizer +context 64, padding max_length, end token id 1, pad id 1/);
    expect(stdout).toMatch(/"a photo of a dog\." → \[[\d ]+\] \d+ token\(s\), end token at \d+, padded to 64/);
    const scale = Number(/scale ([\d.]+), bias/.exec(stdout)![1]);
    const bias = Number(/bias (-?[\d.]+)/.exec(stdout)![1]);
    expect(scale).toBeCloseTo(ref.scoring.scale, 2);
    expect(bias).toBeCloseTo(ref.scoring.bias, 2);
    expect(stdout).toMatch(/from solved from .*model\.onnx logits_per_image/);
  });

  it('shows how a preprocessor differs from the family usual', async () => {
    const { code, stdout } = await cli(['verify', join(FAMILIES, 'tiny-chinese-clip'), '--threads', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/family +chinese-clip, combined/);
    expect(stdout).toMatch(/feeds input_ids int64 .*, attention_mask int64 .*, token_type_ids int64 .*, pixel_values float32/);
    const mobile = await cli(['verify', join(FAMILIES, 'tiny-siglip2'), '--threads', '1']);
    expect(mobile.stdout).toMatch(/as siglip2 usually does/);
    expect(mobile.stdout).toMatch(/lowercased/);
  });

  it('compares with a reference file: exit 0 when all match, 2 naming the worst when one does not', async () => {
    const ok = await cli(['verify', SIGLIP, '--reference', referenceFile('ok.json'), '--threads', '1']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/reference: all 8 embedding\(s\) at cosine >= 0.9999/);
    const bad = await cli(['verify', SIGLIP, '--reference', referenceFile('bad.json', (e) => e.map((v, i) => (i < 4 ? -v : v))), '--threads', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: 1 of 8 embedding\(s\) below cosine 0\.9999 \(worst: image .*img1_50x80\.png at/);
  });

  it.each([
    ['unknown outputs', { visionModel: join(FAMILIES, 'bad/unknown_outputs.onnx') }, /no 2-D vision embedding output: found 'features_v2' .*, expected one of image_embeds/],
    ['mismatched widths', { visionModel: join(FAMILIES, 'tiny-mobileclip/onnx/vision_model.onnx') }, /embedding widths differ: .* gives 12, .* gives 9/],
    ['unsupported input type', { textModel: join(FAMILIES, 'bad/float_ids.onnx') }, /input 'input_ids' has unsupported type float32 \(expected int64 or int32\)/],
  ])('exits 2 with one line for %s', async (_name, body, message) => {
    const spec = join(tmp, `${_name.replace(/ /g, '-')}.json`);
    writeFileSync(spec, JSON.stringify({ schemaVersion: 1, name: 'bad', base: SIGLIP, ...body }));
    const { code, stderr } = await cli(['verify', spec]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 2 for a combined graph without embeddings', async () => {
    const dir = join(tmp, 'combined');
    cpSync(join(FAMILIES, 'tiny-jina-clip-v2'), dir, { recursive: true });
    rmSync(join(dir, 'onnx/model.onnx_data'));
    cpSync(join(FAMILIES, 'bad/combined_no_embeds.onnx'), join(dir, 'onnx/model.onnx'));
    const { code, stderr } = await cli(['verify', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/combined graph has no text embedding output: found 'logits_per_image'/);
  });
});

describe('zeroshift classify with a SigLIP model', () => {
  it('gives the sigmoid probabilities PyTorch gives, not a softmax', async () => {
    const image = join(FAMILIES, 'images', ref.images[0]);
    const probs = (JSON.parse(readFileSync(join(SIGLIP, 'reference.json'), 'utf8')) as { probabilities: number[][] }).probabilities[0];
    const { code, stdout } = await cli(['classify', image, '--labels', ref.texts.join(','), '--template', '{}', '--model', SIGLIP, '--json', '--top', '4']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { scoring: { rule: string }; results: { predictions: { label: string; probability: number }[] }[] };
    expect(out.scoring.rule).toBe('sigmoid');
    for (const p of out.results[0].predictions) expect(Math.abs(p.probability - probs[ref.texts.indexOf(p.label)])).toBeLessThanOrEqual(1e-4);
  });
});
