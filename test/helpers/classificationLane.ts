import type { Dataset } from '../../src/datasets/types.js';
import type { ClipModel } from '../../src/model/types.js';
import type { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import type { Prediction, Result } from '../../src/results/schema.js';
import type { EvalUnit, RunSettings } from '../../src/tasks/unit.js';
import { PlanResources } from '../../src/eval/resources.js';
import { laneInput, laneRun } from '../../src/eval/laneInput.js';
import { streamLanes } from '../../src/eval/streamLanes.js';
import { zeroshotClassificationTask } from '../../src/tasks/zeroshotClassification.js';
import type { Logger } from '../../src/util/log.js';

/** One classification unit run alone through its task's lane, as runPlan runs it: results, predictions and the files written. */
export async function runClassificationLane(unit: EvalUnit, ctx: { model: ClipModel; dataset: Dataset; cache: EmbeddingCache | null; settings: RunSettings; log: Logger }): Promise<{ results: Result[]; predictions: Prediction[][]; files: string[] }> {
  const files: string[] = [];
  const source = { ...ctx.settings, log: ctx.log, keepPredictions: true, resources: new PlanResources(), groupMetadata: new Map(), shared: new Map() };
  const run = laneRun(source, (file) => files.push(file));
  const lane = await zeroshotClassificationTask.openLane(laneInput(unit, { model: ctx.model, cache: ctx.cache }, ctx.dataset, 'test', source, run));
  if (lane.kind === 'reused') return { ...lane.done, files };
  const { timings } = await streamLanes([{ unit, model: ctx.model, cache: ctx.cache, add: (b) => lane.add(b), skip: (s) => lane.skip(s) }], { dataset: ctx.dataset, settings: ctx.settings });
  return { ...(await lane.finish(timings[0])), files };
}
