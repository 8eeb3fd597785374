import { join } from 'node:path';
import { ZeroshiftError } from '../errors.js';
import type { ClipModel, LoadModelOptions } from '../model/types.js';
import type { Result, Prediction } from '../results/schema.js';
import { loadModel } from '../model/loadModel.js';
import { EmbeddingCache } from '../cache/embeddingCache.js';
import { writeResult, rebuildIndex, migrateResultsDir, findResultById, readPredictions } from '../results/store.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { ResultKey } from '../results/paths.js';
import { runUnit, resultId, type UnitContext } from './runUnit.js';
import { classifierFor, promptIdentity, type BuiltClassifier } from './classifiers.js';
import { preflight } from './preflight.js';
import { PlanResources, promptRefsOf } from './resources.js';
import type { EvalUnit, RunSettings } from './types.js';
import { warnOnce, type Logger } from '../util/log.js';
import type { Provenance } from '../results/schema.js';
import { runProvenance, type ProvenanceInput } from './provenance.js';
import { addClassificationGroups, hasGroups, metadataFor, type GroupMetadataMemo } from './groupResults.js';
import { probeCuda } from '../model/deviceProbe.js';
import { MODELS_DIR } from '../model/builtinModels.js';

/** Callbacks the CLI uses for progress bars. */
export interface PlanProgress {
  /** Before the first unit: how many units and (when every size is known) images the run has. */
  planStarted?(units: number, images: number | undefined): void;
  /** A unit's label puts the shift first (`fog:3 · shapes-standard · model`): it is what differs between neighbours. */
  unitStarted(label: string, total?: number): void;
  unitProgress(done: number, total?: number, counts?: { computed: number; cached: number }): void;
  /** `reused`: --skip-existing found the unit's results, nothing ran. */
  unitFinished(how?: { reused?: boolean; total?: number }): void;
}

export interface PlanOptions extends RunSettings {
  model: LoadModelOptions;
  /** The suite being run (recorded with its file hash in every result's provenance), if any. */
  suite?: { name: string; file: string; ceBaseline?: string } | null;
  log: Logger;
  signal?: AbortSignal;
  progress?: PlanProgress;
  keepPredictions?: boolean;
}

export interface PlanOutcome {
  results: Result[];
  /** Per-item predictions parallel to `results`, when `keepPredictions` is set. */
  predictions: Prediction[][];
  files: string[];
  /** Units not run because --skip-existing found all their results (listed in `results`, with `reusedAt`). */
  skippedUnits: number;
}

/** The units to run and the resources they share (a built Plan has both). */
export interface RunnablePlan {
  units: EvalUnit[];
  resources: PlanResources;
}

/** Decoder settings that change pixels: part of the cache namespace. */
function decodeNamespace(o: PlanOptions): Record<string, unknown> {
  return { exifRotate: o.exifRotate, decoder: 'sharp-rgb8-v1' };
}

/**
 * Runs every unit of a plan (or of a bare unit list, which gets its own resources), grouped
 * by model so each model loads once; writes one result per (unit, prompt set) and rebuilds
 * index.csv after each unit. With `skipExisting`, a unit whose results all exist is reused
 * before its classifiers are built, so no text tower runs for it.
 */
export async function runPlan(plan: RunnablePlan | EvalUnit[], options: PlanOptions): Promise<PlanOutcome> {
  const { units, resources } = Array.isArray(plan) ? { units: plan, resources: new PlanResources() } : plan;
  const o: RunOptions = { ...options, log: warnOnce(options.log), resources, groupMetadata: new Map() };
  const outcome: PlanOutcome = { results: [], predictions: [], files: [], skippedUnits: 0 };
  // The device is settled first, so nothing (preflight included) opens a CUDA session that falls back.
  const device = await chooseDevice(o);
  o.model = { ...o.model, device: device.used };
  await preflight(units, o.model, resources);
  o.provenance = await runProvenance({ suite: o.suite ?? null, device, threads: o.model.threads ?? 0, batchSize: o.batchSize, exifRotate: o.exifRotate });
  const migrated = await migrateResultsDir(o.outDir);
  if (migrated > 0) o.log.info(`${o.outDir}: ${migrated} result file(s) renamed to the identity-keyed names (model__dataset__shift__prompts__<id>)`);
  try {
    await runGroups(units, o, outcome);
  } finally {
    // Rebuilt from the files on disk, so an interrupted or concurrent run still leaves a consistent index.
    if (outcome.files.length > 0 || migrated > 0) await rebuildIndex(o.outDir, (_file, reason) => o.log.warn(`index.csv leaves out ${reason}`));
  }
  return outcome;
}

async function runGroups(units: EvalUnit[], o: RunOptions, outcome: PlanOutcome): Promise<void> {
  o.progress?.planStarted?.(units.length, await imageCount(units, o.resources));
  for (const [modelRef, group] of groupByModel(units)) {
    stopIfInterrupted(o);
    const model = await loadModel(modelRef, { ...o.model, factsDir: o.cacheDir ?? undefined, onWarning: (m) => o.log.warn(m) });
    const cache = o.cacheDir
      ? await EmbeddingCache.open(o.cacheDir, { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: decodeNamespace(o), embedDim: model.info.embedDim }, o.log)
      : null;
    try {
      for (const unit of group) await runOne(unit, model, cache, o, outcome);
    } finally {
      await cache?.close();
      await model.dispose();
    }
  }
}

function groupByModel(units: EvalUnit[]): Map<string, EvalUnit[]> {
  const m = new Map<string, EvalUnit[]>();
  // Appends in place: copying the group per unit was quadratic (1.3M units never finished).
  for (const u of units) {
    const group = m.get(u.modelRef);
    if (group) group.push(u);
    else m.set(u.modelRef, [u]);
  }
  return m;
}

