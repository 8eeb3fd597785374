import { join } from 'node:path';
import type { DatasetEntry } from './manifestSchema.js';
import { entryHash, readMarker } from './marker.js';
import { checkUserLayout } from './userData.js';
import { existsSync } from 'node:fs';

/** Whether a dataset is ready under a data dir, and why not. */
export interface DatasetStatus {
  id: string;
  dir: string;
  prepared: boolean;
  /** `ready`, `missing`, `stale` (prepared by another manifest version), `foreign` (a directory without marker), `invalid` (user layout wrong). */
  state: 'ready' | 'missing' | 'stale' | 'foreign' | 'invalid';
  detail: string;
}

/** The exact command that prepares `id` into `dataDir`. */
export function prepareCommand(id: string, dataDir: string, trustUnverified = false): string {
  return `zeroshift prepare ${id} --data-dir ${JSON.stringify(dataDir)}${trustUnverified ? ' --trust-unverified' : ''}`;
}

/** Checks a dataset's layout without any network access (marker and required paths; user layouts by directory count). */
export function datasetStatus(entry: DatasetEntry, dataDir: string): DatasetStatus {
  const dir = join(dataDir, entry.layoutDir);
  const base = { id: entry.id, dir };
  if (entry.kind === 'user') {
    const check = checkUserLayout(entry, dataDir);
    if (check.ok) return { ...base, prepared: true, state: 'ready', detail: check.detail };
    return { ...base, prepared: false, state: existsSync(dir) ? 'invalid' : 'missing', detail: check.detail };
  }
  if (!existsSync(dir)) return { ...base, prepared: false, state: 'missing', detail: `${dir} does not exist` };
  const marker = readMarker(dir);
  if (marker === undefined) return { ...base, prepared: false, state: 'foreign', detail: `${dir} exists but has no prepare marker` };
  if (marker.entryHash !== entryHash(entry)) {
    return { ...base, prepared: false, state: 'stale', detail: `${dir} was prepared from a different manifest entry` };
  }
  const missing = entry.requiredPaths.filter((p) => !existsSync(join(dir, p)));
  if (missing.length > 0) return { ...base, prepared: false, state: 'invalid', detail: `missing ${missing.join(', ')} in ${dir}` };
  return { ...base, prepared: true, state: 'ready', detail: `prepared ${marker.preparedAt}` };
}
