import { join } from 'node:path';
import { probeCuda, type CudaProbe } from './deviceProbe.js';
import { MODELS_DIR } from './builtinModels.js';
import type { LoadModelOptions } from './types.js';

/** The embedded text tower: small enough that opening it is a cheap test of the provider. */
export const CUDA_PROBE_GRAPH = join(MODELS_DIR, 'tiny-clip-shapes', 'onnx', 'text_model.onnx');

/**
 * The device a model loads on, decided once before any of its sessions opens: CUDA when asked
 * for and its execution provider works here, else the CPU with one warning. Deciding per model
 * (not per session) is what keeps `info.executionProvider` true: a session that fell back to the
 * CPU on its own would have been recorded, cached and named as a CUDA result.
 */
export async function settleDevice(options: LoadModelOptions, probe: (path: string) => Promise<CudaProbe> = probeCuda): Promise<LoadModelOptions> {
  if (options.device !== 'cuda') return options;
  const found = await probe(CUDA_PROBE_GRAPH);
  if (found.available) return options;
  options.onWarning?.(`--device cuda: the CUDA execution provider is unavailable (${found.reason}); running on the CPU. Install the CUDA files with ONNXRUNTIME_NODE_INSTALL=cuda12 (see docs/models.md).`);
  return { ...options, device: 'cpu' };
}
