/**
 * A Hub model whose graph keeps its weights in an external-data file of another name than
 * `*.onnx_data*` (`weights_001.bin`): the pull fetches what the graph references. Before, only
 * `*.onnx_data*` were fetched and the load stopped with "references external data ... missing".
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubConfig } from '../../src/hub/config.js';
import { resolveModelRef } from '../../src/model/loadModel.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import { startFakeHub, type FakeHub } from './fakeHub.js';

const JINA = join(PACKAGE_ROOT, 'test/fixtures/families/tiny-jina-clip-v2');
const REPO = 'acme/jina-weights-bin';

/** The Jina fixture's files, its graph's location strings renamed in place (same length, so the protobuf stays valid). */
function renamedFiles(name: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(JINA, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(JINA);
  const graph = Buffer.from(out['onnx/model.onnx']);
  const from = Buffer.from('model.onnx_data');
  expect(Buffer.byteLength(name)).toBe(from.length);
  for (let i = graph.indexOf(from); i >= 0; i = graph.indexOf(from, i + 1)) Buffer.from(name).copy(graph, i);
  out['onnx/model.onnx'] = graph;
  out[`onnx/${name}`] = out['onnx/model.onnx_data'];
  delete out['onnx/model.onnx_data'];
  return out;
}

let hub: FakeHub;
let home: string;
beforeAll(async () => {
  const files = renamedFiles('weights_001.bin');
  hub = await startFakeHub({ [REPO]: { files, lfs: (p) => p.startsWith('onnx/') } });
  home = mkdtempSync(join(tmpdir(), 'zs-hub-refdata-'));
});
afterAll(async () => {
  await hub.close();
  rmSync(home, { recursive: true, force: true });
});

const config = (cacheDir: string, offline = false): HubConfig => ({ cacheDir, endpoint: hub.endpoint, offline, symlinks: true });

describe('hub pulls fetch the external data the graph references', () => {
  it('fetches weights_001.bin beside the graph, loads it into the identity, and serves it offline later', async () => {
    const cacheDir = join(home, 'a');
    const { files, hub: id } = await resolveModelRef(`hf:${REPO}`, { hub: { config: config(cacheDir) } });
    const graph = files.combinedModel ?? files.textModel;
    expect(files.externalData[graph]).toEqual([join(graph, '..', 'weights_001.bin')]);
    expect(hub.requests.some((r) => r.url.endsWith('/onnx/weights_001.bin'))).toBe(true);
    expect(id?.commit).toBe(hub.commit(REPO));
    const before = hub.requests.length;
    const offline = await resolveModelRef(`hf:${REPO}`, { hub: { config: config(cacheDir, true) } });
    expect(offline.files.externalData[offline.files.combinedModel ?? offline.files.textModel]).toHaveLength(1);
    expect(hub.requests.length).toBe(before);
  });

  it('sizes the referenced file as weights, whatever its name, before downloading it', async () => {
    const cacheDir = join(home, 'b');
    const size = renamedFiles('weights_001.bin')['onnx/weights_001.bin'].length;
    const graphSize = renamedFiles('weights_001.bin')['onnx/model.onnx'].length;
    const limits = { maxInputPixels: 4096 * 4096, maxTokenizerBytes: 1 << 27, maxConfigBytes: 1 << 24, maxWeightsBytes: Math.max(graphSize, size - 1) };
    expect(size - 1).toBeGreaterThanOrEqual(graphSize);
    await expect(resolveModelRef(`hf:${REPO}`, { hub: { config: config(cacheDir), limits } })).rejects.toMatchObject({ code: 'MODEL', message: expect.stringMatching(/onnx\/weights_001\.bin: \d+ bytes, over the \d+-byte limit for a graph or weights file/) });
  });
});
