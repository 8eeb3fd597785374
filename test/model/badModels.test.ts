/** Models that cannot work are refused at load with one message naming what was found and what was expected. */
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { resolveModelFiles } from '../../src/model/modelFiles.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FAMILIES = join(PACKAGE_ROOT, 'test/fixtures/families');
const SIGLIP = join(FAMILIES, 'tiny-siglip');
const tmp = mkdtempSync(join(tmpdir(), 'zs-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spec(name: string, body: Record<string, unknown>): string {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, name, base: SIGLIP, ...body }));
  return file;
}

describe('bad models', () => {
  it('unknown outputs: lists the outputs found and the names expected', async () => {
    const ref = spec('unknown-outputs', { visionModel: join(FAMILIES, 'bad/unknown_outputs.onnx') });
    await expect(loadModel(ref)).rejects.toMatchObject({
      code: 'MODEL',
      message: expect.stringMatching(/unknown_outputs\.onnx: no 2-D vision embedding output: found 'features_v2' \[batch_size, 12\], expected one of image_embeds, pooler_output/),
    });
  });

  it('a spec can name an output the loader would not pick', async () => {
    const ref = spec('named-output', { visionModel: join(FAMILIES, 'bad/unknown_outputs.onnx'), visionOutput: 'features_v2' });
    const m = await loadModel(ref);
    expect(m.info.embedDim).toBe(12);
    await m.dispose();
    await expect(loadModel(spec('missing-output', { visionOutput: 'nope' }))).rejects.toThrow(/spec names vision output 'nope', but the graph's outputs are 'last_hidden_state' \[batch_size, sequence_length, \w+\], 'pooler_output' \[batch_size, 12\]/);
  });

  it('a combined graph without embeddings', async () => {
    const dir = join(tmp, 'combined-no-embeds');
    cpSync(SIGLIP, dir, { recursive: true });
    rmSync(join(dir, 'onnx/text_model.onnx'));
    rmSync(join(dir, 'onnx/vision_model.onnx'));
    cpSync(join(FAMILIES, 'bad/combined_no_embeds.onnx'), join(dir, 'onnx/model.onnx'));
    await expect(loadModel(dir)).rejects.toThrow(/model\.onnx: combined graph has no text embedding output: found 'logits_per_image' \[.*\], expected one of text_embeds, text_embeddings/);
  });

  it('mismatched widths name both graphs and their widths', async () => {
    const ref = spec('widths', { visionModel: join(FAMILIES, 'tiny-mobileclip/onnx/vision_model.onnx') });
    await expect(loadModel(ref)).rejects.toThrow(/embedding widths differ: .*text_model\.onnx \('pooler_output'\) gives 12, .*tiny-mobileclip\/onnx\/vision_model\.onnx \('image_embeds'\) gives 9/);
  });

  it('an unsupported input type', async () => {
    const ref = spec('float-ids', { textModel: join(FAMILIES, 'bad/float_ids.onnx') });
    await expect(loadModel(ref)).rejects.toThrow(/float_ids\.onnx: input 'input_ids' has unsupported type float32 \(expected int64 or int32\)/);
  });

  it('an input zeroshift cannot feed', async () => {
    const ref = spec('renamed', { base: join(FAMILIES, 'tiny-open-clip') });
    await expect(loadModel(ref)).rejects.toThrow(/text_model\.onnx: input 'text' is not one zeroshift can feed \(expected input_ids, attention_mask, token_type_ids, position_ids, pixel_values; a spec's textInput\/visionInput can name/);
  });

  it('SigLIP with neither a combined graph nor a spec scale cannot be scored', async () => {
    const dir = join(tmp, 'siglip-no-combined');
    cpSync(SIGLIP, dir, { recursive: true });
    rmSync(join(dir, 'onnx/model.onnx'));
    await expect(loadModel(dir)).rejects.toThrow(/siglip scores with sigmoid\(scale·cos \+ bias\), but there is no combined onnx\/model\.onnx/);
    writeFileSync(join(dir, 'zeroshift-model.json'), JSON.stringify({ schemaVersion: 1, name: 'siglip-spec', base: '.', scoring: { rule: 'sigmoid', scale: 117, bias: -12.9 } }));
    const m = await loadModel(dir);
    expect(m.info.scoring).toEqual({ rule: 'sigmoid', scale: 117, bias: -12.9 });
    await m.dispose();
  });
});

describe('dtype names', () => {
  it('picks the transformers.js suffix and lists the dtypes present when one is missing', () => {
    const dir = join(tmp, 'dtypes');
    cpSync(SIGLIP, dir, { recursive: true });
    for (const f of ['text_model', 'vision_model', 'model']) renameSync(join(dir, `onnx/${f}.onnx`), join(dir, `onnx/${f}_q4f16.onnx`));
    cpSync(join(dir, 'onnx/text_model_q4f16.onnx'), join(dir, 'onnx/text_model_fp16.onnx'));
    const files = resolveModelFiles(dir, { dtype: 'q4f16' });
    expect(files.textModel).toBe(join(dir, 'onnx/text_model_q4f16.onnx'));
    expect(files.combinedModel).toBe(join(dir, 'onnx/model_q4f16.onnx'));
    // fp16 has its text tower only: it cannot load, so it is not listed as present.
    expect(() => resolveModelFiles(dir, { dtype: 'q8' })).toThrow(/missing 2 file\(s\): .*text_model_quantized\.onnx, .*vision_model_quantized\.onnx \(dtypes present: q4f16\)/);
  });

  it('a spec naming its own vision graph: a dtype whose vision file the spec lacks is not "present"', () => {
    const robust = join(PACKAGE_ROOT, 'models/tiny-clip-shapes-robust');
    expect(() => resolveModelFiles(robust, { dtype: 'q8' })).toThrow(/missing 1 file\(s\): .*tiny-clip-shapes-robust\/onnx\/vision_model_quantized\.onnx \(dtypes present: fp32\)/);
  });

  it('finds a combined graph at the root (optimum) and under onnx/', () => {
    expect(resolveModelFiles(join(FAMILIES, 'tiny-clip-optimum'))).toMatchObject({ layout: 'combined', textModel: join(FAMILIES, 'tiny-clip-optimum/model.onnx') });
    const jina = resolveModelFiles(join(FAMILIES, 'tiny-jina-clip-v2'));
    expect(jina).toMatchObject({ layout: 'combined', textModel: join(FAMILIES, 'tiny-jina-clip-v2/onnx/model.onnx') });
    expect(jina.externalData[jina.textModel]).toEqual([join(FAMILIES, 'tiny-jina-clip-v2/onnx/model.onnx_data')]);
  });
  it('a tokenizer.json that is JSON but no tokenizer is a MODEL error naming the file (exit 2), not an internal error', async () => {
    const dir = join(tmp, 'empty-tokenizer');
    cpSync(SIGLIP, dir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer.json'), '{}');
    await expect(loadModel(dir)).rejects.toMatchObject({
      code: 'MODEL',
      exitCode: 2,
      message: expect.stringMatching(/empty-tokenizer\/tokenizer\.json: not a usable Hugging Face tokenizer\.json: .*model/),
    });
  });

  it('a directory where a graph file belongs is a MODEL error naming it (exit 2), not EISDIR', () => {
    const dir = join(tmp, 'graph-is-dir');
    cpSync(SIGLIP, dir, { recursive: true });
    rmSync(join(dir, 'onnx/vision_model.onnx'));
    mkdirSync(join(dir, 'onnx/vision_model.onnx'));
    expect(() => resolveModelFiles(dir)).toThrow(expect.objectContaining({
      code: 'MODEL',
      exitCode: 2,
      message: expect.stringMatching(/graph-is-dir: model file\(s\) that are not regular files: .*graph-is-dir\/onnx\/vision_model\.onnx$/),
    }));
  });
});
