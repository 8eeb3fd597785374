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
 * Resolves a dataset name (e.g. `cifar10.1`, `wds/imagenetv2`, `sugarcrepe/swap_att`) against a
 * data dir without network access: ready when it and every entry it requires are prepared.
 * Unknown names throw a USAGE error listing the known ones.
 */
export function resolveDataset(name: string, dataDir: string, manifest: Manifest = shippedManifest()): ResolvedDataset {
  const entry = findDataset(name, manifest);
  const status = datasetStatus(entry, dataDir);
  const required = (entry.requires ?? []).map((id) => datasetStatus(findDataset(id, manifest), dataDir));
  let spec = entry.spec.replaceAll('{dir}', status.dir);
  for (const r of required) spec = spec.replaceAll(`{dir:${r.id}}`, r.dir);
  const notReady = [status, ...required].filter((s) => !s.prepared);
  if (notReady.length === 0) return { spec, prepared: true, missingMessage: '', dir: status.dir };
  const how =
    entry.kind === 'user'
      ? `supply it yourself: ${userInstructions(entry, dataDir).join(' ')}`
      : `run: ${prepareCommand(name, dataDir, entry.kind === 'wds')}${required.length ? ` (it prepares ${required.map((r) => r.id).join(', ')} too)` : ''}`;
  const why = notReady.map((s) => (s === status ? status.detail : `needs '${s.id}': ${s.detail}`)).join('; ');
  return { spec, prepared: false, missingMessage: `dataset '${name}' is not prepared in ${dataDir} (${why}); ${how}`, dir: status.dir };
}
