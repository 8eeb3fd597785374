import type { Dataset, SkippedItem } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { Result, Prediction } from '../results/schema.js';
import { RESULT_SCHEMA_VERSION } from '../results/schema.js';
import { createMetricsAccumulator, type MetricsAccumulator } from '../metrics/index.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { EmbeddedBatch } from '../embed/lanes.js';
import { acceptableColumns, labelClassCount } from '../datasets/scoringProtocol.js';
import { hashValue } from '../util/hash.js';
import { providerIdentity } from '../model/executionProvider.js';
import { ZeroshiftError } from '../errors.js';
import { VERSION } from '../util/version.js';
import { recordedShift } from '../shifts/paramSets.js';
import { cosineScores } from './scoring.js';
import { idLikeClassNames, type BuiltClassifier } from './classifiers.js';
import type { EvalUnit, RunSettings } from './unit.js';

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

function buildResult(unit: EvalUnit, ctx: { model: ClipModel; dataset: Dataset; settings: RunSettings }, s: Scorer, skipped: SkippedItem[], timings: Result['timings']): Result {
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
