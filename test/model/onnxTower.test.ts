import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../src/model/modelFiles.js';
import { l2NormalizeRows, openGraph, sessionOptions, towerOf } from '../../src/model/onnxTower.js';

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

  it.runIf(!cudaInstalled)('refuses a CUDA session it cannot open instead of running it on the CPU unrecorded (loadModel settles the device first)', async () => {
    await expect(openTower(VISION, 'vision', { device: 'cuda' })).rejects.toMatchObject({ code: 'MODEL', message: expect.stringMatching(/vision_model\.onnx: cannot open with the CUDA execution provider .*rerun with --device cpu/) });
  });

  it('lets no ONNX Runtime pool thread spin between runs unless asked (spinWait)', () => {
    const spin = (o: object) => (sessionOptions(o, ['cpu']).extra as { session: { intra_op: { allow_spinning: string }; inter_op: { allow_spinning: string } } }).session;
    expect(spin({ threads: 2 })).toEqual({ intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } });
    expect(spin({ threads: 2, spinWait: true })).toEqual({ intra_op: { allow_spinning: '1' }, inter_op: { allow_spinning: '1' } });
  });

  it.runIf(process.platform === 'linux')('leaves no pool thread runnable between runs: the main thread prepares the next batch alone', async () => {
    // A thread's state is read from /proc, so the check holds under load too (a spinning
    // thread is runnable even while another process has its core). With ONNX Runtime's
    // default (spinning) a 2-thread pool had a runnable thread after 19-20 of 20 runs; now 0-5.
    const runnableThreads = (): number => readdirSync('/proc/self/task').filter((tid) => {
      if (Number(tid) === process.pid) return false;
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return stat[stat.lastIndexOf(')') + 2] === 'R';
    }).length;
    const tower = await openTower(VISION, 'vision', { threads: 2 });
    const pixels = new Float32Array(16 * 3 * 64 * 64).fill(0.25);
    let busy = 0;
    for (let i = 0; i < 20; i++) {
      await tower.runPixels(pixels, [16, 3, 64, 64]);
      const t0 = performance.now();
      while (performance.now() - t0 < 10) Math.sqrt(t0);
      if (runnableThreads() > 0) busy++;
    }
    await tower.release();
    expect(busy).toBeLessThan(12);
  });

  it('l2NormalizeRows divides each row by its norm and leaves zero rows at zero', () => {
    expect([...l2NormalizeRows(new Float32Array([3, 4, 0, 0]), 2, 2)]).toEqual([0.6000000238418579, 0.800000011920929, 0, 0]);
  });
});
