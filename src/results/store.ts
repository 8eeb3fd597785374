import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Result, Prediction } from './schema.js';
import { parseResult, upgradePrediction } from './upgrade.js';
import { resultBaseName, legacyBaseName, keyOfResult, modelFilePart, slug, type ResultKey } from './paths.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { stableStringify } from '../util/hash.js';
import { ZeroshiftError } from '../errors.js';
import { resolveInside } from '../util/containedPath.js';
import { parseJsonLine, readJsonFile } from '../util/jsonError.js';
import { readAnyResult, taskResultSchema, type TaskResult } from './envelope.js';

/** What writing a result did beside writing it. */
export interface WriteOptions {
  /** Called when a result of the same identity but other numbers is replaced (e.g. another device). */
  onReplaced?(file: string, why: string): void;
}

/**
 * The one store of results, for every task: file names, find by identity, write, read, list.
 * Zero-shot classification (Result v2, with its predictions file) and the task results
 * (results/tasks/<task>.ts) keep their own file names, so results of either are never mixed up;
 * index.csv over all of them is results/indexCsv.ts.
 */

/**
 * Writes a result and its predictions atomically (predictions first, so a result never points
 * at a missing file). The file name carries the result id, so a result of another identity is
 * never overwritten. When a result of the same identity is already there with the same numbers,
 * it is kept as it is (first `createdAt`, timings and provenance) and only gains `reusedAt`; the passed
 * `result` is updated to match. Sets `result.predictionsFile` and returns the result file's path.
 */
export async function writeResult(outDir: string, result: Result, predictions: Prediction[], options: WriteOptions = {}): Promise<string> {
  const base = resultBaseName(keyOfResult(result));
  const file = join(outDir, `${base}.json`);
  const previous = await sameIdentityResult(outDir, file, result);
  if (previous && sameNumbers(previous.result, result)) {
    Object.assign(result, { createdAt: previous.result.createdAt, timings: previous.result.timings, provenance: previous.result.provenance, reusedAt: new Date().toISOString() });
  } else if (previous) {
    options.onReplaced?.(previous.file, `the rerun's numbers differ (top-1 ${previous.result.metrics.acc1} → ${result.metrics.acc1}, n ${previous.result.metrics.n} → ${result.metrics.n})`);
  }
  const predText = predictions.map((p) => JSON.stringify(p)).join('\n') + (predictions.length ? '\n' : '');
  const predName = `${base}.predictions.jsonl`;
  // A reused result keeps its predictions only when they are ours, under our name, and there;
  // its recorded predictionsFile is data, and may point anywhere.
  const keep = previous && result.reusedAt && previous.file === file && previous.result.predictionsFile === predName && existsSync(join(outDir, predName));
  if (!keep) await writeFileAtomic(join(outDir, predName), predText);
  result.predictionsFile = predName;
  await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  if (previous && previous.file !== file) await removeResultFiles(previous.file, previous.result);
  return file;
}

/**
 * A result of the same identity already in `outDir`: at the identity file name, or at the
 * name-only (legacy) name results had before. A different id at the identity name (a 48-bit
 * prefix collision) is refused rather than overwritten.
 */
async function sameIdentityResult(outDir: string, file: string, result: Result): Promise<{ file: string; result: Result } | null> {
  for (const f of [file, join(outDir, `${legacyBaseName(keyOfResult(result))}.json`)]) {
    if (!existsSync(f)) continue;
    let prev: Result;
    try {
      prev = await readResult(f);
    } catch {
      if (f === file) throw new ZeroshiftError('INPUT', `${f}: exists but is not a readable result; move it away before writing result ${result.id} there`);
      continue;
    }
    if (prev.id === result.id) return { file: f, result: prev };
    if (f === file) throw new ZeroshiftError('INTERNAL', `${f}: holds result ${prev.id}, not ${result.id}, under the same short id; refusing to overwrite it`);
  }
  return null;
}

function sameNumbers(a: Result, b: Result): boolean {
  // Key order differs between a parsed file and a fresh result; compare canonical JSON.
  return stableStringify([a.metrics, a.perClass, a.confusion]) === stableStringify([b.metrics, b.perClass, b.confusion]);
}

/**
 * Removes a result zeroshift replaced and its predictions. The predictions file is removed only
 * when it is one zeroshift names (`*.predictions.jsonl` beside the result): a result file is
 * data, and its `predictionsFile` must never make zeroshift delete anything else.
 */
async function removeResultFiles(file: string, result: Result): Promise<void> {
  await rm(file, { force: true });
  const predictions = ownPredictionsPath(file, result);
  if (predictions !== undefined) await rm(predictions, { force: true });
}

/** The result's predictions path when it is a `*.predictions.jsonl` inside the result's directory, else undefined. */
function ownPredictionsPath(resultFile: string, result: Result): string | undefined {
  if (!result.predictionsFile.endsWith('.predictions.jsonl')) return undefined;
  try {
    return predictionsPath(resultFile, result);
  } catch {
    return undefined;
  }
}

/**
 * Where a result's predictions file is: `predictionsFile` resolved against the result file's
 * directory, which it must stay inside.
 * @throws ZeroshiftError('INPUT') naming the result file when `predictionsFile` leaves its directory.
 */
export function predictionsPath(resultFile: string, result: Result): string {
  return resolveInside(dirname(resultFile), result.predictionsFile, { source: resultFile, key: 'predictionsFile' });
}

/**
 * Renames the result files directly in `dir` that still carry the name-only (legacy) name to
 * their identity name, and drops a legacy file whose identity already has its file (the same
 * result twice). Shard directories are left alone: their manifest lists the names. Returns the
 * number of files migrated.
 */
