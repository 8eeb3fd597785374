import { probeCuda } from '../model/deviceProbe.js';
import { CUDA_PROBE_GRAPH } from '../model/settleDevice.js';
import type { Logger } from '../util/log.js';
import type { LoadModelOptions } from '../model/types.js';
import type { ProvenanceInput } from './provenance.js';

/**
 * The device the run uses: CUDA when asked for and its execution provider works (probed once
 * on the embedded text tower), else the CPU with one warning, recorded in every result.
 */
export async function chooseDevice(o: { model: LoadModelOptions; log: Logger }): Promise<ProvenanceInput['device']> {
  if (o.model.device !== 'cuda') return { requested: 'cpu', used: 'cpu' };
  const probe = await probeCuda(CUDA_PROBE_GRAPH);
  if (probe.available) return { requested: 'cuda', used: 'cuda' };
  o.log.warn(`--device cuda: the CUDA execution provider is unavailable (${probe.reason}); running on the CPU (recorded in each result's provenance). Install the CUDA files with ONNXRUNTIME_NODE_INSTALL=cuda12 (see docs/models.md).`);
  return { requested: 'cuda', used: 'cpu', fallbackReason: probe.reason };
}
