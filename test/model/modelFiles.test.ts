import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, resolveModelFiles } from '../../src/model/modelFiles.js';
import { loadModel, resolveModelRef } from '../../src/model/loadModel.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const MODELS = join(PACKAGE_ROOT, 'models');
const ZOO = ['v32x2-s150', 'v48x2-s300', 'v64x2-s300', 'v64x3-s700', 'v96x3-s1000'];
const tmp = mkdtempSync(join(tmpdir(), 'zs-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('resolveModelFiles', () => {
  it('defaults to the embedded tiny-clip-shapes and picks _quantized towers for q8', () => {
    const fp32 = resolveModelFiles(undefined);
    expect(fp32.textModel).toBe(join(DEFAULT_MODEL_DIR, 'onnx/text_model.onnx'));
    const q8 = resolveModelFiles(undefined, { dtype: 'q8' });
    expect(q8.visionModel).toBe(join(DEFAULT_MODEL_DIR, 'onnx/vision_model_quantized.onnx'));
  });

  it('follows a directory holding zeroshift-model.json (robust: shared text tower)', () => {
    const f = resolveModelFiles(join(MODELS, 'tiny-clip-shapes-robust'));
    expect(f.name).toBe('tiny-clip-shapes-robust');
    expect(f.textModel).toBe(join(DEFAULT_MODEL_DIR, 'onnx/text_model.onnx'));
    expect(f.visionModel).toBe(join(MODELS, 'tiny-clip-shapes-robust/onnx/vision_model.onnx'));
  });

  it.each(ZOO)('resolves the zoo spec %s.json relative to the spec file', (id) => {
    const f = resolveModelFiles(join(MODELS, 'tiny-clip-shapes-zoo', `${id}.json`));
    expect(f.visionModel).toBe(join(MODELS, 'tiny-clip-shapes-zoo', `${id}.onnx`));
    expect(f.tokenizer).toBe(join(DEFAULT_MODEL_DIR, 'tokenizer.json'));
  });

  it('lists every missing file of an incomplete model directory', () => {
    const dir = join(tmp, 'incomplete');
    cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
    rmSync(join(dir, 'tokenizer.json'));
    rmSync(join(dir, 'onnx/vision_model.onnx'));
    expect(() => resolveModelFiles(dir)).toThrow(/missing 2 file\(s\): .*tokenizer\.json, .*onnx\/vision_model\.onnx/);
  });

  it('refuses q8 when a spec tower has no _quantized sibling, naming the file', () => {
    expect(() => resolveModelFiles(join(MODELS, 'tiny-clip-shapes-robust'), { dtype: 'q8' })).toThrow(/vision_model_quantized\.onnx/);
  });

  it('names the file and key of an invalid spec', () => {
    const spec = join(tmp, 'bad.json');
    writeFileSync(spec, JSON.stringify({ schemaVersion: 2, name: 'x', base: '.' }));
    expect(() => resolveModelFiles(spec)).toThrow(/bad\.json: invalid model spec: key 'schemaVersion'/);
    expect(() => resolveModelFiles(join(tmp, 'nope'))).toThrow(/model not found/);
  });
});

describe('loadModel checks', () => {
  it('loads a zoo tower with the shared text tower', async () => {
    const m = await loadModel(join(MODELS, 'tiny-clip-shapes-zoo/v32x2-s150.json'));
    expect(m.info.name).toBe('tiny-clip-shapes-zoo/v32x2-s150');
    expect(m.info.embedDim).toBe(64);
    await m.dispose();
  });

  it('rejects a tower with the wrong input name, naming file, expected and found', async () => {
    const text = join(DEFAULT_MODEL_DIR, 'onnx/text_model.onnx');
    await expect(loadModel(undefined, { visionModel: text })).rejects.toThrow(/text_model\.onnx: vision tower must have input 'pixel_values', found 'input_ids'/);
  });

  it('rejects a preprocessor whose crop size disagrees with the vision input', async () => {
    const dir = join(tmp, 'crop');
    cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify({ size: { shortest_edge: 32 }, crop_size: 32 }));
    await expect(loadModel(dir)).rejects.toThrow(/expects 64x64 pixels but .*preprocessor_config\.json produces 32x32/);
  });

  it('hashes files once per path, size and mtime', async () => {
    const a = await resolveModelRef();
    const b = await resolveModelRef();
    expect(b.hashes).toEqual(a.hashes);
    // text, vision, tokenizer (its files and the config), preprocessor, config
    expect(new Set(Object.values(a.hashes)).size).toBe(5);
  });
});
