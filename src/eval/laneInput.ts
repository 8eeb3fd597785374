import type { Dataset } from '../datasets/types.js';
import type { ClipModel } from '../model/types.js';
import type { EmbeddingCache } from '../cache/embeddingCache.js';
import type { Provenance } from '../results/schema.js';
import type { LaneInput, LaneRun } from '../tasks/task.js';
import type { EvalUnit, RunSettings } from '../tasks/unit.js';
import type { GroupMetadataMemo } from '../tasks/groupResults.js';
import type { PixelPool } from '../embed/pixelPool.js';
import { openTextCache } from '../embed/textEmbeddings.js';
import { collectImageEmbeddings } from '../embed/collect.js';
import type { Logger } from '../util/log.js';
import type { PlanResources } from './resources.js';
import type { PlanProgress } from './planProgress.js';

/** A loaded model of the run with its image cache, and its text cache once a task needed it. */
export interface LaneModel {
  model: ClipModel;
  cache: EmbeddingCache | null;
  textCache?: Promise<EmbeddingCache | null>;
}

/** What the runner holds for a run: its settings, the plan's resources and the work its lanes share. */
export type LaneRunSource = RunSettings & {
  log: Logger;
  signal?: AbortSignal;
  keepPredictions?: boolean;
  provenance?: Provenance;
  progress?: PlanProgress;
  pixelPool?: PixelPool;
  resources: PlanResources;
  groupMetadata: GroupMetadataMemo;
  shared: Map<string, Promise<unknown>>;
};

/** The services every task lane of a run reads (tasks/ may not reach the runner's resources directly). */
export function laneRun(o: LaneRunSource, wrote: (file: string) => void): LaneRun {
  return {
    ...o,
    openDataset: (spec) => o.resources.dataset(spec),
    limitOf: (spec) => o.resources.limits.get(spec) ?? null,
    prompts: (ref, unit) => o.resources.prompts(ref, unit),
    lexicon: () => o.resources.lexicon(),
    shared: <T>(key: string, make: () => Promise<T>): Promise<T> => {
      let p = o.shared.get(key) as Promise<T> | undefined;
      if (!p) o.shared.set(key, (p = make()));
      return p;
    },
    wrote,
    textsEmbedded: (count) => o.progress?.textsEmbedded?.(count),
  };
}

/** One unit's lane input: its model and caches (the text cache opened on first use), and the run. */
export function laneInput(unit: EvalUnit, m: LaneModel, dataset: Dataset, label: string, o: LaneRunSource, run: LaneRun): LaneInput {
  return {
    unit, model: m.model, cache: m.cache, dataset, label, run,
    textCache: () => (m.textCache ??= o.cacheDir ? openTextCache(o.cacheDir, m.model, o.log) : Promise.resolve(null)),
    embedDataset: async (d, what, shift) => {
      // A pass, not a unit: its images count as embedded (and kept on Ctrl-C), not as a finished result.
      o.progress?.unitStarted(what, d.size, { pass: true });
      const set = await collectImageEmbeddings(d, { model: m.model, cache: m.cache, batchSize: o.batchSize, decodeConcurrency: o.decodeConcurrency, exifRotate: o.exifRotate, pixelPool: o.pixelPool, shift: shift ?? null, shiftAssets: o.shiftAssets, signal: o.signal, onProgress: (done, total, counts) => o.progress?.unitProgress(done, total, counts) });
      o.progress?.unitFinished({ pass: true, label: what, total: d.size, counts: { computed: set.computed, cached: set.cached } });
      return set;
    },
  };
}