/** After Ctrl-C, the unit in progress stops after its batch and no other unit starts. */
function stopIfInterrupted(o: RunOptions): void {
  if (o.signal?.aborted) throw new ZeroshiftError('INTERRUPTED', 'stopped before the next unit');
}

/** Images the units will stream (a unit's range or its dataset's size), or undefined when a size is unknown. */
async function imageCount(units: EvalUnit[], resources: PlanResources): Promise<number | undefined> {
  let total = 0;
  for (const u of units) {
    const size = u.range ? u.range.end - u.range.start : (await resources.dataset(u.target.spec)).size;
    if (size === undefined) return undefined;
    total += size;
  }
  return total;
}

async function runOne(unit: EvalUnit, model: ClipModel, cache: EmbeddingCache | null, o: RunOptions, outcome: PlanOutcome): Promise<void> {
  stopIfInterrupted(o);
  const dataset = await o.resources.dataset(unit.target.spec);
  const refs = promptRefsOf(unit);
  const selections = await Promise.all(refs.map((ref) => o.resources.prompts(ref, unit)));
  const label = `${unit.shift ? `${unit.shift.corruption}:${unit.shift.severity}` : 'none'} · ${dataset.name} · ${model.info.name}`;
  const total = unit.range ? unit.range.end - unit.range.start : dataset.size;
  // Names and ids come from the selected prompts alone: deciding to reuse runs no text tower.
  const keys: ResultKey[] = refs.map((ref, i) => {
    const prompt = promptIdentity(ref, selections[i]!, unit);
    return { model: model.info.name, dataset: dataset.name, shift: unit.shift, prompts: prompt.name, range: unit.range, id: resultId(model, dataset, unit, prompt.hash) };
  });
  const groupBy = unit.target.groupBy ?? [];
  // Read before any inference, so a --group-by field the dataset lacks fails fast.
  const meta = groupBy.length > 0 ? await metadataFor(dataset, groupBy, o.groupMetadata, o.signal) : null;
  if (o.skipExisting && (await reuseExisting(keys, o, outcome, (r) => hasGroups(r, groupBy)))) {
    o.log.debug(`skip existing: ${label}`);
    o.progress?.unitStarted(label, total);
    o.progress?.unitFinished({ reused: true, total });
    return;
  }
  const classifiers: BuiltClassifier[] = [];
  for (const [i, ref] of refs.entries()) classifiers.push(await classifierFor(ref, selections[i]!, unit, { model, dataset, cacheDir: o.cacheDir, log: o.log }));
  const ctx: UnitContext = {
    model, dataset, cache, settings: o, log: o.log, signal: o.signal,
    onProgress: (done, total, counts) => o.progress?.unitProgress(done, total, counts),
  };
  o.progress?.unitStarted(label, total);
  let finished = false;
  try {
    const outputs = await runUnit(unit, ctx, classifiers);
    for (const out of outputs) {
      out.result.provenance = o.provenance;
      if (meta) addClassificationGroups(out.result, out.predictions, meta, groupBy);
      outcome.files.push(await writeResult(o.outDir, out.result, out.predictions, { onReplaced: (f, why) => o.log.warn(`${f}: replaced: ${why}`) }));
      outcome.results.push(out.result);
      if (o.keepPredictions) outcome.predictions.push(out.predictions);
    }
    finished = true;
  } finally {
    o.progress?.unitFinished(finished ? { total } : undefined);
  }
}

/**
 * --skip-existing: when every result of the unit exists with the same identity (not merely the
 * same name), lists them as reused (first createdAt and timings kept, `reusedAt` set) and
 * returns true.
 */
async function reuseExisting(keys: ResultKey[], o: PlanOptions, outcome: PlanOutcome, complete: (r: Result) => boolean): Promise<boolean> {
  const found = await Promise.all(keys.map((k) => findResultById(o.outDir, k)));
  if (!found.every((f) => f !== null && complete(f.result))) return false;
  for (const f of found as { file: string; result: Result }[]) {
    const result: Result = { ...f.result, reusedAt: new Date().toISOString() };
    await writeFileAtomic(f.file, `${JSON.stringify(result, null, 2)}\n`);
    outcome.files.push(f.file);
    outcome.results.push(result);
    if (o.keepPredictions) outcome.predictions.push(await readPredictions(f.file, result));
  }
  outcome.skippedUnits++;
  return true;
}

/** Plan options once the run has settled its device and provenance, with the plan's resources. */
type RunOptions = PlanOptions & { provenance?: Provenance; resources: PlanResources; groupMetadata: GroupMetadataMemo };

/**
 * The device the run uses: CUDA when asked for and its execution provider works (probed once
 * on the embedded text tower), else the CPU with one warning, recorded in every result.
 */
async function chooseDevice(o: PlanOptions): Promise<ProvenanceInput['device']> {
  if (o.model.device !== 'cuda') return { requested: 'cpu', used: 'cpu' };
  const probe = await probeCuda(join(MODELS_DIR, 'tiny-clip-shapes', 'onnx', 'text_model.onnx'));
  if (probe.available) return { requested: 'cuda', used: 'cuda' };
  o.log.warn(`--device cuda: the CUDA execution provider is unavailable (${probe.reason}); running on the CPU (recorded in each result's provenance). Install the CUDA files with ONNXRUNTIME_NODE_INSTALL=cuda12 (see docs/models.md).`);
  return { requested: 'cuda', used: 'cpu', fallbackReason: probe.reason };
}
