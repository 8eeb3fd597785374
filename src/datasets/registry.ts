import { Registry } from '../util/registry.js';
import { parseDatasetSpec } from './spec.js';
import { wdsAdapter } from './wds.js';
import { folderAdapter } from './folder.js';
import { csvAdapter } from './csv.js';
import { cifarAdapter } from './cifar.js';
import { mnistAdapter } from './mnist.js';
import { npyAdapter } from './npy.js';
import { shapesAdapter } from './shapes/adapter.js';
import { csvCaptionsAdapter } from './captions/csvCaptions.js';
import { cocoAdapter } from './captions/coco.js';
import { shapesCaptionsAdapter } from './captions/shapesCaptions.js';
import { sugarcrepeAdapter } from './captions/sugarcrepe.js';
import { winogroundAdapter } from './captions/winoground.js';
import { xtd10Adapter } from './captions/xtd10.js';
import { xm3600Adapter } from './captions/xm3600.js';
import { vocAdapter } from './voc.js';
import { imagenetCAdapter } from './imagenetC.js';
import { tinyImagenetAdapter } from './tinyImagenet.js';
import { babelImagenetAdapter } from './babelImagenet.js';
import type { AdapterDef, Dataset } from './types.js';

/** Every dataset adapter, keyed by the spec prefix. One line per adapter. */
export const adapters = new Registry<AdapterDef>('dataset adapter')
  .register(wdsAdapter.id, wdsAdapter)
  .register(folderAdapter.id, folderAdapter)
  .register(csvAdapter.id, csvAdapter)
  .register(cifarAdapter.id, cifarAdapter)
  .register(mnistAdapter.id, mnistAdapter)
  .register(npyAdapter.id, npyAdapter)
  .register(shapesAdapter.id, shapesAdapter)
  .register(csvCaptionsAdapter.id, csvCaptionsAdapter)
  .register(cocoAdapter.id, cocoAdapter)
  .register(shapesCaptionsAdapter.id, shapesCaptionsAdapter)
  .register(sugarcrepeAdapter.id, sugarcrepeAdapter)
  .register(winogroundAdapter.id, winogroundAdapter)
  .register(xtd10Adapter.id, xtd10Adapter)
  .register(xm3600Adapter.id, xm3600Adapter)
  .register(vocAdapter.id, vocAdapter)
  .register(imagenetCAdapter.id, imagenetCAdapter)
  .register(tinyImagenetAdapter.id, tinyImagenetAdapter)
  .register(babelImagenetAdapter.id, babelImagenetAdapter);

/** Opens a dataset from a spec string `adapter:arg?key=value`; unknown adapters list the known ones. */
export async function openDataset(spec: string): Promise<Dataset> {
  const parsed = parseDatasetSpec(spec, adapters.ids());
  return adapters.get(parsed.adapter).open(parsed);
}

/** The registered adapters, sorted by id. */
export function listAdapters(): AdapterDef[] {
  return adapters.entries().map(([, a]) => a).sort((a, b) => a.id.localeCompare(b.id));
}
