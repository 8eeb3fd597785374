import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { Provenance } from '../results/schema.js';
import { taskResultSchema, type TaskResult } from '../results/envelope.js';
import { TASK_RESULT_VERSION } from '../results/tasks/base.js';
import { findTaskResult } from '../results/store.js';
import { taskModule } from '../tasks/registry.js';
import type { TaskScorer, TaskLaneInput } from '../tasks/task.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { hashValue } from '../util/hash.js';
import { providerIdentity } from '../model/executionProvider.js';
import { VERSION } from '../util/version.js';
import type { EvalUnit, RunSettings } from '../tasks/unit.js';
import type { PlanResources } from './resources.js';
import type { PlanProgress } from './planProgress.js';
import type { PixelPool } from '../embed/pixelPool.js';
import { openTextCache } from '../embed/textEmbeddings.js';
import { collectImageEmbeddings } from '../embed/collect.js';
import type { Logger } from '../util/log.js';
import { recordedShift } from '../shifts/paramSets.js';
import { classifierFor } from '../tasks/classifiers.js';
import { textShifter } from '../textShifts/registry.js';

/** A task unit's result before the task's scores are in: its identity and where it is written. */
export type TaskKey = Pick<TaskResult, 'task' | 'model' | 'dataset' | 'shift' | 'textShift' | 'id'>;

export type TaskUnit = EvalUnit & { task: NonNullable<EvalUnit['task']> };

/** The dataset as a task result records it. */
function datasetRef(d: Dataset, unit: EvalUnit): TaskResult['dataset'] {
  const t = unit.target;
  return { spec: d.spec, name: d.name, adapter: d.adapter, fingerprint: d.fingerprint, family: t.family, variant: t.variant, isStandard: t.isStandard && unit.shift === null && !unit.textShift };
}

/**
 * The identity of a task unit's result: model hashes, dataset fingerprint (with --limit), shift,
 * text shift and the task's own settings. Decided before any image or text is embedded (--skip-existing).
 */
export function taskKey(unit: TaskUnit, model: ClipModel, dataset: Dataset, limit: TaskResult['limit'], train: Dataset | null = null): TaskKey {
  const m = taskModule(unit.task.id);
  // Results without a shift (or on the CPU) keep the id they had before tasks ran under shifts (or recorded the provider).
  const extra = m.identity(unit.task.options);
  // The train split's content joins too: new train data must not reuse an old probe's result.
  const id = hashValue({ task: unit.task.id, model: model.info.hashes, dataset: dataset.fingerprint, limit, extra, ...(train ? { train: train.fingerprint } : {}), ...(unit.shift ? { shift: unit.shift } : {}), ...providerIdentity(model.info), ...(unit.textShift ? { textShift: unit.textShift } : {}) }).slice(0, 24);
  return { task: unit.task.id, model: model.info, dataset: datasetRef(dataset, unit), shift: recordedShift(unit.shift), ...(unit.textShift ? { textShift: unit.textShift } : {}), id };
}

/** --skip-existing: the unit's result when one with the same identity exists (kept, `reusedAt` set). */
export async function reuseTaskResult(outDir: string, key: TaskKey): Promise<{ file: string; result: TaskResult } | null> {
  const found = await findTaskResult(outDir, key);
  if (!found) return null;
  const result: TaskResult = { ...found.result, reusedAt: new Date().toISOString() };
  await writeFileAtomic(found.file, `${JSON.stringify(result, null, 2)}\n`);
  return { file: found.file, result };
}

/** Opens the task's scorer for one lane. */
function openTaskScorer(unit: TaskUnit, input: Omit<TaskLaneInput, 'options' | 'shift' | 'shiftText'>, resources: PlanResources): Promise<TaskScorer> {
  return taskModule(unit.task.id).open({ ...input, shift: unit.shift, shiftText: textShifter(unit.textShift, () => resources.lexicon()), options: unit.task.options });
}

