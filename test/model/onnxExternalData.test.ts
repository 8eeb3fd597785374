/** A model's identity covers every external-data file its graph references, whatever its name. */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, resolveModelRef } from '../../src/model/loadModel.js';
import { externalDataFiles } from '../../src/model/onnxExternalData.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const JINA = join(PACKAGE_ROOT, 'test/fixtures/families/tiny-jina-clip-v2');
const tmp = mkdtempSync(join(tmpdir(), 'zs-extdata-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The Jina fixture with its external data renamed: `name` has the length of 'model.onnx_data'
 * (15 bytes), so the graph's location strings are replaced in place and the protobuf stays valid.
 */
function renamedCopy(dirName: string, name: string): string {
  expect(Buffer.byteLength(name)).toBe(15);
  const dir = join(tmp, dirName);
  cpSync(JINA, dir, { recursive: true });
  const graph = join(dir, 'onnx/model.onnx');
  const bytes = readFileSync(graph);
  const from = Buffer.from('model.onnx_data');
  let replaced = 0;
  for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, i + 1), replaced++) Buffer.from(name).copy(bytes, i);
  expect(replaced).toBeGreaterThan(0);
  writeFileSync(graph, bytes);
  renameSync(join(dir, 'onnx/model.onnx_data'), join(dir, 'onnx', name));
  return dir;
}

describe('external data named by the graph', () => {
  it('lists the files a graph references, and none for a graph with inline weights', () => {
    expect(externalDataFiles(join(JINA, 'onnx/model.onnx'))).toEqual([join(JINA, 'onnx/model.onnx_data')]);
    expect(externalDataFiles(join(PACKAGE_ROOT, 'models/tiny-clip-shapes/onnx/vision_model.onnx'))).toEqual([]);
  });

  it('weights in a file of another name (weights_001.bin): changing it changes the model hashes, and the model still loads', async () => {
    const dir = renamedCopy('weights', 'weights_001.bin');
    const before = (await resolveModelRef(dir)).hashes;
    expect((await resolveModelRef(dir)).files.externalData[join(dir, 'onnx/model.onnx')]).toEqual([join(dir, 'onnx/weights_001.bin')]);
    const model = await loadModel(dir);
    await model.dispose();
    appendFileSync(join(dir, 'onnx/weights_001.bin'), '\0');
    const after = (await resolveModelRef(dir)).hashes;
    expect(after.textModel).not.toBe(before.textModel);
    expect(after.visionModel).not.toBe(before.visionModel);
    expect(after.tokenizer).toBe(before.tokenizer);
  });

  it('a referenced file that is missing, or a location outside the graph folder, is a MODEL error naming it', async () => {
    const missing = renamedCopy('missing', 'weights_001.bin');
    rmSync(join(missing, 'onnx/weights_001.bin'));
    await expect(resolveModelRef(missing)).rejects.toMatchObject({ code: 'MODEL', message: expect.stringMatching(/model\.onnx: references external data "weights_001\.bin", but .*weights_001\.bin is missing/) });
    const outside = renamedCopy('outside', '../../weights.b');
    await expect(resolveModelRef(outside)).rejects.toMatchObject({ code: 'MODEL', message: expect.stringMatching(/external data location "\.\.\/\.\.\/weights\.b" is not a path inside .* the file is refused/) });
  });

  it('a truncated graph is a MODEL error naming it, not a crash', () => {
    const dir = join(tmp, 'truncated');
    cpSync(JINA, dir, { recursive: true });
    const graph = join(dir, 'onnx/model.onnx');
    writeFileSync(graph, readFileSync(graph).subarray(0, 5000));
    expect(() => externalDataFiles(graph)).toThrow(/model\.onnx: not a readable ONNX graph/);
  });
});
