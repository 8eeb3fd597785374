import { decideDevice } from '../model/settleDevice.js';
import type { Logger } from '../util/log.js';
import type { LoadModelOptions } from '../model/types.js';
import type { ProvenanceInput } from './provenance.js';

/**
 * The device the run uses (`decideDevice`, probed once for the whole run), recorded in every
 * result; the models then load on it without probing again (`deviceDecided`).
 */
export async function chooseDevice(o: { model: LoadModelOptions; log: Logger }): Promise<ProvenanceInput['device']> {
  return decideDevice(o.model.device, (m) => o.log.warn(m), " (recorded in each result's provenance)");
}
