import { ZeroshiftError } from '../errors.js';
import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { Provenance } from '../results/schema.js';
import { taskResultSchema, type TaskResult } from '../results/envelope.js';
import { TASK_RESULT_VERSION } from '../results/tasks/base.js';
import { findTaskResult, writeTaskResult } from '../results/store.js';
import type { LaneInput, OpenedLane, EnvelopeTaskSpec, TaskScorer } from './task.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { hashValue } from '../util/hash.js';
import { providerIdentity } from '../model/executionProvider.js';
import { VERSION } from '../util/version.js';
import type { EvalUnit, RunSettings } from './unit.js';
import { recordedShift } from '../shifts/paramSets.js';
import { classifierFor } from './classifiers.js';
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
export function taskKey(m: EnvelopeTaskSpec, unit: TaskUnit, model: ClipModel, dataset: Dataset, limit: TaskResult['limit'], train: Dataset | null = null): TaskKey {
  // Results without a shift (or on the CPU) keep the id they had before tasks ran under shifts (or recorded the provider).
  const extra = m.identity(unit.task.options);
  // The train split's content joins too: new train data must not reuse an old probe's result.
  const id = hashValue({ task: unit.task.id, model: model.info.hashes, dataset: dataset.fingerprint, limit, extra, ...(train ? { train: train.fingerprint } : {}), ...(unit.shift ? { shift: unit.shift } : {}), ...providerIdentity(model.info), ...(unit.textShift ? { textShift: unit.textShift } : {}) }).slice(0, 24);
  return { task: unit.task.id, model: model.info, dataset: datasetRef(dataset, unit), shift: recordedShift(unit.shift), ...(unit.textShift ? { textShift: unit.textShift } : {}), id };
}

/** --skip-existing: the unit's result when one with the same identity exists (kept, `reusedAt` set). */
async function reuseTaskResult(outDir: string, key: TaskKey): Promise<{ file: string; result: TaskResult } | null> {
  const found = await findTaskResult(outDir, key);
  if (!found) return null;
  const result: TaskResult = { ...found.result, reusedAt: new Date().toISOString() };
  await writeFileAtomic(found.file, `${JSON.stringify(result, null, 2)}\n`);
  return { file: found.file, result };
}

/** The full result of a finished task lane. */
async function finishTaskResult(
  key: TaskKey, scorer: TaskScorer, run: { settings: RunSettings; provenance?: Provenance; limit: TaskResult['limit']; skipped: SkippedItem[]; timings: { totalSeconds: number; imagesComputed: number; imagesFromCache: number; imagesShared?: number } },
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
      ...(run.timings.imagesShared ? { imagesShared: run.timings.imagesShared } : {}),
      textsComputed: texts.computed,
      textsFromCache: texts.cached,
    },
    ...(run.provenance ? { provenance: run.provenance } : {}),
  };
  return taskResultSchema.parse(result);
}

/**
 * The lane of a task writing a task result, the same for every such task: the result's identity
 * decided first (--skip-existing then runs no text tower and embeds no image), then the task's
 * scorer opened with the runner's services, fed the stream, and its result written.
 */
export async function openEnvelopeLane(m: EnvelopeTaskSpec, input: LaneInput): Promise<OpenedLane> {
  const { model, dataset, run } = input;
  const task = input.unit.task;
  if (task?.id !== m.id) throw new ZeroshiftError('INTERNAL', `unit of task '${task?.id ?? 'zeroshot_classification'}' opened as ${m.id}`);
  const unit: TaskUnit = { ...input.unit, task };
  const trainSpec = unit.task.options.trainSpec;
  const limit = run.limitOf(unit.target.spec);
  const key = taskKey(m, unit, model, dataset, limit, trainSpec ? await run.openDataset(trainSpec) : null);
  if (run.skipExisting) {
    const found = await reuseTaskResult(run.outDir, key);
    if (found) {
      run.wrote(found.file);
      return { kind: 'reused', done: { results: [], predictions: [], taskResults: [found.result] } };
    }
  }
  const scorer = await m.open({
    model, dataset, textCache: await input.textCache(), log: run.log, signal: run.signal, textsEmbedded: (n) => run.textsEmbedded?.(n),
    shift: unit.shift, shiftText: textShifter(unit.textShift, () => run.lexicon()), options: unit.task.options,
    openDataset: (spec) => run.openDataset(spec),
    limitOf: (spec) => run.limitOf(spec),
    embedDataset: (d, what, shift) => input.embedDataset(d, what, shift),
    // Built by zero-shot classification's own code (prompt selection, classifier cache, class-name check).
    zeroShotClassifier: async (prompt, ensembling) => {
      const ref = prompt ?? undefined;
      const asUnit = { ...unit, ensembling };
      const built = await classifierFor(ref, await run.prompts(ref, asUnit), asUnit, { model, dataset, cacheDir: run.cacheDir, log: run.log });
      if (built.texts.computed > 0) run.textsEmbedded?.(built.texts.computed);
      return { weights: built.weights, rows: built.rows, prompt: built.prompt, protocol: unit.target.scoringProtocol, texts: built.texts };
    },
    shared: (k, make) => run.shared(k, make),
  });
  const skipped: SkippedItem[] = [];
  return {
    kind: 'stream',
    add: (batch) => scorer.add(batch),
    skip: (item) => skipped.push(item),
    finish: async (timings) => {
      const result = await finishTaskResult(key, scorer, { settings: run, provenance: run.provenance, limit, skipped, timings });
      run.wrote(await writeTaskResult(run.outDir, result));
      return { results: [], predictions: [], taskResults: [result] };
    },
  };
}