/** The full result of a finished task lane. */
export async function finishTaskResult(
  key: TaskKey, scorer: TaskScorer, run: { settings: RunSettings; provenance?: Provenance; limit: TaskResult['limit']; skipped: SkippedItem[]; timings: { totalSeconds: number; imagesComputed: number; imagesFromCache: number } },
): Promise<TaskResult> {
  const started = performance.now();
  const { trainDataset, skipped, texts, partial: otherSetPartial, ...scores } = await scorer.finish();
  const limit = run.limit;
  const result = {
    schemaVersion: TASK_RESULT_VERSION,
    kind: 'zeroshift-task-result',
    ...key,
    createdAt: new Date().toISOString(),
    zeroshiftVersion: VERSION,
    command: run.settings.argv,
    trainDataset: trainDataset ? { spec: trainDataset.spec, name: trainDataset.name, adapter: trainDataset.adapter, fingerprint: trainDataset.fingerprint, family: null, variant: null, isStandard: true } : null,
    limit,
    // Partial when --limit cut the dataset, or any other set the task read (OOD set, train split).
    partial: (limit !== null && limit.n < limit.of) || otherSetPartial === true,
    ...scores,
    skipped: [...(skipped ?? []), ...run.skipped],
    timings: {
      totalSeconds: Math.round((run.timings.totalSeconds + (performance.now() - started) / 1000) * 1000) / 1000,
      imagesComputed: run.timings.imagesComputed,
      imagesFromCache: run.timings.imagesFromCache,
      textsComputed: texts.computed,
      textsFromCache: texts.cached,
    },
    ...(run.provenance ? { provenance: run.provenance } : {}),
  };
  return taskResultSchema.parse(result);
}

/** A loaded model of the run with its image cache, and its text cache once a task needed it. */
export interface TaskLaneModel {
  model: ClipModel;
  cache: EmbeddingCache | null;
  textCache?: Promise<EmbeddingCache | null>;
}

/** What opening a task lane reads from the run. */
export type TaskLaneRun = RunSettings & {
  log: Logger;
  signal?: AbortSignal;
  progress?: PlanProgress;
  pixelPool?: PixelPool;
  resources: PlanResources;
  /** Work shared by the lanes of the run (TaskLaneInput.shared). */
  shared: Map<string, Promise<unknown>>;
};

/** A task unit about to stream: its result identity and the task's scorer. */
export interface TaskLane {
  kind: 'task';
  unit: EvalUnit;
  model: ClipModel;
  cache: EmbeddingCache | null;
  label: string;
  key: TaskKey;
  scorer: TaskScorer;
  skipped: SkippedItem[];
}

/**
 * A task unit's lane (its text cache opened on first use), or the result --skip-existing found
 * (then no text tower runs and no image is embedded).
 */
export async function openTaskLane(unit: TaskUnit, m: TaskLaneModel, dataset: Dataset, label: string, o: TaskLaneRun): Promise<TaskLane | { kind: 'reused'; file: string; result: TaskResult }> {
  const trainSpec = unit.task.options.trainSpec;
  const key = taskKey(unit, m.model, dataset, o.resources.limits.get(unit.target.spec) ?? null, trainSpec ? await o.resources.dataset(trainSpec) : null);
  if (o.skipExisting) {
    const found = await reuseTaskResult(o.outDir, key);
    if (found) {
      o.log.debug(`skip existing: ${label}`);
      return { kind: 'reused', ...found };
    }
  }
  m.textCache ??= o.cacheDir ? openTextCache(o.cacheDir, m.model, o.log) : Promise.resolve(null);
  const scorer = await openTaskScorer(unit, {
    model: m.model, dataset, textCache: await m.textCache, log: o.log, signal: o.signal,
    openDataset: (spec) => o.resources.dataset(spec),
    limitOf: (spec) => o.resources.limits.get(spec) ?? null,
    embedDataset: async (d, what, shift) => {
      // A pass, not a unit: its images count as embedded (and kept on Ctrl-C), not as a finished result.
      o.progress?.unitStarted(what, d.size, { pass: true });
      const set = await collectImageEmbeddings(d, { model: m.model, cache: m.cache, batchSize: o.batchSize, decodeConcurrency: o.decodeConcurrency, exifRotate: o.exifRotate, pixelPool: o.pixelPool, shift: shift ?? null, shiftAssets: o.shiftAssets, signal: o.signal, onProgress: (done, total, counts) => o.progress?.unitProgress(done, total, counts) });
      o.progress?.unitFinished({ pass: true, label: what, total: d.size, counts: { computed: set.computed, cached: set.cached } });
      return set;
    },
    // The classification runner's own path (prompt selection, classifier cache, class-name check).
    zeroShotClassifier: async (prompt, ensembling) => {
      const ref = prompt ?? undefined;
      const asUnit = { ...unit, ensembling };
      const built = await classifierFor(ref, await o.resources.prompts(ref, asUnit), asUnit, { model: m.model, dataset, cacheDir: o.cacheDir, log: o.log });
      return { weights: built.weights, rows: built.rows, prompt: built.prompt, protocol: unit.target.scoringProtocol, texts: built.texts };
    },
    shared: <T>(k: string, make: () => Promise<T>): Promise<T> => {
      let p = o.shared.get(k) as Promise<T> | undefined;
      if (!p) o.shared.set(k, (p = make()));
      return p;
    },
  }, o.resources);
  return { kind: 'task', unit, model: m.model, cache: m.cache, label, key, scorer, skipped: [] };
}

