import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { Result, Prediction } from '../results/schema.js';
import { RESULT_SCHEMA_VERSION } from '../results/schema.js';
import { createMetricsAccumulator, type MetricsAccumulator } from '../metrics/index.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import { embedLanes, type EmbeddedBatch } from '../embed/embedStream.js';
import { cosineScores } from '../tasks/scoring.js';
import { idLikeClassNames, type BuiltClassifier } from '../tasks/classifiers.js';
import type { EvalUnit, RunSettings } from '../tasks/unit.js';
import { acceptableColumns, labelClassCount } from '../datasets/scoringProtocol.js';
import { hashValue } from '../util/hash.js';
import { providerIdentity } from '../model/executionProvider.js';
import { ZeroshiftError } from '../errors.js';
import { VERSION } from '../util/version.js';
import type { Logger } from '../util/log.js';
import { recordedShift } from '../shifts/paramSets.js';

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
  // The crop, a non-CPU execution provider and the text shift join the hash only when present, so other ids stay as they were.
  return hashValue({ model: model.info.hashes, dataset: dataset.fingerprint, shift: unit.shift, prompts: promptHash, range: unit.range ?? null, columns: p.classColumns, ...(p.crop ? { crop: p.crop } : {}), ...providerIdentity(model.info), ...(unit.textShift ? { textShift: unit.textShift } : {}) }).slice(0, 24);
}

/** One lane of a dataset stream with what scores it: a unit, its model and cache, its classifiers. */
export interface UnitLane {
  unit: EvalUnit;
  model: ClipModel;
  cache: EmbeddingCache | null;
  built: BuiltClassifier[];
}

/** What units that share a dataset stream need from the surrounding run. */
export interface LanesContext {
  dataset: Dataset;
  settings: RunSettings;
  signal?: AbortSignal;
  /** Per lane (parallel to the lanes), after each chunk. */
  onProgress?(counts: { done: number[]; computed: number[]; cached: number[] }): void;
}

/**
 * Evaluates one (model, dataset, shift) unit for every prompt set riding along: image
 * embeddings are streamed once (from the cache where possible) and scored against each
 * classifier. Returns one output per prompt set.
 */
export async function runUnit(unit: EvalUnit, ctx: UnitContext, built: BuiltClassifier[]): Promise<UnitOutput[]> {
  const total = unit.range ? unit.range.end - unit.range.start : ctx.dataset.size;
  const [outputs] = await runLanes([{ unit, model: ctx.model, cache: ctx.cache, built }], {
    dataset: ctx.dataset, settings: ctx.settings, signal: ctx.signal,
    onProgress: (c) => ctx.onProgress?.(c.done[0], total, { computed: c.computed[0], cached: c.cached[0] }),
  });
  return outputs;
}

/**
 * Evaluates units that share a dataset, range and pre-crop (any models and shifts) in one pass
 * over the images (see `embedLanes`): each image is read and decoded once for all of them.
 * Returns, per lane, one output per prompt set; identical to running each unit alone.
 */
export async function runLanes(lanes: UnitLane[], ctx: LanesContext): Promise<UnitOutput[][]> {
  const scorers = lanes.map((lane) => new UnitScorer(lane, ctx.dataset));
  const streamed = await streamLanes(lanes.map((l, i) => ({ model: l.model, cache: l.cache, unit: l.unit, add: (b) => scorers[i].add(b), skip: (s) => scorers[i].skipped.push(s) })), ctx);
  return scorers.map((s, l) => s.finish(ctx.settings, streamed.timings[l]));
}

/** One lane of a shared dataset stream, as the stream sees it: who embeds, and who takes the batches. */
export interface StreamedLane {
  unit: EvalUnit;
  model: ClipModel;
  cache: EmbeddingCache | null;
  add(batch: EmbeddedBatch): void;
  skip(item: SkippedItem): void;
}

/**
 * Streams one dataset (range, pre-crop) once for lanes of any task, models and shifts (see
 * `embedLanes`), handing each lane its batches in dataset order. Lanes that differ only in
 * their text shift (same model, cache and image shift) read the same image embeddings: those
 * are embedded once and handed to each. Throws INTERRUPTED after Ctrl-C, so no partial result
 * is ever scored. Returns each lane's timings.
 */
