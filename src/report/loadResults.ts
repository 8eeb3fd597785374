import { stat } from 'node:fs/promises';
import { ZeroshiftError } from '../errors.js';
import type { Prediction, Result } from '../results/schema.js';
import { findResultFiles, predictionsPath, readPredictions, readResult } from '../results/store.js';
import { checkReportInputs } from './checkInputs.js';

/** Results read from disk, with their per-item predictions keyed by result id where readable. */
export interface LoadedResults {
  results: Result[];
  files: string[];
  predictions: Map<string, Prediction[]>;
  /** Result files whose predictions file could not be read (the gallery skips them). */
  missingPredictions: string[];
  /** What the input checks resolved (duplicates left out), one line each, for the user. */
  notices: string[];
}

/**
 * Reads result files and directories (`*.json` of kind `zeroshift-result` directly in each
 * directory; with `recursive`, in its subdirectories too). Each file is validated; an invalid
 * one throws INPUT naming the file and the failing key. The set is then checked
 * (checkReportInputs): the same result twice counts once, and different results of one
 * model × dataset × shift × prompts are refused. With `allowNone` (the inputs hold task results),
 * a directory without classification results is not an error.
 */
export async function loadResults(paths: readonly string[], options: { recursive?: boolean; /** Task results were found: no classification result is then fine. */ allowNone?: boolean } = {}): Promise<LoadedResults> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw new ZeroshiftError('INPUT', `results path not found: ${p}`);
    files.push(...(info.isDirectory() ? await findResultFiles(p, { recursive: options.recursive }) : [p]));
  }
  if (files.length === 0 && !options.allowNone) {
    const hint = options.recursive ? 'run `zeroshift eval` first' : 'run `zeroshift eval` first, or add --recursive to read the result directories inside';
    throw new ZeroshiftError('INPUT', `no zeroshift result files in ${paths.join(', ')}`, { hint });
  }
  const unique = [...new Set(files)];
  const read: Result[] = [];
  for (const file of unique) read.push(await readResult(file));
  const checked = checkReportInputs(read, unique);
  const out: LoadedResults = { results: [], files: [], predictions: new Map(), missingPredictions: [], notices: checked.notices };
  for (const i of checked.keep) {
    const result = read[i];
    const file = unique[i];
    // A predictionsFile outside the result's directory refuses the file (not "missing predictions").
    predictionsPath(file, result);
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
