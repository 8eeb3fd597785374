import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZeroshiftError, unknownIdError } from '../errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { formatZodIssue } from '../util/zodMessage.js';
import { manifestSchema, type DatasetEntry, type Manifest } from './manifestSchema.js';

/** The shipped manifest of downloadable datasets and suites. */
export const MANIFEST_PATH = join(PACKAGE_ROOT, 'data', 'datasets-manifest.json');

/** Validates a manifest object; `source` names it in errors. */
export function parseManifest(value: unknown, source: string): Manifest {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => formatZodIssue(i));
    throw new ZeroshiftError('CONFIG', `invalid dataset manifest ${source}: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/** Reads and validates a manifest file (the shipped one by default). */
export function loadManifest(path: string = MANIFEST_PATH): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ZeroshiftError('CONFIG', `cannot read dataset manifest ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ZeroshiftError('CONFIG', `dataset manifest ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseManifest(json, path);
}

let shipped: Manifest | undefined;

/** The shipped manifest, read once. */
export function shippedManifest(): Manifest {
  shipped ??= loadManifest();
  return shipped;
}

/** The manifest entry for a dataset id; unknown ids list the known ones. */
export function findDataset(id: string, manifest: Manifest = shippedManifest()): DatasetEntry {
  const entry = manifest.datasets.find((d) => d.id === id);
  if (entry === undefined) throw unknownIdError('dataset', id, manifest.datasets.map((d) => d.id));
  return entry;
}

/** Dataset ids of a suite, in evaluation order (e.g. `cifar10-robustness` → cifar10, cifar10.1, cifar10-c). */
export function datasetsForSuite(name: string, manifest: Manifest = shippedManifest()): string[] {
  const members = manifest.suites[name];
  if (members === undefined) throw unknownIdError('suite', name, Object.keys(manifest.suites));
  return [...members];
}

/**
 * Expands command-line names (dataset ids or suite names) into unique dataset ids, in order,
 * each entry's `requires` before it. A name that is both is treated as a dataset.
 */
export function expandNames(names: readonly string[], manifest: Manifest = shippedManifest()): string[] {
  const ids = new Set(manifest.datasets.map((d) => d.id));
  const out: string[] = [];
  for (const name of names) {
    let members: string[];
    if (ids.has(name)) members = [name];
    else if (manifest.suites[name] !== undefined) members = datasetsForSuite(name, manifest);
    else throw unknownIdError('dataset or suite', name, [...ids, ...Object.keys(manifest.suites)]);
    // What an entry reads from is prepared before it (COCO val2017 before the SugarCrepe files).
    for (const m of members.flatMap((id) => [...(findDataset(id, manifest).requires ?? []), id])) if (!out.includes(m)) out.push(m);
  }
  return out;
}
