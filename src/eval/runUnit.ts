import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { Result, Prediction } from '../results/schema.js';
import { RESULT_SCHEMA_VERSION } from '../results/schema.js';
import { createMetricsAccumulator, type MetricsAccumulator } from '../metrics/index.js';
import { EmbeddingCache } from '../cache/embeddingCache.js';
import { embedStream, type EmbeddedBatch } from './embedStream.js';
import { cosineScores } from './scoring.js';
import { idLikeClassNames, type BuiltClassifier } from './classifiers.js';
import type { EvalUnit, RunSettings } from './types.js';
import { acceptableColumns, labelClassCount } from '../datasets/scoringProtocol.js';
import { hashValue } from '../util/hash.js';
import { ZeroshiftError } from '../errors.js';
import { VERSION } from '../util/version.js';
import type { Logger } from '../util/log.js';

/** What a unit needs from the surrounding run. */
export interface UnitContext {
  model: ClipModel;
  dataset: Dataset;
  cache: EmbeddingCache | null;
  /** The run's settings, passed as one object (batching, decoding, cache root, command line). */
  settings: RunSettings;
  log: Logger;
  signal?: AbortSignal;
  onProgress?(done: number, total?: number, counts?: { computed: number; cached: number }): void;
}

/** A finished result with its per-item predictions, ready to write. */
export interface UnitOutput {
  result: Result;
  predictions: Prediction[];
}

interface Scorer {
  built: BuiltClassifier;
  acc: MetricsAccumulator;
  predictions: Prediction[];
}

/** Stable id of a result: what determines its numbers. */
export function resultId(model: ClipModel, dataset: Dataset, unit: EvalUnit, promptHash: string): string {
  const p = unit.target.scoringProtocol;
  // The crop joins the hash only when present, so ids of uncropped results stay as they were.
  return hashValue({ model: model.info.hashes, dataset: dataset.fingerprint, shift: unit.shift, prompts: promptHash, range: unit.range ?? null, columns: p.classColumns, ...(p.crop ? { crop: p.crop } : {}) }).slice(0, 24);
}

/**
 * Evaluates one (model, dataset, shift) unit for every prompt set riding along: image
 * embeddings are streamed once (from the cache where possible) and scored against each
 * classifier. Returns one output per prompt set.
 */
export async function runUnit(unit: EvalUnit, ctx: UnitContext, built: BuiltClassifier[]): Promise<UnitOutput[]> {
  const started = performance.now();
  const protocol = unit.target.scoringProtocol;
  const scorers: Scorer[] = built.map((b) => {
    const scored = protocol.classColumns?.length ?? b.rows;
    return { built: b, acc: createMetricsAccumulator(scored, ctx.model.info.scoring, labelClassCount(protocol, scored)), predictions: [] };
  });
  const skipped: SkippedItem[] = [];
  let computed = 0;
  let cached = 0;
  const dim = ctx.model.info.embedDim;
  for await (const batch of embedStream({
    dataset: ctx.dataset, model: ctx.model, cache: ctx.cache, settings: ctx.settings, shift: unit.shift, crop: protocol.crop,
    range: unit.range, signal: ctx.signal,
    onSkip: (s) => skipped.push(s),
    onBatch: (info) => {
      computed = info.computed;
      cached = info.cached;
      ctx.onProgress?.(info.done, unit.range ? unit.range.end - unit.range.start : ctx.dataset.size, { computed: info.computed, cached: info.cached });
    },
  })) {
    for (const item of batch.items) {
      // Listed once per item (not per prompt set): the protocol leaves it out of every metric.
      if (acceptableColumns(protocol, item.label) === null) skipped.push({ id: item.id, reason: `class '${ctx.dataset.classNames[item.label]}' is not scored under the protocol: ${unit.target.protocol ?? 'unmapped class'}` });
    }
    for (const s of scorers) scoreBatch(s, batch, dim, unit);
  }
  if (ctx.signal?.aborted) {
    // Embeddings computed so far are in the cache; a partial result must never be written.
    throw new ZeroshiftError('INTERRUPTED', `stopped during ${ctx.dataset.name}${unit.shift ? ` (${unit.shift.corruption}:${unit.shift.severity})` : ''}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const timings = { totalSeconds: round(seconds, 3), imagesComputed: computed, imagesFromCache: cached, imagesPerSecond: round((computed + cached) / Math.max(seconds, 1e-9), 1) };
  return scorers.map((s) => ({ result: buildResult(unit, ctx, s, skipped, timings), predictions: s.predictions }));
}

function scoreBatch(s: Scorer, batch: EmbeddedBatch, dim: number, unit: EvalUnit): void {
  const protocol = unit.target.scoringProtocol;
  const cols = protocol.classColumns;
  const width = cols?.length ?? s.built.rows;
  const scores = cosineScores(batch.embeddings, batch.items.length, s.built.weights, s.built.rows, dim, cols);
  batch.items.forEach((item, i) => {
    const acceptable = acceptableColumns(protocol, item.label);
    if (acceptable === null) return; // outside the protocol's scored classes (e.g. unmapped ObjectNet)
    const row = scores.subarray(i * width, (i + 1) * width);
    const p = s.acc.add(row, item.label, acceptable);
    // Full precision: merged shards recompute metrics from these and must match exactly.
    s.predictions.push({ id: item.id, label: item.label, top: p.top, scores: p.scores, correct: p.correct });
  });
}

function buildResult(unit: EvalUnit, ctx: UnitContext, s: Scorer, skipped: SkippedItem[], timings: Result['timings']): Result {
  const names = classNamesScored(unit, s.built, ctx.dataset);
  if (s.acc.count === 0) {
    throw new ZeroshiftError('DATASET', `${ctx.dataset.spec}: no item could be scored (${skipped.length} skipped${skipped[0] ? `; first: ${skipped[0].id}: ${skipped[0].reason}` : ''})`);
  }
  const report = s.acc.finish(unit.target.scoringProtocol.labelColumns ? ctx.dataset.classNames : names);
  const d = ctx.dataset;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'zeroshift-result',
    id: resultId(ctx.model, d, unit, s.built.prompt.hash),
    createdAt: new Date().toISOString(),
    zeroshiftVersion: VERSION,
    command: ctx.settings.argv,
    task: 'zeroshot_classification',
    model: ctx.model.info,
    dataset: {
      spec: d.spec, name: d.name, adapter: d.adapter, family: unit.target.family, variant: unit.target.variant,
      isStandard: unit.target.isStandard && unit.shift === null, fingerprint: d.fingerprint,
      numClasses: names.length, classNames: names, subset: unit.target.subset, protocol: unit.target.protocol,
    },
    shift: unit.shift,
    prompts: s.built.prompt,
    scoringProtocol: unit.target.scoringProtocol,
    metrics: report.metrics,
    perClass: report.perClass,
    confusion: report.confusion,
    skipped,
    timings,
    predictionsFile: '',
    ...(unit.range ? { range: { ...unit.range, of: d.size ?? unit.range.end, unitId: resultId(ctx.model, d, { ...unit, range: undefined }, s.built.prompt.hash) } } : {}),
  };
}

function classNamesScored(unit: EvalUnit, b: BuiltClassifier, dataset: Dataset): string[] {
  const cols = unit.target.scoringProtocol.classColumns;
  if (cols) return cols.map((c) => b.classNames[c]!);
  // The dataset's own names, unless they are ids (synsets, numbers) only the prompt set names.
  return unit.target.classSpace || idLikeClassNames(dataset.classNames) ? b.classNames : [...dataset.classNames];
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
