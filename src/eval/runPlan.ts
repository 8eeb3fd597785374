import { ZeroshiftError } from '../errors.js';
import type { ClipModel, LoadModelOptions } from '../model/types.js';
import type { Result, Prediction } from '../results/schema.js';
import { loadModel } from '../model/loadModel.js';
import { providerIdentity } from '../model/executionProvider.js';
import { ModelShare } from '../model/modelShare.js';
import { EmbeddingCache } from '../cache/embeddingCache.js';
import { migrateResultsDir } from '../results/store.js';
import { rebuildIndex } from '../results/indexCsv.js';
import { streamLanes, type StreamedLane } from './streamLanes.js';
import { laneInput, laneRun, type LaneModel, type LaneRunSource } from './laneInput.js';
import type { TaskResult } from '../results/envelope.js';
import { taskModule } from '../tasks/registry.js';
import type { LaneDone, LaneRun, StreamingLane } from '../tasks/task.js';
import { decodeGroups, modelBatches } from './decodeGroups.js';
import { preflight } from './preflight.js';
import { chooseDevice } from './chooseDevice.js';
import { namedForTarget } from './specTargets.js';
import { PixelPool } from '../embed/pixelPool.js';
import { PlanResources } from './resources.js';
import type { EvalUnit, RunSettings } from '../tasks/unit.js';
import { warnOnce, type Logger } from '../util/log.js';
import { runProvenance } from './provenance.js';
import { textShiftLabel } from '../textShifts/registry.js';
import type { PlanProgress } from './planProgress.js';

export type { PlanProgress } from './planProgress.js';

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
  /** Results of task units (retrieval, multilabel, linear probe), in the same order rules as `results`. */
  taskResults: TaskResult[];
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
 * by model so each model loads once; each unit's task writes its results (classification one
 * per prompt set), and index.csv is rebuilt at the end. With `skipExisting`, a unit whose results
 * all exist is reused before its classifiers are built, so no text tower runs for it.
 */
export async function runPlan(plan: RunnablePlan | EvalUnit[], options: PlanOptions): Promise<PlanOutcome> {
  const { units, resources } = Array.isArray(plan) ? { units: plan, resources: new PlanResources() } : plan;
  const o: RunOptions = { ...options, log: warnOnce(options.log), resources, groupMetadata: new Map(), shared: new Map() };
  const outcome: PlanOutcome = { results: [], taskResults: [], predictions: [], files: [], skippedUnits: 0 };
  // The device is settled first, so nothing (preflight included) opens a CUDA session that falls back.
  const device = await chooseDevice(o);
  o.model = { ...o.model, device: device.used, deviceDecided: true };
  // Started first: its git processes run beside the preflight's file reads.
  const provenance = runProvenance({ suite: o.suite ?? null, device, threads: o.model.threads ?? 0, batchSize: o.batchSize, exifRotate: o.exifRotate });
  provenance.catch(() => undefined);
  await preflight(units, o.model, resources);
  // Started before the models load, so the workers' start-up overlaps it.
  if (options.decodeWorkers) o.pixelPool = new PixelPool(options.decodeWorkers, options.shiftAssets);
  o.provenance = await provenance;
  o.services = laneRun(o, (file) => outcome.files.push(file));
  const migrated = await migrateResultsDir(o.outDir);
  if (migrated > 0) o.log.info(`${o.outDir}: ${migrated} result file(s) renamed to the identity-keyed names (model__dataset__shift__prompts__<id>)`);
  try {
    await runGroups(units, o, outcome);
  } finally {
    await o.pixelPool?.close();
    // Rebuilt from the files on disk, so an interrupted or concurrent run still leaves a consistent index.
    if (outcome.files.length > 0 || migrated > 0) await rebuildIndex(o.outDir, (_file, reason) => o.log.warn(`index.csv leaves out ${reason}`));
  }
  return outcome;
}

/** Models loaded at once: each dataset is read and decoded once per batch of this many models. */
const MODELS_AT_ONCE = 8;

/** A model of the current batch with its embedding cache. */
type OpenModel = LaneModel;

/** A finished or reused unit's results, put back in plan order before they join the outcome. */
type UnitDone = LaneDone & { unit: EvalUnit };

/**
 * Models in batches (loaded together); within a batch, units grouped by the images they read
 * (dataset spec, range, pre-crop), each group streamed once for all its models and shifts.
 * The outcome lists results as the per-model runner did: by model, then in plan order.
 */
async function runGroups(units: EvalUnit[], o: RunOptions, outcome: PlanOutcome): Promise<void> {
  o.progress?.planStarted?.(units.length, await imageCount(units, o.resources));
  const order = new Map(units.map((u, i) => [u, i]));
  for (const refs of modelBatches(units, MODELS_AT_ONCE)) {
    stopIfInterrupted(o);
    const opened = new Map<string, OpenModel>();
    // One ModelShare per batch: its models that name the same text tower or tokenizer files (the
    // zoo, the robust variant) open one session and build one tokenizer between them, and a
    // tokenizer is not kept past its batch.
    const share = o.model.share ?? new ModelShare();
    try {
      for (const ref of refs) opened.set(ref, await openModel(ref, o, share));
      const inBatch = new Set(refs);
      const done: UnitDone[] = [];
      for (const group of decodeGroups(units.filter((u) => inBatch.has(u.modelRef)))) await runGroup(group.units, opened, o, outcome, done);
      done.sort((a, b) => refs.indexOf(a.unit.modelRef) - refs.indexOf(b.unit.modelRef) || order.get(a.unit)! - order.get(b.unit)!);
      for (const d of done) {
        outcome.results.push(...d.results);
        outcome.taskResults.push(...d.taskResults);
        if (o.keepPredictions) outcome.predictions.push(...d.predictions);
      }
    } finally {
      for (const m of opened.values()) {
        await (await m.textCache?.catch(() => null))?.close();
        await m.cache?.close();
        await m.model.dispose();
      }
    }
  }
}

