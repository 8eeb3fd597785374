/**
 * Every command that takes --model, with a model served by a loopback Hub: fetched once,
 * verified, cached in the standard layout, then used offline with no request at all.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cli } from '../helpers/cli.js';
import { resolveModelRef } from '../../src/model/loadModel.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import { startFakeHub, type FakeHub } from './fakeHub.js';

const MODEL_DIR = join(PACKAGE_ROOT, 'models', 'tiny-clip-shapes');
const REF = 'hf:zeroshift/tiny-clip-shapes';
const SCENE = join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes/reference-images/scenes/standard-00002.png');
const SHAPES = 'circle,square,triangle,pentagon,hexagon,star,cross,diamond';

function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

let hub: FakeHub;
let home: string;
beforeAll(async () => {
  hub = await startFakeHub({ 'zeroshift/tiny-clip-shapes': { files: filesOf(MODEL_DIR) } });
  home = mkdtempSync(join(tmpdir(), 'zs-hub-e2e-'));
});
afterAll(async () => {
  await hub.close();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  vi.stubEnv('HF_ENDPOINT', hub.endpoint);
  vi.stubEnv('HF_HOME', join(home, 'hf'));
  vi.stubEnv('HF_HUB_CACHE', join(home, 'hub'));
  vi.stubEnv('HF_TOKEN', '');
  vi.stubEnv('HF_HUB_OFFLINE', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

interface ResultDoc { model: { name: string; source: string; hub?: { repo: string; revision: string; commit: string }; hashes: Record<string, string> }; metrics: { acc1: number } }

async function evalJson(model: string, extra: string[] = []): Promise<ResultDoc[]> {
  const out = join(home, `out-${Math.random().toString(36).slice(2)}`);
  const r = await cli(['eval', '--model', model, '--dataset', 'shapes:standard?n=8', '--out', out, '--no-cache', '--json', '--no-progress', ...extra]);
  expect(r.stderr).not.toMatch(/^zeroshift: /m);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ResultDoc[];
}

describe('hf: models in every command', () => {
  it('eval fetches the model once, loads the very files on disk, and records the Hub identity', async () => {
    const [fromHub] = await evalJson(REF);
    const commit = hub.commit('zeroshift/tiny-clip-shapes');
    expect(fromHub.model).toMatchObject({ name: 'zeroshift/tiny-clip-shapes', source: REF, hub: { repo: 'zeroshift/tiny-clip-shapes', revision: 'main', commit } });
    // Same bytes as the model directory, hence the same result identity and embedding caches.
    expect(fromHub.model.hashes).toEqual((await resolveModelRef(MODEL_DIR)).hashes);
    expect(fromHub.metrics.acc1).toBeGreaterThan(0.5);
    // Only the fp32 graphs were fetched.
    const snapshot = join(home, 'hub', 'models--zeroshift--tiny-clip-shapes', 'snapshots', commit);
    expect(readdirSync(join(snapshot, 'onnx')).sort()).toEqual(['text_model.onnx', 'vision_model.onnx']);
    expect(hub.requests.filter((r) => r.origin === 'cdn' && r.method === 'GET')).toHaveLength(2);
  }, 180_000);

  it('offline (HF_HUB_OFFLINE=1 or --offline), eval, classify, embed, compare-prompts and verify make no request', async () => {
    const before = hub.requests.length;
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    const [offline] = await evalJson(REF);
    expect(offline.model.hub?.revision).toBe('main');
    vi.stubEnv('HF_HUB_OFFLINE', '');
    const viaHub = await cli(['classify', SCENE, '--labels', SHAPES, '--json', '--model', REF, '--offline']);
    const viaDir = await cli(['classify', SCENE, '--labels', SHAPES, '--json', '--model', MODEL_DIR]);
    expect(viaHub.code).toBe(0);
    expect((JSON.parse(viaHub.stdout) as { results: unknown }).results).toEqual((JSON.parse(viaDir.stdout) as { results: unknown }).results);
    const emb = await cli(['embed', '--text', 'a red circle', '--model', REF, '--offline']);
    expect(emb.code).toBe(0);
    expect(emb.stdout.trim().split('\n')).toHaveLength(1);
    const cmp = await cli(['compare-prompts', '--dataset', 'shapes:standard?n=8', '--prompts', 'shapes-shape', '--each-template', '--model', REF, '--offline', '--no-cache', '--no-progress', '--json', '--out', join(home, 'cmp')]);
    expect(cmp.stderr).not.toMatch(/^zeroshift: /m);
    expect(cmp.code).toBe(0);
    const verify = await cli(['verify', REF, '--offline']);
    expect(verify.stderr).not.toMatch(/^zeroshift: /m);
    expect(verify.code).toBe(0);
    expect(hub.requests.length).toBe(before);
  }, 180_000);

  it('a suite can name hf: models', async () => {
    const suite = join(home, 'suite.json');
    writeFileSync(suite, JSON.stringify({ schemaVersion: 1, name: 'hub-suite', models: [REF], datasets: [{ spec: 'shapes:standard?n=8' }] }));
    const before = hub.requests.length;
    const r = await cli(['eval', '--suite', suite, '--out', join(home, 'suite-out'), '--no-cache', '--json', '--no-progress', '--offline']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ResultDoc[])[0].model.source).toBe(REF);
    expect(hub.requests.length).toBe(before);
  });

  it('offline, a model not in the cache fails with exit 2, naming it and the pull command', async () => {
    const r = await cli(['classify', SCENE, '--labels', SHAPES, '--model', `${REF}@v2`, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`zeroshift: ${REF}@v2 is not in the hub cache ${join(home, 'hub')}`);
    expect(r.stderr).toContain(`hint: run \`zeroshift models pull ${REF}@v2\``);
  });
});
