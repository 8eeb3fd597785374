import { ZeroshiftError } from '../errors.js';
import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel, LoadModelOptions } from '../model/types.js';
import { loadModel } from '../model/loadModel.js';
import { openDataset } from '../datasets/registry.js';
import { readItemMetadata } from '../datasets/metadata.js';
import { EmbeddingCache } from '../cache/embeddingCache.js';
import { groupMetrics, groupSummary, groupValue, type GroupItem } from '../metrics/groups.js';
import { rebuildIndex } from '../results/store.js';
import { writeTaskResult } from '../results/taskStore.js';
import { TASK_RESULT_VERSION, type TaskId, type TaskResult } from '../results/taskSchema.js';
import { hashValue } from '../util/hash.js';
import { VERSION } from '../util/version.js';
import type { Logger } from '../util/log.js';
import { limitDataset, type LimitInfo } from './limit.js';
import { runRetrieval } from './retrievalTask.js';
import { runMultilabel } from './multilabelTask.js';
import { fitProbe, probeMetrics } from './probeTask.js';
import { PixelPool } from '../embed/pixelPool.js';
import { collectImageEmbeddings, type CollectOptions } from '../embed/collect.js';
import { openTextCache } from '../embed/textEmbeddings.js';
import { trainSplitSpec } from './trainSplit.js';
import { probeTargets } from './probeTargets.js';

export interface TaskRunOptions {
  task: TaskId;
  models: string[];
  /** Evaluation datasets: retrieval sets, or the probe's test set followed by its shifted variants. */
  datasets: string[];
  trainDataset?: string;
  fewshotK?: number;
  /** Where prepared datasets are (family variants the probe is scored on). */
  dataDir?: string;
  seed: number;
  limit?: number;
  groupBy: string[];
  outDir: string;
  cacheDir: string | null;
  batchSize: number;
  decodeConcurrency: number;
  /** Worker threads that decode and preprocess (`--decode-workers`); 0 or absent = in this thread. */
  decodeWorkers?: number;
  exifRotate: boolean;
  argv: string[];
  log: Logger;
  model: LoadModelOptions;
  signal?: AbortSignal;
  onProgress?(label: string, done: number, total?: number): void;
}

export interface TaskRunOutcome {
  results: TaskResult[];
  files: string[];
}

function datasetRef(d: Dataset, isStandard: boolean, place?: { family: string | null; variant: string | null }): TaskResult['dataset'] {
  return { spec: d.spec, name: d.name, adapter: d.adapter, fingerprint: d.fingerprint, family: place?.family ?? null, variant: place?.variant ?? null, isStandard };
}

async function openLimited(spec: string, o: TaskRunOptions): Promise<{ dataset: Dataset; limit: LimitInfo | null }> {
  const d = await openDataset(spec);
  if (o.limit === undefined) return { dataset: d, limit: null };
  return limitDataset(d, o.limit, o.seed);
}

/** Runs `task` for every model; writes one result per (model, dataset) and rebuilds index.csv. */
export async function runTask(o: TaskRunOptions): Promise<TaskRunOutcome> {
  if (o.datasets.length === 0) throw new ZeroshiftError('USAGE', `--task ${o.task} needs --dataset SPEC`);
  if (o.task !== 'linear_probe' && (o.trainDataset || o.fewshotK !== undefined)) {
    throw new ZeroshiftError('USAGE', `--train-dataset and --fewshot-k apply to --task linear_probe, not ${o.task}`);
  }
  const outcome: TaskRunOutcome = { results: [], files: [] };
  const pool = o.decodeWorkers ? new PixelPool(o.decodeWorkers) : undefined;
  try {
    for (const ref of o.models) {
      const model = await loadModel(ref, { ...o.model, factsDir: o.cacheDir ?? undefined, onWarning: (m) => o.log.warn(m) });
      const cache = o.cacheDir ? await EmbeddingCache.open(o.cacheDir, { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: { exifRotate: o.exifRotate, decoder: 'sharp-rgb8-v1' }, embedDim: model.info.embedDim }, o.log) : null;
      const textCache = o.cacheDir && o.task !== 'linear_probe' ? await openTextCache(o.cacheDir, model, o.log) : null;
      try {
        const run = { ...o, pixelPool: pool };
        const results = o.task === 'zeroshot_retrieval' ? await retrievalFor(model, cache, textCache, run) : o.task === 'multilabel' ? await multilabelFor(model, cache, textCache, run) : await probeFor(model, cache, run);
        for (const r of results) {
          outcome.files.push(await writeTaskResult(o.outDir, r));
          outcome.results.push(r);
        }
      } finally {
        await textCache?.close();
        await cache?.close();
        await model.dispose();
      }
    }
  } finally {
    await pool?.close();
    if (outcome.files.length > 0) await rebuildIndex(o.outDir, (_f, reason) => o.log.warn(`index.csv leaves out ${reason}`));
  }
  return outcome;
}