export async function streamLanes(lanes: StreamedLane[], ctx: LanesContext): Promise<{ timings: Result['timings'][] }> {
  const started = performance.now();
  const first = lanes[0].unit;
  const { streams, of } = imageStreams(lanes);
  const perLane = (xs: number[]): number[] => lanes.map((_, l) => xs[of[l]]);
  let counts = { done: lanes.map(() => 0), computed: lanes.map(() => 0), cached: lanes.map(() => 0) };
  for await (const batches of embedLanes({
    dataset: ctx.dataset, settings: ctx.settings, crop: first.target.scoringProtocol.crop, range: first.range, signal: ctx.signal,
    lanes: streams.map((l) => ({ model: lanes[l].model, cache: lanes[l].cache, shift: lanes[l].unit.shift })),
    onSkip: (stream, s) => lanes.forEach((l, i) => (stream === undefined || of[i] === stream ? l.skip(s) : undefined)),
    onBatch: (info) => {
      counts = { done: perLane(info.done), computed: perLane(info.computed), cached: perLane(info.cached) };
      ctx.onProgress?.(counts);
    },
  })) {
    lanes.forEach((lane, l) => lane.add(batches[of[l]]));
  }
  if (ctx.signal?.aborted) {
    // Embeddings computed so far are in the cache; a partial result must never be written.
    const shift = lanes.length === 1 && first.shift ? ` (${first.shift.corruption}:${first.shift.severity})` : '';
    throw new ZeroshiftError('INTERRUPTED', `stopped during ${ctx.dataset.name}${shift}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    timings: lanes.map((_, l) => {
      const [computed, cached] = [counts.computed[l], counts.cached[l]];
      return { totalSeconds: round(seconds, 3), imagesComputed: computed, imagesFromCache: cached, imagesPerSecond: round((computed + cached) / Math.max(seconds, 1e-9), 1) };
    }),
  };
}

/** The distinct image streams of `lanes` (the first lane of each model, cache and image shift) and each lane's stream index. */
function imageStreams(lanes: readonly StreamedLane[]): { streams: number[]; of: number[] } {
  const models = new Map<ClipModel, number>();
  const caches = new Map<EmbeddingCache, number>();
  const byKey = new Map<string, number>();
  const streams: number[] = [];
  const of = lanes.map((lane, l) => {
    if (!models.has(lane.model)) models.set(lane.model, models.size);
    if (lane.cache && !caches.has(lane.cache)) caches.set(lane.cache, caches.size);
    const key = JSON.stringify([models.get(lane.model), lane.cache ? caches.get(lane.cache) : null, lane.unit.shift]);
    let s = byKey.get(key);
    if (s === undefined) {
      s = streams.length;
      byKey.set(key, s);
      streams.push(l);
    }
    return s;
  });
  return { streams, of };
}

/** Scores one classification lane's batches against each of its prompt sets' classifiers. */
export class UnitScorer {
  readonly skipped: SkippedItem[] = [];
  private readonly scorers: Scorer[];

  constructor(private readonly lane: UnitLane, private readonly dataset: Dataset) {
    const protocol = lane.unit.target.scoringProtocol;
    this.scorers = lane.built.map((b) => {
      const scored = protocol.classColumns?.length ?? b.rows;
      return { built: b, acc: createMetricsAccumulator(scored, lane.model.info.scoring, labelClassCount(protocol, scored)), predictions: [] };
    });
  }

  add(batch: EmbeddedBatch): void {
    const { unit, model } = this.lane;
    for (const item of batch.items) {
      // Listed once per item (not per prompt set): the protocol leaves it out of every metric.
      if (acceptableColumns(unit.target.scoringProtocol, item.label) === null) this.skipped.push({ id: item.id, reason: `class '${this.dataset.classNames[item.label]}' is not scored under the protocol: ${unit.target.protocol ?? 'unmapped class'}` });
    }
    if (batch.items.length === 0) return;
    for (const s of this.scorers) scoreBatch(s, batch, model.info.embedDim, unit);
  }

  finish(settings: RunSettings, timings: Result['timings']): UnitOutput[] {
    const ctx = { model: this.lane.model, dataset: this.dataset, settings };
    return this.scorers.map((s) => ({ result: buildResult(this.lane.unit, ctx, s, this.skipped, timings), predictions: s.predictions }));
  }
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

function buildResult(unit: EvalUnit, ctx: Pick<UnitContext, 'model' | 'dataset' | 'settings'>, s: Scorer, skipped: SkippedItem[], timings: Result['timings']): Result {
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
      isStandard: unit.target.isStandard && unit.shift === null && !unit.textShift, fingerprint: d.fingerprint,
      numClasses: names.length, classNames: names, subset: unit.target.subset, protocol: unit.target.protocol,
    },
    shift: recordedShift(unit.shift),
    ...(unit.textShift ? { textShift: unit.textShift } : {}),
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
  if (cols) return cols.map((c) => b.classNames[c]);
  // The dataset's own names, unless they are ids (synsets, numbers) only the prompt set names.
  return unit.target.classSpace || idLikeClassNames(dataset.classNames) ? b.classNames : [...dataset.classNames];
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
