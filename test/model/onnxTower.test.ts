import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../src/model/modelFiles.js';
import { l2NormalizeRows, openGraph, towerOf } from '../../src/model/onnxTower.js';

const noText = () => ({ ids: [[0]], lengths: [1] });
async function openTower(path: string, kind: 'text' | 'vision', options = {}) {
  const graph = await openGraph(path, options);
  return { ...(await towerOf(graph, kind, { dummyText: noText })), release: () => graph.release() };
}

const VISION = join(DEFAULT_MODEL_DIR, 'onnx/vision_model.onnx');
const ortBin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '../../bin/napi-v6', `${process.platform}/${process.arch}`);
const cudaInstalled = existsSync(join(ortBin, 'libonnxruntime_providers_cuda.so'));

describe('onnxTower', () => {
  it('reads the embedding width and input shape from session metadata', async () => {
    const tower = await openTower(VISION, 'vision', { threads: 1 });
    expect(tower.outputName).toBe('image_embeds');
    expect(tower.embedDim).toBe(64);
    expect(tower.inputShape.slice(1)).toEqual([3, 64, 64]);
    const emb = await tower.runPixels(new Float32Array(2 * 3 * 64 * 64).fill(0.5), [2, 3, 64, 64]);
    expect(emb).toHaveLength(128);
    expect(Math.hypot(...emb.subarray(0, 64))).toBeCloseTo(1, 5);
    await tower.release();
  });

  it('reports a wrong batch shape as a MODEL error naming the file', async () => {
    const tower = await openTower(VISION, 'vision');
    await expect(tower.runPixels(new Float32Array(3 * 32 * 32), [1, 3, 32, 32])).rejects.toMatchObject({ code: 'MODEL', message: expect.stringContaining('vision_model.onnx') });
    await tower.release();
  });

  it.runIf(!cudaInstalled)('falls back to CPU with a warning when the CUDA provider is not installed', async () => {
    const warnings: string[] = [];
    const tower = await openTower(VISION, 'vision', { device: 'cuda', onWarning: (m: string) => warnings.push(m) });
    expect(warnings.join('\n')).toMatch(/CUDA execution provider unavailable.*running .*vision_model\.onnx on CPU/);
    await tower.release();
  });

  it('l2NormalizeRows divides each row by its norm and leaves zero rows at zero', () => {
    expect([...l2NormalizeRows(new Float32Array([3, 4, 0, 0]), 2, 2)]).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
  });
});
