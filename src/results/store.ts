import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Result, Prediction } from './schema.js';
import { parseResult, upgradePrediction } from './upgrade.js';
import { resultBaseName, keyOfResult } from './paths.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { ZeroshiftError } from '../errors.js';

/**
 * Writes a result and its predictions atomically (predictions first, so a result never points
 * at a missing file). Sets `result.predictionsFile` to the predictions' file name and returns
 * the result file's path.
 */
export async function writeResult(outDir: string, result: Result, predictions: Prediction[]): Promise<string> {
  const base = resultBaseName(keyOfResult(result));
  const predText = predictions.map((p) => JSON.stringify(p)).join('\n') + (predictions.length ? '\n' : '');
  await writeFileAtomic(join(outDir, `${base}.predictions.jsonl`), predText);
  result.predictionsFile = `${base}.predictions.jsonl`;
  const file = join(outDir, `${base}.json`);
  await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * Reads and validates one result file (any version this code reads, returned as the current
 * one); errors name the file and the failing key.
 */
export async function readResult(file: string): Promise<Result> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ZeroshiftError('INPUT', `${file}: not a readable JSON result (${(e as Error).message})`);
  }
  return parseResult(raw, file);
}

/** Reads a result's per-item predictions (version-1 lines gain `correct` from the result's protocol). */
export async function readPredictions(resultFile: string, result: Result): Promise<Prediction[]> {
  const dir = resultFile.slice(0, resultFile.length - (resultFile.split('/').pop() ?? '').length);
  const text = await readFile(join(dir, result.predictionsFile), 'utf8');
  return text.split('\n').filter((l) => l.length > 0).map((l) => upgradePrediction(JSON.parse(l) as Prediction, result));
}

/** True when `file` parses as JSON with kind zeroshift-result (cheap check before validation). */
async function isResultFile(file: string): Promise<boolean> {
  try {
    const head = await readFile(file, 'utf8');
    return head.includes('"kind": "zeroshift-result"') || head.includes('"kind":"zeroshift-result"');
  } catch {
    return false;
  }
}

/** Every result file under `dir` (recursively), sorted. */
export async function findResultFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.json') && !e.name.startsWith('.') && (await isResultFile(p))) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** CLIP_benchmark-compatible columns plus zeroshift's own. */
export function indexRows(results: Result[]): Record<string, string | number>[] {
  return results.map((r) => ({
    acc1: r.metrics.acc1,
    acc5: r.metrics.acc5 ?? '',
    mean_per_class_recall: r.metrics.meanPerClassRecall,
    dataset: r.dataset.name,
    model: r.model.name,
    pretrained: r.model.hashes.visionModel.slice(0, 12),
    task: r.task === 'zeroshot_classification' ? 'zeroshot_classification' : r.task,
    shift: r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
    prompts: r.prompts.name,
    n: r.metrics.n,
    acc1_ci_low: r.metrics.acc1Ci[0],
    acc1_ci_high: r.metrics.acc1Ci[1],
    ece: r.metrics.ece,
    family: r.dataset.family ?? '',
    variant: r.dataset.variant ?? '',
    result_id: r.id,
  }));
}

/**
 * Rebuilds `index.csv` from every result in `outDir` (idempotent, so concurrent runs converge).
 * With `onUnreadable`, a result file that fails to read or validate (a stranger's file, one
 * from another schema version) is reported and left out instead of failing the call: a run
 * must not lose its own finished results to a bad file it did not write.
 */
export async function rebuildIndex(outDir: string, onUnreadable?: (file: string, reason: string) => void): Promise<string> {
  const files = await findResultFiles(outDir);
  const results: Result[] = [];
  for (const f of files) {
    try {
      results.push(await readResult(f));
    } catch (e) {
      if (!onUnreadable) throw e;
      onUnreadable(f, (e as Error).message);
    }
  }
  const file = join(outDir, 'index.csv');
  // Papa joins rows with CRLF by default; with the final LF that mixed two line endings.
  await writeFileAtomic(file, `${Papa.unparse(indexRows(results), { newline: '\n' })}\n`);
  return file;
}