function base(o: TaskRunOptions, model: ClipModel, d: Dataset, limit: LimitInfo | null, extra: unknown): Omit<TaskResult, 'dataset' | 'trainDataset' | 'skipped' | 'timings'> {
  return {
    schemaVersion: TASK_RESULT_VERSION,
    kind: 'zeroshift-task-result',
    task: o.task,
    id: hashValue({ task: o.task, model: model.info.hashes, dataset: d.fingerprint, limit, extra }).slice(0, 24),
    createdAt: new Date().toISOString(),
    zeroshiftVersion: VERSION,
    command: o.argv,
    model: model.info,
    limit,
    partial: limit !== null && limit.n < limit.of,
  };
}

function collectOpts(model: ClipModel, cache: EmbeddingCache | null, o: TaskRun, label: string): CollectOptions {
  return { model, cache, batchSize: o.batchSize, decodeConcurrency: o.decodeConcurrency, exifRotate: o.exifRotate, pixelPool: o.pixelPool, signal: o.signal, onProgress: (done, total) => o.onProgress?.(label, done, total) };
}

async function retrievalFor(model: ClipModel, cache: EmbeddingCache | null, textCache: EmbeddingCache | null, o: TaskRun): Promise<TaskResult[]> {
  if (o.groupBy.length > 0) throw new ZeroshiftError('USAGE', '--group-by applies to classification and linear-probe results, not to retrieval');
  const out: TaskResult[] = [];
  for (const spec of o.datasets) {
    const started = performance.now();
    const { dataset, limit } = await openLimited(spec, o);
    const r = await runRetrieval(dataset, { ...collectOpts(model, cache, o, `${model.info.name} · ${dataset.name}`), textCache });
    out.push({
      ...base(o, model, dataset, limit, null),
      dataset: datasetRef(dataset, true),
      trainDataset: null,
      retrieval: r.metrics,
      skipped: r.skipped,
      timings: { totalSeconds: Math.round((performance.now() - started)) / 1000, ...r.counts },
    });
  }
  return out;
}

async function multilabelFor(model: ClipModel, cache: EmbeddingCache | null, textCache: EmbeddingCache | null, o: TaskRun): Promise<TaskResult[]> {
  if (o.groupBy.length > 0) throw new ZeroshiftError('USAGE', '--group-by applies to classification and linear-probe results, not to multi-label mAP');
  const out: TaskResult[] = [];
  for (const spec of o.datasets) {
    const started = performance.now();
    const { dataset, limit } = await openLimited(spec, o);
    const r = await runMultilabel(dataset, { ...collectOpts(model, cache, o, `${model.info.name} · ${dataset.name}`), textCache });
    out.push({
      ...base(o, model, dataset, limit, { prompts: r.metrics.prompts }),
      dataset: datasetRef(dataset, true),
      trainDataset: null,
      multilabel: r.metrics,
      skipped: r.skipped,
      timings: { totalSeconds: Math.round(performance.now() - started) / 1000, ...r.counts },
    });
  }
  return out;
}

