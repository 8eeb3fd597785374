import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { startFakeHub, type FakeHub } from '../hub/fakeHub.js';

const REPO = 'acme/clip';
const files = (): Record<string, Buffer> => ({
  'config.json': Buffer.from('{"model_type":"clip"}'),
  'preprocessor_config.json': Buffer.from('{}'),
  'tokenizer.json': Buffer.from('{}'),
  'tokenizer_config.json': Buffer.from('{}'),
  'onnx/text_model.onnx': Buffer.alloc(2000, 1),
  'onnx/vision_model.onnx': Buffer.alloc(1000, 2),
  'onnx/text_model_quantized.onnx': Buffer.alloc(500, 3),
  'onnx/vision_model_quantized.onnx': Buffer.alloc(250, 4),
});

let hub: FakeHub;
let home: string;
beforeEach(async () => {
  hub = await startFakeHub({ [REPO]: { files: files() } });
  home = mkdtempSync(join(tmpdir(), 'zs-cli-models-'));
  vi.stubEnv('HF_ENDPOINT', hub.endpoint);
  vi.stubEnv('HF_HOME', join(home, 'hf'));
  vi.stubEnv('HF_HUB_CACHE', join(home, 'hub'));
  vi.stubEnv('HF_TOKEN', '');
  vi.stubEnv('HF_HUB_OFFLINE', '');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await hub.close();
  rmSync(home, { recursive: true, force: true });
});

describe('zeroshift models', () => {
  it('lists the built-in models and an empty hub cache', async () => {
    const r = await cli(['models']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tiny-clip-shapes-robust\s+models\/tiny-clip-shapes-robust$/m);
    expect(r.stdout).toMatch(/^v32x2-s150\s+models\/tiny-clip-shapes-zoo\/v32x2-s150\.json$/m);
    expect(r.stdout).toContain(`Hub cache ${join(home, 'hub')}`);
    expect(r.stdout).toContain('(empty: fetch a model with `zeroshift models pull hf:ORG/NAME`)');
  });

  it('pull fetches the dtypes asked for; the list then shows revision, commit, size and dtypes', async () => {
    const commit = hub.commit(REPO);
    const pull = await cli(['models', 'pull', `hf:${REPO}`, '--dtype', 'fp32', '--dtype', 'q8']);
    expect(pull.code).toBe(0);
    const lines = pull.stdout.trim().split('\n');
    expect(lines[0]).toBe(`hf:${REPO}@main → ${commit} (fp32, split, 6 files, downloaded 3.0 kB): ${join(home, 'hub', 'models--acme--clip', 'snapshots', commit)}`);
    expect(lines[1]).toMatch(/\(q8, split, 6 files, downloaded 750 B\)/);
    const again = await cli(['models', 'pull', `hf:${REPO}`]);
    expect(again.stdout).toMatch(/\(fp32, split, 6 files, already cached\)/);
    const list = await cli(['models']);
    expect(list.stdout).toMatch(new RegExp(`^hf:acme/clip\\s+main\\s+${commit.slice(0, 12)}\\s+3\\.8 kB\\s+fp32, q8$`, 'm'));
    const json = JSON.parse((await cli(['models', '--json'])).stdout) as { hub: { models: Array<Record<string, unknown>> } };
    // Size counts each blob once: the three '{}' files share one blob.
    const unique = new Map(Object.values(files()).map((b) => [b.toString('hex'), b.length]));
    const size = [...unique.values()].reduce((a, b) => a + b, 0);
    expect(json.hub.models).toEqual([{ ref: 'hf:acme/clip', repo: REPO, commit, revisions: ['main'], size, dtypes: ['fp32', 'q8'] }]);
  });

  it('pull refuses an unknown dtype and reports a missing repository with exit 2', async () => {
    expect((await cli(['models', 'pull', `hf:${REPO}`, '--dtype', 'fp64'])).code).toBe(2);
    const r = await cli(['models', 'pull', 'hf:acme/missing']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('zeroshift: hf:acme/missing: repository not found (HTTP 404)');
  });
});
