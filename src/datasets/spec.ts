import { unknownIdError, ZeroshiftError } from '../errors.js';
import type { DatasetSpec } from './types.js';

const ADAPTER_ID = /^[a-z][a-z0-9-]*$/;

function decodePart(part: string, spec: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ZeroshiftError('USAGE', `dataset spec '${spec}': bad percent escape in '${part}'`, {
      hint: 'write a literal % as %25 (also & as %26 and = as %3D)',
    });
  }
}

function parseQuery(query: string, spec: string): Record<string, string> {
  // Null prototype: keys are user input (`?constructor=1` must be an unknown option, not "given twice").
  const options: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ZeroshiftError('USAGE', `dataset spec '${spec}': option '${pair}' is not key=value`);
    const key = decodePart(pair.slice(0, eq), spec);
    if (key in options) throw new ZeroshiftError('USAGE', `dataset spec '${spec}': option '${key}' given twice`);
    options[key] = decodePart(pair.slice(eq + 1), spec);
  }
  return options;
}

/**
 * Parses `adapter:arg?key=value&key=value`. The arg and values are percent-decoded (so a
 * path holding `?`, `&` or `%` is written with %3F, %26, %25). When `knownAdapters` is given,
 * an adapter id outside it is an error listing them; the registry's `openDataset` passes them.
 */
export function parseDatasetSpec(s: string, knownAdapters?: readonly string[]): DatasetSpec {
  const colon = s.indexOf(':');
  const adapter = colon < 0 ? '' : s.slice(0, colon);
  if (!ADAPTER_ID.test(adapter)) {
    const known = knownAdapters ? `; known adapters: ${[...knownAdapters].sort().join(', ')}` : '';
    throw new ZeroshiftError('USAGE', `dataset spec '${s}' is not of the form adapter:arg?key=value${known}`, {
      hint: 'e.g. folder:/data/pets or wds:/data/cifar10?split=test',
    });
  }
  if (knownAdapters && !knownAdapters.includes(adapter)) throw unknownIdError('dataset adapter', adapter, knownAdapters);
  const rest = s.slice(colon + 1);
  const q = rest.indexOf('?');
  const arg = decodePart(q < 0 ? rest : rest.slice(0, q), s);
  const options = q < 0 ? {} : parseQuery(rest.slice(q + 1), s);
  return { adapter, arg, options };
}

/** Canonical string of a spec: options sorted by key, special characters percent-encoded. */
export function formatDatasetSpec(spec: DatasetSpec): string {
  const enc = (v: string): string => v.replace(/[%?&=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const keys = Object.keys(spec.options).sort();
  const query = keys.map((k) => `${enc(k)}=${enc(spec.options[k])}`).join('&');
  return `${spec.adapter}:${enc(spec.arg)}${query ? `?${query}` : ''}`;
}