async function openModel(modelRef: string, o: RunOptions, share: ModelShare): Promise<OpenModel> {
  const model = await loadModel(modelRef, { ...o.model, share, factsDir: o.cacheDir ?? undefined, onWarning: (m) => o.log.warn(m) });
  try {
    const cache = o.cacheDir
      ? await EmbeddingCache.open(o.cacheDir, { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: decodeNamespace(o), embedDim: model.info.embedDim, ...providerIdentity(model.info) }, o.log)
      : null;
    return { model, cache };
  } catch (e) {
    await model.dispose();
    throw e;
  }
}

/** After Ctrl-C, the units in progress stop after their batch and no other unit starts. */
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

/** A unit about to stream: the lane its task opened, with what the stream and progress need. */
interface PendingLane {
  unit: EvalUnit;
  model: ClipModel;
  label: string;
  lane: StreamingLane;
  streamed: StreamedLane;
}

/**
 * Runs the units of one decode group: each unit's task opens its lane first (--skip-existing
 * and classifiers per unit, so a reused unit runs no text tower), then one stream over the
 * images feeds all the others, and each lane finishes (scores, writes) in plan order.
 */
async function runGroup(group: EvalUnit[], opened: Map<string, OpenModel>, o: RunOptions, outcome: PlanOutcome, done: UnitDone[]): Promise<void> {
  stopIfInterrupted(o);
  const first = group[0];
  const dataset = namedForTarget(await o.resources.dataset(first.target.spec), first.target);
  const total = first.range ? first.range.end - first.range.start : dataset.size;
  const lanes: PendingLane[] = [];
  for (const unit of group) {
    stopIfInterrupted(o);
    const m = opened.get(unit.modelRef)!;
    const label = `${unit.shift ? `${unit.shift.corruption}:${unit.shift.severity}` : 'none'}${unit.textShift ? ` + text ${textShiftLabel(unit.textShift)}` : ''} · ${dataset.name} · ${m.model.info.name}`;
    const lane = await taskModule(unit.task?.id ?? 'zeroshot_classification').openLane(laneInput(unit, m, dataset, label, o, o.services!));
    if (lane.kind === 'reused') {
      outcome.skippedUnits++;
      done.push({ unit, ...lane.done });
      o.log.debug(`skip existing: ${label}`);
      o.progress?.unitStarted(label, total);
      o.progress?.unitFinished({ reused: true, total });
      continue;
    }
    lanes.push({ unit, model: m.model, label, lane, streamed: { unit, model: m.model, cache: m.cache, add: (b) => lane.add(b), skip: (s) => lane.skip(s) } });
  }
  if (lanes.length === 0) return;
  const k = lanes.length;
  o.progress?.unitStarted(k === 1 ? lanes[0].label : groupLabel(lanes, dataset.name), total === undefined ? undefined : total * k);
  let finished = false;
  try {
    const { timings } = await streamLanes(lanes.map((l) => l.streamed), {
      dataset, settings: o, signal: o.signal,
      onProgress: (c) => o.progress?.unitProgress(sum(c.done), total === undefined ? undefined : total * k, { computed: sum(c.computed), cached: sum(c.cached) }),
    });
    for (const [l, pending] of lanes.entries()) {
      done.push({ unit: pending.unit, ...(await pending.lane.finish(timings[l])) });
      o.progress?.unitFinished({ total, label: pending.label, counts: { computed: timings[l].imagesComputed, cached: timings[l].imagesFromCache, ...(timings[l].imagesShared ? { shared: timings[l].imagesShared } : {}) } });
    }
    finished = true;
  } finally {
    if (!finished) o.progress?.unitFinished(undefined);
  }
}

/** `12 units · shapes-standard · none + 5 shifts · 2 models`: what a shared stream serves. */
function groupLabel(lanes: PendingLane[], datasetName: string): string {
  const shifts = new Set(lanes.filter((l) => l.unit.shift).map((l) => `${l.unit.shift!.corruption}:${l.unit.shift!.severity}`));
  const plain = lanes.some((l) => !l.unit.shift);
  const models = new Set(lanes.map((l) => l.model.info.name));
  const shiftText = [plain ? 'none' : '', shifts.size > 0 ? `${shifts.size} shift${shifts.size > 1 ? 's' : ''}` : ''].filter(Boolean).join(' + ');
  return `${lanes.length} units · ${datasetName} · ${shiftText} · ${models.size} model${models.size > 1 ? 's' : ''}`;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Plan options once the run has settled its device and provenance, with the plan's resources and the services every lane reads. */
type RunOptions = PlanOptions & LaneRunSource & { services?: LaneRun };
