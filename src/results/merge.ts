import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import { readShardManifest } from './shardManifest.js';
import { readResult, readPredictions, writeResult, readTaskResult, writeTaskResult } from './store.js';
import { rebuildIndex } from './indexCsv.js';
import { legacyBaseName, keyOfResult, unitIdentity } from './paths.js';
import { checkShardSet, shardLabel, type ShardDir } from './shardSet.js';
import { mergeRangedParts, type RangedPart } from './mergeRanged.js';
import type { Prediction, Result } from './schema.js';
import type { TaskResult } from './envelope.js';
import { suiteMeans } from './suiteMeans.js';
import { writeSuiteAverages, type SuiteAveragesFile } from './suiteAverages.js';

/** What a merge wrote. */
export interface MergeOutcome {
  shardCount: number;
  /** Result files written to the output directory. */
  files: string[];
  /** Units that were split by item range and joined. */
  joinedUnits: number;
  indexFile: string;
  /**
   * The suite's means rebuilt from the merged results (`suite-averages__<suite>.json`, as the
   * unsharded run writes it), or null: no suite, no declared averages, or shards written before
   * their manifests recorded them (then `suiteMeansSkipped` says so).
   */
  suiteMeans: { file: string; averages: SuiteAveragesFile } | null;
  /** Why no means were written although the shards ran a suite; absent otherwise. */
  suiteMeansSkipped?: string;
}

/**
 * Combines the output directories of `zeroshift eval` shards into the results a single run
 * writes (result JSON, per-item predictions, index.csv) in `outDir`. Refuses shards of
 * different suites, plans, models or code versions, and names missing or duplicated shards.
 * Item-range parts of one unit are joined with exactly recomputed metrics.
 */
export async function mergeShards(dirs: string[], outDir: string): Promise<MergeOutcome> {
  const out = resolve(outDir);
  const clash = dirs.find((d) => resolve(d) === out);
  if (clash) throw new ZeroshiftError('USAGE', `--out ${outDir} is also a shard directory (${clash}); merge into a new directory`);
  const shards: ShardDir[] = [];
  for (const dir of dirs) shards.push({ dir, manifest: await readShardManifest(dir) });
  checkShardSet(shards);
  const groups = await collectParts(shards);
  const count = shards[0].manifest.shard.count;
  const files: string[] = [];
  const merged = { results: [] as Result[], tasks: [] as TaskResult[] };
  // Task results (retrieval, multilabel, probe) run whole in one shard: copied, each exactly once.
  for (const [name, found] of await collectTaskResults(shards)) {
    if (found.length > 1) throw new ZeroshiftError('MERGE', `task result ${name} was written by more than one shard: ${found.map((f) => `${f.file} (shard ${f.shard})`).join(' and ')}`);
    const task: TaskResult = { ...found[0].result, shards: { count, merged: [found[0].shard] } };
    merged.tasks.push(task);
    files.push(await writeTaskResult(out, task));
  }
  let joinedUnits = 0;
  for (const [base, parts] of groups) {
    const joined = parts[0].result.range ? mergeRangedParts(parts) : whole(base, parts);
    if (parts[0].result.range) joinedUnits++;
    const result: Result = { ...joined.result, shards: { count, merged: [...new Set(parts.map((p) => p.shard))] } };
    merged.results.push(result);
    files.push(await writeResult(out, result, joined.predictions));
  }
  const indexFile = await rebuildIndex(out);
  const means = await writeMergedMeans(shards, merged, out);
  return { shardCount: count, files, joinedUnits, indexFile, ...means };
}

/**
 * The suite's means over the merged results, written as the unsharded run writes them (same
 * members, metrics, means, missing lists and limit). A member without a merged result is listed
 * as missing, so an incomplete merge never reads as a complete mean.
 */
