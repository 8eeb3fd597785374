import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { toCsv } from '../util/csv.js';
import type { Result, Prediction } from './schema.js';
import { parseResult, upgradePrediction } from './upgrade.js';
import { resultBaseName, legacyBaseName, keyOfResult, type ResultKey } from './paths.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { stableStringify } from '../util/hash.js';
import { ZeroshiftError } from '../errors.js';
import { resolveInside } from '../util/containedPath.js';
import { parseJsonLine, readJsonFile } from '../util/jsonError.js';
import { findTaskResultFiles, readTaskResult } from './taskStore.js';
import { taskIndexRows, type TaskResult } from './taskSchema.js';
import { groupIndexColumns } from './groupSchema.js';
import { executionProviderOf } from './modelLabel.js';
import { isPartialResult } from './partial.js';

/** What writing a result did beside writing it. */
export interface WriteOptions {
  /** Called when a result of the same identity but other numbers is replaced (e.g. another device). */
  onReplaced?(file: string, why: string): void;
}

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

/** CLIP_benchmark-compatible columns plus zeroshift's own. */
export function indexRows(results: Result[]): Record<string, string | number>[] {
  return results.map((r) => ({
    acc1: r.metrics.acc1,
    acc5: r.metrics.acc5 ?? '',
    mean_per_class_recall: r.metrics.meanPerClassRecall,
    dataset: r.dataset.name,
    model: r.model.name,
    dtype: r.model.dtype,
    execution_provider: executionProviderOf(r.model),
    pretrained: r.model.hashes.visionModel.slice(0, 12),
    task: r.task === 'zeroshot_classification' ? 'zeroshot_classification' : r.task,
    shift: r.shift ? `${r.shift.corruption}:${r.shift.severity}` : 'none',
    text_shift: r.textShift ? `${r.textShift.name}:${r.textShift.severity}` : 'none',
    prompts: r.prompts.name,
    n: r.metrics.n,
    acc1_ci_low: r.metrics.acc1Ci[0],
    acc1_ci_high: r.metrics.acc1Ci[1],
    ece: r.metrics.ece,
    family: r.dataset.family ?? '',
    variant: r.dataset.variant ?? '',
    result_id: r.id,
    partial: isPartialResult(r) ? 'true' : 'false',
    ...groupIndexColumns(r.groupSummary),
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
      const r = await readResult(f);
      // A shard's slice of a split unit is not a result of the whole dataset: it is not a row.
      if (r.range) onUnreadable?.(f, `${f}: a shard's partial result (items ${r.range.start}-${r.range.end} of ${r.range.of}); merge the shards with 'zeroshift merge'`);
      else results.push(r);
    } catch (e) {
      if (!onUnreadable) throw e;
      onUnreadable(f, (e as Error).message);
    }
  }
  // Retrieval and linear-probe results (src/results/taskSchema.ts) are rows too, with their own columns.
  const tasks: TaskResult[] = [];
  for (const f of await findTaskResultFiles(outDir)) {
    try {
      tasks.push(await readTaskResult(f));
    } catch (e) {
      if (!onUnreadable) throw e;
      onUnreadable(f, (e as Error).message);
    }
  }
  const rows = [...indexRows(results), ...taskIndexRows(tasks)];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const file = join(outDir, 'index.csv');
  // Papa joins rows with CRLF by default; with the final LF that mixed two line endings.
  await writeFileAtomic(file, toCsv(rows, { newline: '\n', columns: columns.length ? columns : undefined }));
  return file;
}
