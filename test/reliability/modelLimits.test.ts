/**
 * Sizes a model's files ask for are bounded: input pixels from the preprocessor config, and
 * file sizes per kind (tokenizer, config, graph). Each fails fast with exit 2 naming the key or
 * file and the variable that raises the limit.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cp, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../../src/model/modelFiles.js';
import { parsePreprocessorConfig } from '../../src/model/preprocessorConfig.js';
import { checkFileSize, modelLimitsFromEnv, DEFAULT_MODEL_LIMITS } from '../../src/util/modelLimits.js';
import { cli, filesUnder, problemLines } from '../helpers/cli.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zs-model-limits-'));
});
afterEach(() => vi.unstubAllEnvs());

async function modelWith(name: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(tmp, name);
  await cp(DEFAULT_MODEL_DIR, dir, { recursive: true });
  await change(dir);
  return dir;
}

async function withPreprocessor(name: string, edit: (c: Record<string, unknown>) => void): Promise<string> {
  return modelWith(name, async (dir) => {
    const file = join(dir, 'preprocessor_config.json');
    const c = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    edit(c);
    await writeFile(file, JSON.stringify(c));
  });
}

describe('preprocessor pixel bound', () => {
  it('refuses crop_size and size over 4096² pixels, naming the key', () => {
    expect(() => parsePreprocessorConfig({ crop_size: 100000 }, 'p.json')).toThrow(/p\.json: crop_size 100000 asks for 100000×100000 = 10000000000 pixels per image, over the limit of 16777216 \(ZEROSHIFT_MAX_INPUT_PIXELS\)/);
    expect(() => parsePreprocessorConfig({ crop_size: 20000 }, 'p.json')).toThrow(/crop_size/);
    expect(() => parsePreprocessorConfig({ size: { shortest_edge: 5000 }, crop_size: 224 }, 'p.json')).toThrow(/p\.json: size \{"shortest_edge":5000\}/);
    expect(() => parsePreprocessorConfig({ size: { height: 4096, width: 4097 }, do_center_crop: false }, 'p.json')).toThrow(/size/);
    expect(parsePreprocessorConfig({ crop_size: 4096, size: 4096 }, 'p.json').cropSize).toEqual({ height: 4096, width: 4096 });
    expect(() => parsePreprocessorConfig({ crop_size: 64 }, 'p.json', 63 * 63)).toThrow(/over the limit of 3969/);
  });

  it('eval and verify exit 2 naming crop_size before any work; the variable raises the limit', async () => {
    const model = await withPreprocessor('huge-crop', (c) => (c.crop_size = 100000));
    const cache = join(tmp, 'cache-crop');
    const out = join(tmp, 'out-crop');
    const started = Date.now();
    const r = await cli(['eval', '--model', model, '--dataset', 'shapes:standard?n=8', '--cache-dir', cache, '--out', out, '--no-progress']);
    expect(r.code, r.stderr).toBe(2);
    expect(problemLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/preprocessor_config\.json: crop_size 100000 asks for/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(await filesUnder(out)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
    const v = await cli(['verify', model]);
    expect(v.code, v.stderr).toBe(2);
    expect(v.stderr).toMatch(/crop_size 100000/);
    vi.stubEnv('ZEROSHIFT_MAX_INPUT_PIXELS', 'lots');
    expect((await cli(['verify', model])).stderr).toMatch(/ZEROSHIFT_MAX_INPUT_PIXELS='lots' is not a positive pixel count/);
  });
});

describe('file sizes per kind', () => {
  it('knows the kinds and reads the limits from the environment', () => {
    expect(modelLimitsFromEnv({})).toEqual(DEFAULT_MODEL_LIMITS);
    expect(modelLimitsFromEnv({ ZEROSHIFT_MAX_TOKENIZER_BYTES: '1MiB', ZEROSHIFT_MAX_CONFIG_BYTES: '2000' })).toMatchObject({ maxTokenizerBytes: 2 ** 20, maxConfigBytes: 2000 });
    expect(() => modelLimitsFromEnv({ ZEROSHIFT_MAX_WEIGHTS_BYTES: '-1' })).toThrow(/ZEROSHIFT_MAX_WEIGHTS_BYTES='-1'/);
    expect(() => checkFileSize('m/tokenizer.json', 220e6)).toThrow(/m\/tokenizer\.json: 220000000 bytes, over the 134217728-byte limit for a tokenizer file \(ZEROSHIFT_MAX_TOKENIZER_BYTES\)/);
    expect(() => checkFileSize('m/preprocessor_config.json', 17 * 2 ** 20)).toThrow(/config file \(ZEROSHIFT_MAX_CONFIG_BYTES\)/);
    expect(() => checkFileSize('m/onnx/model.onnx_data_1', 65 * 2 ** 30)).toThrow(/graph or weights file/);
    expect(() => checkFileSize('m/tokenizer.json', 3.6e6)).not.toThrow();
  });

  it('a tokenizer.json over the limit fails fast with exit 2, before it is read', async () => {
    // A sparse 200 MB tokenizer.json: no time spent writing it, and none reading it.
    const model = await modelWith('huge-tokenizer', (dir) => truncate(join(dir, 'tokenizer.json'), 200e6));
    const started = Date.now();
    const r = await cli(['verify', model]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/tokenizer\.json: 200000000 bytes, over the 134217728-byte limit for a tokenizer file \(ZEROSHIFT_MAX_TOKENIZER_BYTES\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    vi.stubEnv('ZEROSHIFT_MAX_TOKENIZER_BYTES', '1MB');
    const small = await cli(['verify', DEFAULT_MODEL_DIR]);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/tokenizer\.json: 3642036 bytes, over the 1000000-byte limit/);
  });
});
