import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideDevice, settleDevice, CUDA_PROBE_GRAPH } from '../../src/model/settleDevice.js';
import { loadModel } from '../../src/model/loadModel.js';

const ortBin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '../../bin/napi-v6', `${process.platform}/${process.arch}`);
const cudaInstalled = existsSync(join(ortBin, 'libonnxruntime_providers_cuda.so'));

describe('settleDevice', () => {
  it('leaves a CPU request alone without probing', async () => {
    const probed: string[] = [];
    const options = { device: 'cpu' as const, threads: 1 };
    expect(await settleDevice(options, async (p) => (probed.push(p), { available: true }))).toBe(options);
    expect(probed).toEqual([]);
  });

  it('keeps cuda when the provider opens the probe graph, and falls back to the CPU with one warning when it does not', async () => {
    const warnings: string[] = [];
    const ok = await settleDevice({ device: 'cuda', onWarning: (m) => warnings.push(m) }, async () => ({ available: true }));
    expect(ok.device).toBe('cuda');
    const probed: string[] = [];
    const fell = await settleDevice({ device: 'cuda', threads: 2, onWarning: (m) => warnings.push(m) }, async (p) => (probed.push(p), { available: false, reason: 'libcudart.so.12: cannot open' }));
    expect(fell).toMatchObject({ device: 'cpu', threads: 2 });
    expect(probed).toEqual([CUDA_PROBE_GRAPH]);
    expect(warnings).toEqual([expect.stringMatching(/CUDA execution provider is unavailable \(libcudart\.so\.12: cannot open\); running on the CPU/)]);
  });
});

describe('decideDevice', () => {
  it('records the fallback reason and warns once with the note; a run that decided it loads its models without probing again', async () => {
    const warnings: string[] = [];
    const choice = await decideDevice('cuda', (m) => warnings.push(m), ' (recorded in each result\'s provenance)', async () => ({ available: false, reason: 'no libcudart' }));
    expect(choice).toEqual({ requested: 'cuda', used: 'cpu', fallbackReason: 'no libcudart' });
    expect(warnings).toEqual([expect.stringMatching(/unavailable \(no libcudart\); running on the CPU \(recorded in each result's provenance\)\. Install/)]);
    const probed: string[] = [];
    const decided = { device: 'cuda' as const, deviceDecided: true };
    expect(await settleDevice(decided, async (p) => (probed.push(p), { available: false, reason: 'x' }))).toBe(decided);
    expect(probed).toEqual([]);
  });
});

describe('loadModel with --device cuda where CUDA is missing', () => {
  // Before, each session fell back on its own while the model was recorded as CUDA: a CPU
  // result named "(cuda)", cached and keyed as a CUDA one.
  it.runIf(!cudaInstalled)('records no CUDA provider and gives the CPU embeddings, warning once', async () => {
    const warnings: string[] = [];
    const cuda = await loadModel(undefined, { device: 'cuda', threads: 1, onWarning: (m) => warnings.push(m) });
    const cpu = await loadModel(undefined, { threads: 1 });
    try {
      expect(cuda.info.executionProvider).toBeUndefined();
      expect(cuda.info).toEqual(cpu.info);
      expect(await cuda.encodeText(['a photo of a circle.'])).toEqual(await cpu.encodeText(['a photo of a circle.']));
      expect(warnings.filter((w) => /CUDA/.test(w))).toHaveLength(1);
    } finally {
      await cuda.dispose();
      await cpu.dispose();
    }
  });
});