export async function migrateResultsDir(dir: string): Promise<number> {
  if (!existsSync(dir) || existsSync(join(dir, 'shard-manifest.json'))) return 0;
  let migrated = 0;
  for (const f of await findResultFiles(dir)) {
    let r: Result;
    try {
      r = await readResult(f);
    } catch {
      continue; // not ours to touch; rebuildIndex reports it
    }
    const want = `${resultBaseName(keyOfResult(r))}.json`;
    if (basename(f) === want || basename(f) !== `${legacyBaseName(keyOfResult(r))}.json`) continue;
    const target = join(dir, want);
    // Only files zeroshift wrote are moved: a predictionsFile outside `dir`, or not named
    // like ours, leaves the result where it is (the victim file is neither read nor deleted).
    const own = ownPredictionsPath(f, r);
    if (own === undefined) continue;
    if (!existsSync(target)) {
      const predictions = await readFile(own, 'utf8').catch(() => null);
      const predName = `${resultBaseName(keyOfResult(r))}.predictions.jsonl`;
      if (predictions !== null) await writeFileAtomic(join(dir, predName), predictions);
      await writeFileAtomic(target, `${JSON.stringify({ ...r, predictionsFile: predictions !== null ? predName : r.predictionsFile }, null, 2)}\n`);
    }
    await removeResultFiles(f, r);
    migrated++;
  }
  return migrated;
}

/** The result in `dir` (not its subdirectories) with identity `id`, if any. */
export async function findResultById(dir: string, key: ResultKey): Promise<{ file: string; result: Result } | null> {
  const file = join(dir, `${resultBaseName(key)}.json`);
  if (!existsSync(file)) return null;
  try {
    const result = await readResult(file);
    return result.id === key.id ? { file, result } : null;
  } catch {
    return null;
  }
}

/**
 * Reads and validates one result file (any version this code reads, returned as the current
 * one); errors name the file and the failing key.
 */
export async function readResult(file: string): Promise<Result> {
  return parseResult(await readJsonFile(file, 'result'), file);
}

/** Reads a result's per-item predictions (version-1 lines gain `correct` from the result's protocol). */
export async function readPredictions(resultFile: string, result: Result): Promise<Prediction[]> {
  const file = predictionsPath(resultFile, result);
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const out: Prediction[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].length === 0) continue;
    out.push(upgradePrediction(parseJsonLine(lines[i], `${file}:${i + 1}`) as Prediction, result));
  }
  return out;
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

/**
 * Every result file directly in `dir`, sorted; with `recursive`, also those in its
 * subdirectories (a results directory often holds other runs' directories, e.g. results/demo,
 * whose results must not be counted with its own).
 */
export async function findResultFiles(dir: string, options: { recursive?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (options.recursive) await walk(p);
      } else if (e.name.endsWith('.json') && !e.name.startsWith('.') && (await isResultFile(p))) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** What names a task result's file: its task, model, dataset, shifts and id. */
export type TaskResultKey = Pick<TaskResult, 'task' | 'model' | 'dataset' | 'shift' | 'textShift' | 'id'>;

/**
 * `task-<task>__<model>[-dtype][-provider]__<dataset>[__<shift>][__text-<name>-<severity>]__<id8>.json`:
 * the id keeps results of other settings (k, --limit) apart; the dtype (unless fp32), the
 * execution provider (unless cpu) and the shifts are in the name so a listing shows them.
 * `legacy` gives the name without dtype and provider that task results had before.
 */
export function taskResultFileName(r: TaskResultKey, legacy = false): string {
  const shift = r.shift ? `__${slug(`${r.shift.corruption}-${r.shift.severity}`)}` : '';
  const text = r.textShift ? `__${slug(`text-${r.textShift.name}-${r.textShift.severity}`)}` : '';
  const model = legacy ? r.model.name : modelFilePart(r.model);
  return `task-${r.task}__${slug(model)}__${slug(r.dataset.name)}${shift}${text}__${r.id.slice(0, 8)}.json`;
}

/**
 * The task result with this identity in `outDir` (--skip-existing): at its name, or at the name
 * without dtype and provider that an older run wrote; null when absent or unreadable.
 */
export async function findTaskResult(outDir: string, key: TaskResultKey): Promise<{ file: string; result: TaskResult } | null> {
  for (const file of new Set([join(outDir, taskResultFileName(key)), join(outDir, taskResultFileName(key, true))])) {
    try {
      const result = await readTaskResult(file);
      if (result.id === key.id) return { file, result };
    } catch {
      // absent or unreadable: try the next name
    }
  }
  return null;
}

/** Writes a task result (validated by its task's record) at its file name; returns the path. */
export async function writeTaskResult(outDir: string, r: TaskResult): Promise<string> {
  const file = join(outDir, taskResultFileName(r));
  await writeFileAtomic(file, `${JSON.stringify(taskResultSchema.parse(r), null, 2)}\n`);
  return file;
}

/** Reads one task result (any version, through the results envelope); a classification result here is refused. */
export async function readTaskResult(file: string): Promise<TaskResult> {
  const r = await readAnyResult(file);
  if (r.kind !== 'zeroshift-task-result') throw new ZeroshiftError('INPUT', `${file}: a zero-shot classification result, not a task result`);
  return r;
}

/** Task results directly in `dir` (not its subdirectories), sorted by file name. */
export async function findTaskResultFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith('task-') && n.endsWith('.json')).sort().map((n) => join(dir, n));
}
