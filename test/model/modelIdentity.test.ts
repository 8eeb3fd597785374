/** Every file that changes a model's outputs, scale, bias or padding changes its identity hashes. */
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModelRef } from '../../src/model/loadModel.js';
import { loadTokenizer } from '../../src/model/tokenizer.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FAMILIES = join(PACKAGE_ROOT, 'test/fixtures/families');
const tmp = mkdtempSync(join(tmpdir(), 'zs-identity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('model identity', () => {
  it.each([
    ['config.json', 'tiny-siglip', ['config', 'tokenizer']],
    ['tokenizer_config.json', 'tiny-siglip', ['tokenizer']],
    ['special_tokens_map.json', 'tiny-siglip', ['tokenizer']],
    ['onnx/model.onnx_data', 'tiny-jina-clip-v2', ['textModel', 'visionModel']],
  ])('a changed %s changes %s hashes and nothing else', async (file, fixture, changed) => {
    const dir = join(tmp, `${fixture}-${file.replace(/\W/g, '_')}`);
    cpSync(join(FAMILIES, fixture), dir, { recursive: true });
    const before = (await resolveModelRef(dir)).hashes;
    appendFileSync(join(dir, file), file.endsWith('.json') ? ' ' : '\0');
    const after = (await resolveModelRef(dir)).hashes;
    const differing = Object.keys(before).filter((k) => before[k as keyof typeof before] !== after[k as keyof typeof after]).sort();
    expect(differing).toEqual([...changed].sort());
  });

  it('a spec scale or bias changes the config hash', async () => {
    const dir = join(tmp, 'spec');
    cpSync(join(FAMILIES, 'tiny-siglip'), dir, { recursive: true });
    const spec = (bias: number) => writeFileSync(join(dir, 'zeroshift-model.json'), JSON.stringify({ schemaVersion: 1, name: 's', base: '.', scoring: { rule: 'sigmoid', scale: 117, bias } }));
    spec(-12);
    const a = (await resolveModelRef(dir)).hashes;
    spec(-13);
    const b = (await resolveModelRef(dir)).hashes;
    expect(a.config).not.toBe(b.config);
    expect(a.textModel).toBe(b.textModel);
  });
});

describe('tokenizer context length', () => {
  it('treats model_max_length >= 1e6 as unset and falls back to text_config.max_position_embeddings', () => {
    const dir = join(tmp, 'ctx');
    cpSync(join(FAMILIES, 'tiny-siglip'), dir, { recursive: true });
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 1e30, eos_token: '</s>', pad_token: '</s>' }));
    const tok = loadTokenizer({ tokenizer: join(dir, 'tokenizer.json'), tokenizerConfig: join(dir, 'tokenizer_config.json'), config: join(dir, 'config.json') });
    expect(tok.contextLength).toBe(64);
    expect(() => loadTokenizer({ tokenizer: join(dir, 'tokenizer.json'), tokenizerConfig: join(dir, 'tokenizer_config.json') }))
      .toThrow(/tokenizer_config\.json: no context length: model_max_length is 1e\+30/);
  });

  it('uses sep_token as the end token of a BERT tokenizer and pads longest with [PAD]', () => {
    const dir = join(FAMILIES, 'tiny-chinese-clip');
    const tok = loadTokenizer({ tokenizer: join(dir, 'tokenizer.json'), tokenizerConfig: join(dir, 'tokenizer_config.json') }, { padding: 'longest' });
    const batch = tok.encode(['一张猫的照片', 'a']);
    expect(tok.eosId).toBe(3);
    expect(batch.ids[1]).toEqual([2, expect.any(Number), 3, 0, 0, 0, 0, 0]);
    expect(batch.lengths).toEqual([8, 3]);
  });
});
