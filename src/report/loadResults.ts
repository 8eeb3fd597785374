import { stat } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';
import type { Prediction, Result } from '../results/schema.js';
import { findResultFiles, readPredictions, readResult } from '../results/store.js';

/** Results read from disk, with their per-item predictions keyed by result id where readable. */
export interface LoadedResults {
  results: Result[];
  files: string[];
  predictions: Map<string, Prediction[]>;
  /** Result files whose predictions file could not be read (the gallery skips them). */
  missingPredictions: string[];
}

/**
 * Reads result files and directories (searched recursively for `*.json` of kind
 * `zeroshift-result`). Each file is validated; an invalid one throws INPUT naming the file
 * and the failing key.
 */
export async function loadResults(paths: readonly string[]): Promise<LoadedResults> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw new ZeroshiftError('INPUT', `results path not found: ${p}`);
    files.push(...(info.isDirectory() ? await findResultFiles(p) : [p]));
  }
  if (files.length === 0) {
    throw new ZeroshiftError('INPUT', `no zeroshift result files under ${paths.join(', ')}`, { hint: 'run `zeroshift eval` first' });
  }
  const out: LoadedResults = { results: [], files: [], predictions: new Map(), missingPredictions: [] };
  for (const file of [...new Set(files)]) {
    const result = await readResult(file);
    out.results.push(result);
    out.files.push(file);
    try {
      out.predictions.set(result.id, await readPredictions(file, result));
    } catch {
      out.missingPredictions.push(file);
    }
  }
  return out;
}