async function probeFor(model: ClipModel, cache: EmbeddingCache | null, o: TaskRun): Promise<TaskResult[]> {
  const started = performance.now();
  // Resolved first: a prepared name (cifar10) becomes its spec, whose train split is trained on.
  const { targets, notes } = await probeTargets(o.datasets, o.dataDir);
  const trainSpec = o.trainDataset ?? trainSplitSpec(targets[0].spec);
  const { dataset: train, limit: trainLimit } = await openLimited(trainSpec, o);
  o.log.info(`linear probe: training on ${train.spec}${o.fewshotK ? ` (${o.fewshotK}-shot)` : ''}`);
  const probe = await fitProbe(train, { ...collectOpts(model, cache, o, `${model.info.name} · ${train.name} (train)`), seed: o.seed, fewshotK: o.fewshotK, onFit: (c, acc) => o.log.debug(`probe C=${c.toPrecision(3)} val top-1 ${(100 * acc).toFixed(2)} %`) });
  o.log.info(`linear probe: C = ${probe.fit.c.toPrecision(4)} chosen on ${probe.fit.nVal} validation items; fit on ${probe.fit.nFit}`);
  const trainSeconds = (performance.now() - started) / 1000;
  for (const n of notes) o.log.info(`linear probe: ${n}`);
  if (targets.length > o.datasets.length) o.log.info(`linear probe: scored on ${targets[0].family}'s ${targets.length - 1} shifted variant(s) too: ${targets.slice(1).map((t) => t.variant).join(', ')}`);
  const out: TaskResult[] = [];
  for (const [i, { spec, ...place }] of targets.entries()) {
    const t0 = performance.now();
    const { dataset, limit } = await openLimited(spec, o);
    if (dataset.classNames.join('\n') !== probe.classNames.join('\n')) {
      throw new ZeroshiftError('DATASET', `linear probe: ${dataset.spec} has classes ${dataset.classNames.slice(0, 5).join(', ')}… but the train split ${train.spec} has ${probe.classNames.slice(0, 5).join(', ')}…; a probe scores only datasets of its own label space`);
    }
    const meta = o.groupBy.length > 0 ? await readItemMetadata(dataset, o.groupBy, o.signal) : null;
    const set = await collectImageEmbeddings(dataset, collectOpts(model, cache, o, `${model.info.name} · ${dataset.name} (probe)`));
    const scored = probeMetrics(probe.fit.model, set, dataset.spec);
    const result: TaskResult = {
      ...base(o, model, dataset, limit, { train: train.fingerprint, trainLimit, fewshotK: o.fewshotK ?? null, seed: o.seed }),
      dataset: datasetRef(dataset, i === 0, place),
      trainDataset: datasetRef(train, true),
      probe: { c: probe.fit.c, fewshotK: o.fewshotK ?? null, seed: o.seed, nTrain: probe.fit.nTrain, nVal: probe.fit.nVal, nFit: probe.fit.nFit, sweep: probe.fit.sweep, numClasses: probe.classNames.length, classNames: probe.classNames },
      metrics: scored.metrics,
      skipped: [...(i === 0 ? probe.train.skipped.map((s): SkippedItem => ({ id: `train:${s.id}`, reason: s.reason })) : []), ...set.skipped],
      timings: {
        totalSeconds: Math.round((performance.now() - t0) / 1000 * 1000) / 1000 + (i === 0 ? Math.round(trainSeconds * 1000) / 1000 : 0),
        imagesComputed: set.computed + (i === 0 ? probe.train.computed : 0),
        imagesFromCache: set.cached + (i === 0 ? probe.train.cached : 0),
        textsComputed: 0,
        textsFromCache: 0,
      },
    };
    if (meta) {
      const items: GroupItem[] = set.ids.map((_, j) => ({ label: set.labels[j], pred: scored.pred[j], correct: scored.pred[j] === set.labels[j], correct5: scored.correct5?.[j] }));
      result.groups = {};
      result.groupSummary = {};
      for (const field of o.groupBy) {
        const g = groupMetrics(items, set.ids.map((id) => groupValue(meta.get(id), field)));
        result.groups[field] = g;
        const s = groupSummary(g);
        if (s) result.groupSummary[field] = s;
      }
    }
    out.push(result);
  }
  return out;
}

/** A task run's options with the pool it opened. */
type TaskRun = TaskRunOptions & { pixelPool?: PixelPool };
