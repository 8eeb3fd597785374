import { findDataset, shippedManifest } from './manifest.js';
import type { Manifest } from './manifestSchema.js';
import { datasetStatus, prepareCommand } from './status.js';
import { userInstructions } from './userData.js';

/** Where a named dataset lives under a data dir, for the evaluation runner. */
export interface ResolvedDataset {
  /** Adapter spec reading the prepared layout, e.g. `cifar:/home/me/.local/share/zeroshift/cifar-10-batches-bin?split=test`. */
  spec: string;
  prepared: boolean;
  /** Empty when prepared; otherwise what is wrong and the exact prepare command (or how to supply it). */
  missingMessage: string;
  dir: string;
}

/**
 * Resolves a dataset name (e.g. `cifar10.1`, `wds/imagenetv2`) against a data dir without
 * network access. Unknown names throw a USAGE error listing the known ones.
 */
export function resolveDataset(name: string, dataDir: string, manifest: Manifest = shippedManifest()): ResolvedDataset {
  const entry = findDataset(name, manifest);
  const status = datasetStatus(entry, dataDir);
  const spec = entry.spec.replaceAll('{dir}', status.dir);
  if (status.prepared) return { spec, prepared: true, missingMessage: '', dir: status.dir };
  const how =
    entry.kind === 'user'
      ? `supply it yourself: ${userInstructions(entry, dataDir).join(' ')}`
      : `run: ${prepareCommand(name, dataDir, entry.kind === 'wds')}`;
  return { spec, prepared: false, missingMessage: `dataset '${name}' is not prepared in ${dataDir} (${status.detail}); ${how}`, dir: status.dir };
}