async function writeMergedMeans(shards: ShardDir[], merged: { results: Result[]; tasks: TaskResult[] }, out: string): Promise<Pick<MergeOutcome, 'suiteMeans' | 'suiteMeansSkipped'>> {
  const suite = shards[0].manifest.suite;
  if (!suite) return { suiteMeans: null };
  const recorded = [...shards].sort((a, b) => a.manifest.shard.index - b.manifest.shard.index).map((s) => ({ dir: s.dir, means: s.manifest.suite?.means }));
  // null: the suite declares no averages. Absent: a manifest from before merge rebuilt them.
  if (recorded.every((r) => r.means === null)) return { suiteMeans: null };
  const older = recorded.filter((r) => r.means === undefined);
  if (older.length > 0) {
    return { suiteMeans: null, suiteMeansSkipped: `${older.map((r) => r.dir).join(', ')}: written by a zeroshift that did not record the suite's means in shard-manifest.json; rerun the shards to get suite-averages__${suite.name}.json` };
  }
  const first = recorded[0].means!;
  for (const r of recorded.slice(1)) {
    const a = JSON.stringify({ averages: first.averages, members: first.members, limit: first.limit });
    if (JSON.stringify({ averages: r.means!.averages, members: r.means!.members, limit: r.means!.limit }) !== a) {
      throw new ZeroshiftError('MERGE', `refusing to merge shards of different runs: the suite means recorded in ${recorded[0].dir} and ${r.dir} differ (averages, datasets or --limit)`);
    }
  }
  // The prompt-set order is the suite's; a shard without classification results records none.
  const promptOrder = recorded.map((r) => r.means!.promptOrder).find((o) => o.length > 0) ?? [];
  const averages = suiteMeans({ name: suite.name, averages: first.averages }, first.members, merged.results, merged.tasks, first.limit, promptOrder);
  return { suiteMeans: { file: await writeSuiteAverages(out, averages), averages } };
}

function whole(base: string, parts: RangedPart[]): { result: Result; predictions: Prediction[] } {
  if (parts.length > 1) {
    throw new ZeroshiftError('MERGE', `result ${base} was written by more than one shard: ${parts.map((p) => `${p.file} (shard ${p.shard})`).join(' and ')}`);
  }
  return { result: parts[0].result, predictions: parts[0].predictions };
}

/** Task results a manifest lists (`task-*.json`), by file name. */
async function collectTaskResults(shards: ShardDir[]): Promise<Map<string, { file: string; shard: string; result: TaskResult }[]>> {
  const out = new Map<string, { file: string; shard: string; result: TaskResult }[]>();
  for (const s of [...shards].sort((a, b) => a.manifest.shard.index - b.manifest.shard.index)) {
    for (const name of s.manifest.results.filter(isTaskResultName)) {
      const file = join(s.dir, name);
      if (!existsSync(file)) throw new ZeroshiftError('MERGE', `${file}: listed in ${join(s.dir, 'shard-manifest.json')} but missing; rerun shard ${shardLabel(s.manifest)}`);
      out.set(name, [...(out.get(name) ?? []), { file, shard: shardLabel(s.manifest), result: await readTaskResult(file) }]);
    }
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

function isTaskResultName(name: string): boolean {
  return name.startsWith('task-') && name.endsWith('.json');
}

/** Reads every result a manifest lists, grouped by the base name of the whole unit's result. */
async function collectParts(shards: ShardDir[]): Promise<Map<string, RangedPart[]>> {
  const groups = new Map<string, RangedPart[]>();
  const sorted = [...shards].sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  for (const s of sorted) {
    for (const name of s.manifest.results.filter((n) => !isTaskResultName(n))) {
      const file = join(s.dir, name);
      if (!existsSync(file)) throw new ZeroshiftError('MERGE', `${file}: listed in ${join(s.dir, 'shard-manifest.json')} but missing; rerun shard ${shardLabel(s.manifest)}`);
      const result = await readResult(file);
      const predictions = await readPredictions(file, result);
      checkCounts(file, result, predictions);
      // Grouped by the whole unit's identity: two units of one readable name stay apart.
      const key = `${legacyBaseName({ ...keyOfResult(result), range: undefined })} (${unitIdentity(result)})`;
      const part: RangedPart = { file, shard: shardLabel(s.manifest), result, predictions };
      groups.set(key, [...(groups.get(key) ?? []), part]);
    }
  }
  for (const [base, parts] of groups) {
    if (parts.some((p) => p.result.range) && parts.some((p) => !p.result.range)) {
      throw new ZeroshiftError('MERGE', `result ${base} exists both whole and as item ranges: ${parts.map((p) => p.file).join(', ')}`);
    }
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

function checkCounts(file: string, result: Result, predictions: Prediction[]): void {
  if (predictions.length !== result.metrics.n) {
    throw new ZeroshiftError('MERGE', `${file}: ${predictions.length} prediction line(s) in ${result.predictionsFile} but metrics.n = ${result.metrics.n}; the shard output is incomplete`);
  }
}
