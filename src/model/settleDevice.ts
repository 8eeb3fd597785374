import { join } from 'node:path';
import { probeCuda, type CudaProbe } from './deviceProbe.js';
import { MODELS_DIR } from './builtinModels.js';
import type { Device, LoadModelOptions } from './types.js';

/** The embedded text tower: small enough that opening it is a cheap test of the provider. */
export const CUDA_PROBE_GRAPH = join(MODELS_DIR, 'tiny-clip-shapes', 'onnx', 'text_model.onnx');

/** The device asked for, the one used, and why CUDA was not, as provenance records them. */
export interface DeviceChoice {
  requested: Device;
  used: Device;
  fallbackReason?: string;
}

/**
 * The one decision of a device: CUDA when asked for and its execution provider opens the probe
 * graph here, else the CPU, with one warning (`note` is appended to it) naming why.
 */
export async function decideDevice(requested: Device | undefined, onWarning: ((message: string) => void) | undefined, note = '', probe: (path: string) => Promise<CudaProbe> = probeCuda): Promise<DeviceChoice> {
  if (requested !== 'cuda') return { requested: 'cpu', used: 'cpu' };
  const found = await probe(CUDA_PROBE_GRAPH);
  if (found.available) return { requested: 'cuda', used: 'cuda' };
  onWarning?.(`--device cuda: the CUDA execution provider is unavailable (${found.reason}); running on the CPU${note}. Install the CUDA files with ONNXRUNTIME_NODE_INSTALL=cuda12 (see docs/models.md).`);
  return { requested: 'cuda', used: 'cpu', fallbackReason: found.reason };
}

/**
 * The device a model loads on, decided once before any of its sessions opens (`decideDevice`),
 * unless the caller already decided it (`deviceDecided`: eval probes once per run). Deciding per
 * model (not per session) is what keeps `info.executionProvider` true: a session that fell back
 * to the CPU on its own would have been recorded, cached and named as a CUDA result.
 */
export async function settleDevice(options: LoadModelOptions, probe: (path: string) => Promise<CudaProbe> = probeCuda): Promise<LoadModelOptions> {
  if (options.device !== 'cuda' || options.deviceDecided) return options;
  const choice = await decideDevice(options.device, options.onWarning, '', probe);
  return choice.used === 'cuda' ? options : { ...options, device: 'cpu' };
}
