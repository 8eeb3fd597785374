import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateModel } from '../../src/model/hubModel.js';
import type { HubOptions } from '../../src/hub/resolve.js';
import { startFakeHub, type FakeHub } from '../hub/fakeHub.js';

// A repository with towers but no tokenizer.json: the hub layer fetches what exists, the
// model layer finds the gap and says where it comes from.
const files = {
  'config.json': Buffer.from('{"model_type":"clip"}'),
  'preprocessor_config.json': Buffer.from('{"crop_size":32}'),
  'tokenizer_config.json': Buffer.from('{}'),
  'onnx/text_model.onnx': Buffer.alloc(100, 1),
  'onnx/vision_model.onnx': Buffer.alloc(100, 2),
};

let hub: FakeHub;
let cacheDir: string;
beforeEach(async () => {
  hub = await startFakeHub({ 'acme/no-tokenizer': { files } });
  cacheDir = mkdtempSync(join(tmpdir(), 'zs-hubmodel-'));
});
afterEach(async () => {
  await hub.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const hubOptions = (offline: boolean): HubOptions => ({ config: { cacheDir, endpoint: hub.endpoint, offline, symlinks: true } });

describe('locateModel', () => {
  it('keeps non-hf references on the local path', async () => {
    const { files: f, hub: id } = await locateModel('tiny-clip-shapes', { hub: hubOptions(true) });
    expect(f.name).toBe('tiny-clip-shapes');
    expect(id).toBeUndefined();
    expect(hub.requests).toHaveLength(0);
  });

  it('a snapshot missing a file the loader needs says the repository lacks it (online) or how to fetch it (offline)', async () => {
    const commit = hub.commit('acme/no-tokenizer');
    await expect(locateModel('hf:acme/no-tokenizer', { hub: hubOptions(false) })).rejects.toMatchObject({
      code: 'MODEL',
      message: expect.stringMatching(/^hf:acme\/no-tokenizer: \/.*\/snapshots\/[0-9a-f]{40}: model is missing 1 file\(s\): .*\/tokenizer\.json/),
      hint: `the repository at commit ${commit} does not hold them: it is not a model in a supported layout (docs/models.md)`,
    });
    await expect(locateModel('hf:acme/no-tokenizer', { hub: hubOptions(true) })).rejects.toMatchObject({
      hint: 'fetch them with `zeroshift models pull hf:acme/no-tokenizer@main` where the network is reachable',
    });
  });
});
