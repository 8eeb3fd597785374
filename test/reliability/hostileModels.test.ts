import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtemp, cp, readFile, writeFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { DEFAULT_MODEL_DIR } from '../../src/model/modelFiles.js';
// The ONNX schema subset the benchmark's model generator writes; read-only reuse.
import { ONNX_PROTO, FLOAT, ATTR } from '../../scripts/bench/onnxProto.mjs';
import { cli, filesUnder, problemLines } from '../helpers/cli.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-hostile-models-'));
});

/** A copy of the embedded model with `damage` applied. */
async function modelCopy(name: string, damage: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(tmp, name);
  await cp(DEFAULT_MODEL_DIR, dir, { recursive: true });
  await damage(dir);
  return dir;
}

/** Evaluates `model`; a model problem must exit 2 with one line naming `file`, before any image work. */
async function expectModelError(model: string, file: RegExp): Promise<string> {
  const cache = join(tmp, `cache-${Math.random().toString(36).slice(2)}`);
  const out = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const r = await cli(['eval', '--model', model, '--dataset', 'shapes:standard?n=8', '--cache-dir', cache, '--out', out, '--no-progress']);
  expect(r.code, r.stderr).toBe(2);
  const lines = problemLines(r.stderr);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^zeroshift: /);
  expect(lines[0]).toMatch(file);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(await filesUnder(cache)).toEqual([]);
  expect(await filesUnder(out)).toEqual([]);
  return lines[0];
}

/** A valid vision tower (mean colour → linear) whose embeddings are `width` wide. */
function visionTowerOfWidth(width: number): Uint8Array {
  const weights = new Float32Array(3 * width).map((_, i) => ((i * 7919) % 13) / 13 - 0.5);
  const tensor = (name: string, shape: (number | string)[]) => ({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  const ModelProto = protobuf.parse(ONNX_PROTO).root.lookupType('onnx.ModelProto');
  return ModelProto.encode(ModelProto.fromObject({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'zeroshift test',
    graph: {
      name: 'narrow-vision',
      node: [
        { opType: 'ReduceMean', input: ['pixel_values'], output: ['mean'], name: 'mean', attribute: [{ name: 'axes', type: ATTR.INTS, ints: [2, 3] }, { name: 'keepdims', type: ATTR.INT, i: 0 }] },
        { opType: 'MatMul', input: ['mean', 'w'], output: ['image_embeds'], name: 'proj', attribute: [] },
      ],
      initializer: [{ name: 'w', dims: [3, width], dataType: FLOAT, rawData: new Uint8Array(weights.buffer) }],
      input: [tensor('pixel_values', ['batch', 3, 64, 64])],
      output: [tensor('image_embeds', ['batch', width])],
    },
  })).finish();
}

describe('hostile model directories through the CLI', () => {
  it('towers with different embedding widths: exit 2 naming both towers', async () => {
    const dir = await modelCopy('narrow', async (d) => writeFile(join(d, 'onnx/vision_model.onnx'), visionTowerOfWidth(32)));
    const line = await expectModelError(dir, /embedding widths differ/);
    expect(line).toMatch(/text_model\.onnx \('text_embeds'\) gives 64, .*vision_model\.onnx \('image_embeds'\) gives 32/);
  });


  it('a truncated vision .onnx: exit 2, one line naming the file', async () => {
    const dir = await modelCopy('truncated', async (d) => {
      const f = join(d, 'onnx/vision_model.onnx');
      await truncate(f, Math.floor((await stat(f)).size / 3));
    });
    await expectModelError(dir, /vision_model\.onnx/);
  });

  it('a preprocessor crop size that disagrees with the vision input: both files named', async () => {
    const dir = await modelCopy('crop', async (d) => {
      const f = join(d, 'preprocessor_config.json');
      const cfg = JSON.parse(await readFile(f, 'utf8')) as Record<string, unknown>;
      await writeFile(f, JSON.stringify({ ...cfg, crop_size: { height: 48, width: 48 }, size: { shortest_edge: 48 } }));
    });
    const line = await expectModelError(dir, /vision_model\.onnx/);
    expect(line).toMatch(/preprocessor_config\.json/);
  });

  it('a tokenizer.json from another family (BERT WordPiece): exit 2 naming the tokenizer file', async () => {
    const dir = await modelCopy('bert-tokenizer', async (d) => {
      const vocab = Object.fromEntries(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a', 'photo', 'of'].map((t, i) => [t, i]));
      await writeFile(join(d, 'tokenizer.json'), JSON.stringify({
        version: '1.0', truncation: null, padding: null, added_tokens: [],
        normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
        pre_tokenizer: { type: 'BertPreTokenizer' },
        post_processor: null, decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
        model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
      }));
    });
    await expectModelError(dir, /tokenizer/);
  });

  it('a tokenizer.json that is not JSON: exit 2 naming the file', async () => {
    const dir = await modelCopy('garbage-tokenizer', async (d) => writeFile(join(d, 'tokenizer.json'), '{"model": {"type": "BPE", "vocab": '));
    await expectModelError(dir, /tokenizer\.json/);
  });
});
